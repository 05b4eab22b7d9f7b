import random

from regrad import Var
from regrad_nn import MLP

random.seed(0)
model = MLP(2, [16, 16, 1])
xs = [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(100)]
loss = sum((model(x) - 1.0) ** 2 for x in xs)  # one graph over 100 samples


def count_nodes(root: Var) -> tuple[int, int]:
    """(op nodes, leaves that require grad) reachable from root."""
    seen, stack, ops, leaves = {root}, [root], 0, 0
    while stack:
        node = stack.pop()
        if node.op is None:
            leaves += node.req_grad
            continue
        ops += 1
        for parent in node.src:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return ops, leaves


ops, leaves = count_nodes(loss)
print(f"op nodes: {ops:,}   parameters (leaves with req_grad): {leaves}")
loss.backward()
kept = sum(p.grad is not None for p in model.parameters())
print(f"grads kept after backward: {kept}, one per parameter; none of the {ops:,} op nodes keeps one")
