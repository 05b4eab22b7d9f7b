# --8<-- [start:habits]
import regrad
from regrad import Var

loss = Var(0.123456, req_grad=True) * 2
print(f"loss {loss:.4f}", loss.item(), abs(-loss).val)  # format specs, item(), abs()
print(loss > 0.2, bool(Var(0.0)))  # comparisons and truth read the value and build no graph
print(loss == Var(loss.val))  # == is identity, as for any Python object: compare values with .val
# --8<-- [end:habits]

# --8<-- [start:grad_mode]
w = Var(2.0, req_grad=True)
with regrad.no_grad():  # evaluation: no graph is recorded
    y = w * 3
    with regrad.enable_grad():  # ... except here
        z = w * 3
print(y.req_grad, y.op, "|", z.req_grad, z.op)


@regrad.no_grad()
def evaluate(v: Var) -> float:
    return (v * v).val


print(evaluate(w), regrad.is_grad_enabled())  # the mode belongs to the thread, and comes back after the block
# --8<-- [end:grad_mode]

# --8<-- [start:policy]
print(Var(1000.0).exp().val, (Var(1.0) / 0).val, Var(0.0).log().val)  # overflow and poles: ±inf
print((Var(float("nan")) + 1).val)  # NaN in, NaN out, as in PyTorch
try:
    Var(-1.0).log()  # a finite number outside the real domain
except ValueError as error:
    print(f"ValueError: {error}")
# --8<-- [end:policy]
