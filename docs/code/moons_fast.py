import regrad.fast
from regrad_nn import train_moons

with regrad.fast.gc_paused():  # Python's cyclic garbage collector rests while the loop builds its graphs
    result = train_moons(epochs=100, progress=False)  # the run of `regrad-nn moons`, from Python
print(f"final loss {result.final_loss:.6f}, accuracy {result.accuracy:.0%}")
