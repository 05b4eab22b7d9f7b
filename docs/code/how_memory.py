import random

from regrad import Var
from regrad_nn import MLP

random.seed(0)
model = MLP(2, [16, 16, 1])
xs = [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(100)]
loss = sum((model(x) - 1.0) ** 2 for x in xs)  # one graph over 100 samples


def op_nodes(root: Var) -> list[Var]:
    """Every node of root's graph that an op made."""
    seen, stack, found = {root}, [root], []
    while stack:
        node = stack.pop()
        if node.op is not None:
            found.append(node)
            for parent in node.src:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    return found


ops = op_nodes(loss)
params = model.parameters()
print(f"{len(ops):,} op nodes, {len(params)} parameters")
loss.backward()
print("parameters with a grad:", sum(p.grad is not None for p in params))
print("op nodes with a grad:  ", sum(node.grad is not None for node in ops))
