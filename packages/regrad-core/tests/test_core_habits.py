"""Habits users bring from PyTorch and micrograd: formatting, comparisons, bool, item, helpful errors."""

from __future__ import annotations

import pytest

from regrad import Var


def test_format_specs_format_the_value() -> None:
    loss = Var(0.123456789, req_grad=True)
    assert f"{loss:.4f}" == "0.1235" and f"{loss:>8.2f}" == "    0.12" and f"{loss:e}" == "1.234568e-01"
    assert f"{loss}" == str(loss) == repr(loss)


def test_abs_and_ordering_compare_values_and_build_no_graph() -> None:
    a, b = Var(-2.0, req_grad=True), Var(3.0)
    y = abs(a)
    assert y.val == 2.0 and y.op.name == "Abs"
    assert (a < b) is True and (a <= -2.0) is True and (b > 2) is True and (b >= 3.0) is True
    assert (b > 1) is True and (b < 4) is True  # numbers on the left
    assert sorted([b, a]) == [a, b]
    with pytest.raises(TypeError, match="cannot compare a Var with str"):
        _ = a < "x"  # type: ignore[operator]
    np = pytest.importorskip("numpy")
    assert (Var(1.0) >= np.True_) is True and (Var(0.5) < np.True_) is True  # NumPy's bool, as Var() takes it


def test_equality_and_hash_stay_identity_based() -> None:
    a, b = Var(1.0), Var(1.0)
    assert a != b and a == a and len({a, b}) == 2


def test_item_and_bool_follow_the_value() -> None:
    assert Var(2.5).item() == 2.5
    assert not Var(0.0) and Var(-1.0) and Var(float("nan"))  # NaN is true, as in Python and PyTorch


def test_names_from_pytorch_and_micrograd_get_a_hint() -> None:
    with pytest.raises(TypeError, match=r"did you mean req_grad=True\?"):
        Var(1.0, requires_grad=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unexpected keyword arguments .*takes val, req_grad=False, name=None"):
        Var(1.0, label="x")  # type: ignore[call-arg]
    v = Var(1.0)
    with pytest.raises(AttributeError, match=r"'data'.*calls the value \.val"):
        _ = v.data
    with pytest.raises(AttributeError, match=r"'detach'.*Var\(v\.val\)"):
        v.detach()
    with pytest.raises(AttributeError, match=r"'requires_grad'.*\.req_grad"):
        _ = v.requires_grad
    with pytest.raises(AttributeError, match=r"'grad_fn'.*\.op"):
        _ = v.grad_fn
    with pytest.raises(AttributeError, match=r"^'Var' object has no attribute 'nothing'$"):
        _ = v.nothing
    assert getattr(v, "nothing", 7) == 7 and not hasattr(v, "data") and not hasattr(v, "detach")
    with pytest.raises(AttributeError, match=r"calls the value \.val"):
        v.data -= 1.0  # micrograd's update, p.data -= lr * p.grad, says what to write instead
