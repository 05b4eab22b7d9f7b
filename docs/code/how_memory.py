import random

import regrad
from regrad import Var

random.seed(0)
w = [Var(random.uniform(-1, 1), req_grad=True) for _ in range(16)]  # the parameters
xs = [[random.uniform(-1, 1) for _ in range(16)] for _ in range(1000)]  # the data
loss = regrad.sum((regrad.dot(w, x).tanh() - 1.0) ** 2 for x in xs)  # one graph, 1,000 samples


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
print(f"{len(ops):,} op nodes, {len(w)} parameters")
loss.backward()
print("op nodes holding a grad:   ", sum(node.grad is not None for node in ops))
print("parameters holding a grad: ", sum(p.grad is not None for p in w))
