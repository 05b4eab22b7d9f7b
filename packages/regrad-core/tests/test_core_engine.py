"""The backward pass itself: accumulation, freeing, depth, no_grad, custom ops, tracing."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import pytest

import regrad
from regrad import Op, Var


def test_shared_subexpressions_accumulate() -> None:
    x = Var(3.0, req_grad=True)
    a = x * x
    b = a + a  # 2x^2 -> d/dx = 4x
    c = b * a  # 2x^4 -> d/dx = 8x^3
    c.backward()
    assert x.grad == pytest.approx(8 * 3.0**3, rel=1e-15)


def test_grads_accumulate_over_several_backward_calls_like_torch() -> None:
    torch = pytest.importorskip("torch")
    x = Var(1.5, req_grad=True)
    t = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    for _ in range(3):
        (x * x).backward()
        (t * t).backward()
    assert x.grad == pytest.approx(t.grad.item(), rel=1e-15)


def test_the_starting_gradient_scales_everything() -> None:
    x = Var(2.0, req_grad=True)
    (x**3).backward(grad=0.5)
    assert x.grad == pytest.approx(0.5 * 3 * 4.0)


def test_intermediate_grads_are_not_stored() -> None:
    x = Var(2.0, req_grad=True)
    y = x * 3.0
    z = y.tanh()
    z.backward()
    assert y.grad is None and z.grad is None
    assert x.grad is not None


def test_constants_get_no_grad_and_build_no_graph() -> None:
    c = Var(2.0)
    d = c * 3.0 + c.exp()
    assert d.op is None and d.src is None and not d.req_grad
    x = Var(1.0, req_grad=True)
    y = x * c
    y.backward()
    assert c.grad is None


def test_backward_on_a_var_without_grad_is_a_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Var(1.0) * 2).backward()


def test_graph_stays_after_backward_and_a_second_backward_says_so() -> None:
    x = Var(2.0, req_grad=True)
    square = x * x
    y = square.exp()
    assert not y.released
    y.backward()
    assert y.released and square.released and not x.released
    assert y.src == (square,) and square.src == (x, x)  # the structure stays, as in PyTorch
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    assert x.grad == pytest.approx(4.0 * math.exp(4.0))  # the failed second backward changed nothing


def test_shared_part_of_a_freed_graph_is_detected_from_another_root() -> None:
    x = Var(2.0, req_grad=True)
    shared = x.sin()
    first, second = shared * 2.0, shared * 3.0
    first.backward()
    with pytest.raises(RuntimeError, match="already used by a previous backward"):
        second.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    x = Var(2.0, req_grad=True)
    y = (x * x).exp()
    y.backward(retain_graph=True)
    once = x.grad
    y.backward()
    assert x.grad == pytest.approx(2 * once)


def test_a_million_deep_chain_at_the_default_recursion_limit() -> None:
    x = Var(0.5, req_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y + 1e-6
    y = y * 2.0
    y.backward()
    assert x.grad == 2.0
    assert y.val == pytest.approx(2 * (0.5 + 1.0), rel=1e-9)
    del y  # deallocating a deep chain must not crash either


def test_no_grad_records_nothing_and_restores_the_mode() -> None:
    x = Var(1.0, req_grad=True)
    with regrad.no_grad():
        assert not regrad.is_grad_enabled()
        y = x * 2.0 + x.exp()
    assert regrad.is_grad_enabled()
    assert y.op is None and not y.req_grad
    with pytest.raises(RuntimeError):
        y.backward()


def test_custom_op_with_arguments_keeps_them_readable() -> None:
    y = regrad.apply(regrad.ops.Pow, Var(3.0, req_grad=True), power=2)
    assert y.op.args == {"power": 2}
    assert repr(y.op) == "Pow(power=2)"
    assert (Var(2.0, req_grad=True) ** 2).op.args == {"power": 2}


def test_custom_op_returning_the_wrong_number_of_grads_is_reported() -> None:
    class Broken(Op):
        def forward(self, x: float, y: float) -> float:
            return x + y

        def backward(self, grad: float) -> tuple[float]:
            return (grad,)

    z = regrad.apply(Broken, Var(1.0, req_grad=True), 2.0)
    with pytest.raises(ValueError, match=r"Broken\.backward returned 1 values for 2 inputs"):
        z.backward()


def test_apply_rejects_what_is_not_an_op_and_non_real_results() -> None:
    with pytest.raises(TypeError, match="Op subclass"):
        regrad.apply(math.exp, Var(1.0))

    class Complex(Op):
        def forward(self, x: float) -> complex:
            return complex(x, 1)

    with pytest.raises(TypeError, match="real number"):
        regrad.apply(Complex, Var(1.0, req_grad=True))


def test_backward_steps_follow_the_engine_and_change_nothing() -> None:
    a = Var(2.0, req_grad=True, name="a")
    b = Var(-3.0, req_grad=True, name="b")
    c = a * b
    out = c + a
    steps = regrad.backward_steps(out)
    assert [s.node for s in steps] == regrad.topological_order(out)
    assert steps[0].node is out and steps[0].grad == 1.0
    by_node = {id(s.node): s for s in steps}
    assert by_node[id(a)].grad == pytest.approx(b.val + 1.0)  # dL/da = b + 1
    assert by_node[id(c)].input_grads == (b.val, a.val)
    assert a.grad is None and b.grad is None and out.src is not None
    out.backward()  # the user's own backward still works and agrees
    assert a.grad == by_node[id(a)].grad and b.grad == by_node[id(b)].grad


def test_topological_order_puts_every_consumer_before_its_inputs() -> None:
    x = Var(0.5, req_grad=True)
    nodes = [x]
    for i in range(200):
        nodes.append(nodes[-1] * nodes[i // 2] + nodes[i // 3])
    order = regrad.topological_order(nodes[-1])
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node.src or ():
            if parent.req_grad:
                assert position[id(parent)] > position[id(node)]


@pytest.mark.parametrize("bad", ["1.0", 1j, None, [1.0], {"v": 1}])
def test_var_rejects_non_real_values_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Var(bad)  # type: ignore[arg-type]


def test_operands_are_checked_too() -> None:
    with pytest.raises(TypeError, match="str"):
        Var(1.0) + "2"
    with pytest.raises(TypeError, match="complex"):
        Var(1.0, req_grad=True) * 2j


def test_bools_and_numpy_like_reals_are_numbers() -> None:
    assert Var(True).val == 1.0
    from fractions import Fraction

    assert Var(Fraction(1, 4)).val == 0.25


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: Var(-1.0, req_grad=True).log(), r"Log: log\(-1\.0\)"),
        (lambda: Var(-4.0, req_grad=True).sqrt(), r"Sqrt: sqrt\(-4\.0\)"),
        (lambda: Var(-8.0, req_grad=True) ** (1 / 3), r"Pow: -8\.0 \*\* 0\.333"),
        (lambda: (-2.0) ** Var(0.5, req_grad=True), r"VarPow: -2\.0 \*\* 0\.5"),
        (lambda: Var(0.0, req_grad=True) / 0, r"Div: 0\.0 / 0"),
    ],
)
def test_finite_inputs_outside_the_real_domain_raise_naming_the_op_and_value(make, words) -> None:
    with pytest.raises(ValueError, match=words):
        make()


def test_poles_and_overflow_give_infinities_as_in_pytorch() -> None:
    assert (Var(1.0) / 0).val == math.inf and (Var(-1.0) / 0).val == -math.inf
    assert (1 / Var(-0.0)).val == -math.inf
    assert Var(0.0).log().val == -math.inf
    assert (Var(0.0) ** -1).val == math.inf and (Var(-0.0) ** -1).val == -math.inf
    assert Var(1000.0).exp().val == math.inf
    assert (Var(10.0) ** 400).val == math.inf and (Var(-10.0) ** 401).val == -math.inf
    assert (Var(1e308) / 1e-10).val == math.inf


def test_infinite_derivatives_give_inf_as_in_pytorch() -> None:
    x = Var(0.0, req_grad=True)
    x.sqrt().backward()
    assert x.grad == math.inf
    y = Var(0.0, req_grad=True)
    y.log().backward()
    assert y.grad == math.inf


def test_nan_and_inf_follow_ieee_arithmetic() -> None:
    x = Var(float("nan"), req_grad=True)
    y = x * 2.0
    y.backward()
    assert math.isnan(y.val) and x.grad == 2.0
    assert Var(float("inf")).val == math.inf
    z = Var(float("nan"), req_grad=True)
    r = z.relu()
    r.backward()
    assert math.isnan(r.val) and z.grad == 1.0  # relu(nan) is nan and passes the gradient, as in PyTorch


def test_gradcheck_reports_the_input_that_disagrees() -> None:
    class WrongMul(Op):
        __slots__ = ("x", "y")

        def forward(self, x: float, y: float) -> float:
            self.x, self.y = x, y
            return x * y

        def backward(self, grad: float) -> tuple[float, float]:
            return grad * self.y, grad * self.y  # second should be grad * x

    assert regrad.gradcheck(lambda a, b: a * b, [1.5, -2.0])
    with pytest.raises(regrad.GradcheckError, match="input 1"):
        regrad.gradcheck(lambda a, b: regrad.apply(WrongMul, a, b), [1.5, -2.0])
    assert not regrad.gradcheck(lambda a, b: regrad.apply(WrongMul, a, b), [1.5, -2.0], raise_exception=False)


def test_repr_and_names() -> None:
    a = Var(-4.0, req_grad=True, name="a")
    assert repr(a) == "Var(-4.0, req_grad=True, name='a')"
    y = a**2
    assert y.name == "Pow" and "op=Pow(power=2)" in repr(y)
    assert Var(1.0).name == "Var"
    y.name = "square"
    assert y.name == "square" and y.label == "square"


def test_errors_still_fire_under_python_dash_O() -> None:
    script = textwrap.dedent(
        """
        import regrad
        from regrad import Var
        checks = [
            (lambda: Var("x"), TypeError),
            (lambda: Var(-1.0, req_grad=True).log(), ValueError),
            (lambda: Var(-8.0, req_grad=True) ** 0.5, ValueError),
            (lambda: Var(0.0, req_grad=True) / 0, ValueError),
            (lambda: (Var(1.0) * 2).backward(), RuntimeError),
            (lambda: regrad.dot([1.0], [1.0, 2.0]), ValueError),
        ]
        y = Var(2.0, req_grad=True) * 3
        y.backward()
        checks.append((lambda: y.backward(), RuntimeError))
        for make, error in checks:
            try:
                make()
            except error:
                continue
            raise SystemExit(f"no {error.__name__}")
        print("all raised")
        """
    )
    result = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "all raised"
