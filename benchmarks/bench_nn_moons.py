"""Training speed on the moons: regrad-nn against micrograd 0.1.0 and a no-autodiff floor, in one run.

The same problem several times, one after another in this process: the data of
micrograd's demo (``make_moons(n_samples=100, noise=0.1)``, seed 1337, labels
±1, Python floats), ``MLP(2, [16, 16, 1])`` with the weights micrograd draws
after ``random.seed(1337)``, full-batch SGD on the hinge loss + 1e-4 * L2 with
lr = 1.0 - 0.9 * k / 100.

(a) regrad-nn's own training loop (``MLP``, ``hinge_loss``, ``l2_penalty``,
    ``SGD``, ``LinearDecay``), as ``train_moons`` runs it;
(b) micrograd's demo loop ported line by line to regrad, as a newcomer writes
    it: Python's built-in ``sum`` over the losses, ``(1 + -yi * si).relu()``
    for the hinge, ``sum(p * p for p in model.parameters())`` for L2;
(c) micrograd 0.1.0 from PyPI, the loop of its demo notebook;
(d) the floor: the same network's forward and backward written out by hand
    in pure Python (lists of floats, no autodiff, no shortcuts such as
    skipping samples whose loss is zero).

(a) and (b) build the complete graph (every neuron, every sample) with no
opt-in. Each is run again inside ``regrad.fast.gc_paused()``, the one opt-in
speed path (the cyclic garbage collector paused while the loop runs), as its
own row.

Each prints ms per epoch, the loss and accuracy at every epoch are compared
(the loss must agree to 1e-9 relative: identical maths from an identical
start), and the final loss and accuracy are shown. regrad and the floor run
``--rounds`` times (best round counts); micrograd once, for
``--micrograd-epochs`` epochs (100 by default: about 2-3 minutes).

Run: hatch run bench:nn  [--epochs 100] [--micrograd-epochs N] [--rounds 5] [--markdown PATH]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from machine import machine  # benchmarks/machine.py: scripts run from benchmarks/ have it on the path
from micrograd import nn as micro_nn
from micrograd.engine import Value

import regrad
from regrad import Var
from regrad_nn import MLP, SGD, LinearDecay, accuracy, hinge_loss, l2_penalty, make_moons

SEED = 1337
#: CPU time of this process: the machine may be shared, and all three are single-threaded
clock = time.process_time
ALPHA = 1e-4
HIDDEN = [16, 16, 1]


class Run:
    """One library's run: time per epoch and the loss/accuracy seen at each epoch."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.losses: list[float] = []
        self.accuracies: list[float] = []
        self.seconds = 0.0

    @property
    def ms_per_epoch(self) -> float:
        return 1000 * self.seconds / len(self.losses)


# --------------------------------------------------------------- (a) regrad-nn


def train_regrad(X: list[list[float]], y: list[float], epochs: int, total_steps: int) -> Run:
    run = Run("regrad-nn")
    random.seed(SEED)
    model = MLP(2, HIDDEN)
    params = model.parameters()
    optimizer = SGD(params, lr=1.0)
    schedule = LinearDecay(optimizer, total_steps=total_steps)  # 1.0 - 0.9 * k / total_steps
    start = clock()
    for _ in range(epochs):
        scores = [model(x) for x in X]
        loss = hinge_loss(scores, y) + l2_penalty(params, ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        run.losses.append(loss.val)
        run.accuracies.append(accuracy(scores, y))
    run.seconds = clock() - start
    return run


# --------------------------------------------------------------- (b) micrograd's loop, ported to regrad


def train_regrad_plain(X: list[list[float]], y: list[float], epochs: int, total_steps: int) -> Run:
    """micrograd's demo loop, line by line, with regrad's Var and regrad-nn's MLP (no opt-in, complete graph)."""
    run = Run("micrograd's loop on regrad")
    random.seed(SEED)
    model = MLP(2, HIDDEN)
    start = clock()
    for k in range(epochs):
        inputs = [list(map(Var, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / total_steps
        for p in model.parameters():
            p.val -= learning_rate * p.grad
        run.losses.append(total_loss.val)
        run.accuracies.append(sum((yi > 0) == (si.val > 0) for yi, si in zip(y, scores)) / len(y))
    run.seconds = clock() - start
    return run


def opted_in(train, name: str):
    """``train`` run inside regrad.fast.gc_paused(): an opt-in row."""

    def run(*args):
        with regrad.fast.gc_paused():
            result = train(*args)
        result.name = name
        return result

    return run


# --------------------------------------------------------------- (c) micrograd


def train_micrograd(X: list[list[float]], y: list[float], epochs: int, total_steps: int) -> Run:
    run = Run("micrograd 0.1.0")
    random.seed(SEED)
    model = micro_nn.MLP(2, HIDDEN)
    start = clock()
    for k in range(epochs):  # the loop of micrograd's demo.ipynb
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / total_steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        run.losses.append(total_loss.data)
        run.accuracies.append(sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores)) / len(y))
    run.seconds = clock() - start
    return run


# --------------------------------------------------------------- (d) the floor


def initial_weights() -> tuple[list[list[list[float]]], list[list[float]]]:
    """Weights W[layer][neuron][input] and biases B[layer][neuron], drawn as micrograd draws them."""
    random.seed(SEED)
    sizes = [2, *HIDDEN]
    W = [[[random.uniform(-1, 1) for _ in range(sizes[li])] for _ in range(sizes[li + 1])] for li in range(len(HIDDEN))]
    B = [[0.0] * sizes[li + 1] for li in range(len(HIDDEN))]
    return W, B


def train_floor(X: list[list[float]], y: list[float], epochs: int, total_steps: int, skip_zeros: bool = False) -> Run:
    """Forward and backward of the MLP by hand: what any autodiff has to beat.

    ``skip_zeros``: also skip the backward of samples whose loss is 0 and of
    neurons whose gradient is 0 (ReLUs that are off), which a careful hand
    writer may do; regrad-nn leaves only the ReLUs that are off out of its graph.
    """
    run = Run("hand-written floor, skipping zeros" if skip_zeros else "hand-written floor")
    W, B = initial_weights()
    n_layers, n = len(W), len(X)
    start = clock()
    for k in range(epochs):
        gW = [[[0.0] * len(w) for w in layer] for layer in W]
        gB = [[0.0] * len(b) for b in B]
        data_loss, correct = 0.0, 0
        for x, t in zip(X, y):
            acts = [x]  # acts[li] = the input of layer li
            a = x
            for li in range(n_layers):
                last = li == n_layers - 1
                out = []
                for w, b in zip(W[li], B[li]):
                    z = b
                    for wi, ai in zip(w, a):
                        z += wi * ai
                    out.append(z if last or z > 0 else 0.0)
                a = out
                acts.append(a)
            score = a[0]
            margin = 1.0 - t * score
            correct += (score > 0) == (t > 0)
            data_loss += margin if margin > 0 else 0.0
            deltas = [-t / n if margin > 0 else 0.0]  # dL/d(score)
            if skip_zeros and margin <= 0:
                continue
            for li in range(n_layers - 1, -1, -1):  # back through the layers
                a_in = acts[li]
                grad_in = [0.0] * len(a_in)
                for w, gw, j, d in zip(W[li], gW[li], range(len(deltas)), deltas):
                    if skip_zeros and d == 0.0:
                        continue
                    gB[li][j] += d
                    for i, ai in enumerate(a_in):
                        gw[i] += d * ai
                        grad_in[i] += d * w[i]
                if li:  # through the ReLU that made a_in
                    deltas = [g if h > 0 else 0.0 for g, h in zip(grad_in, a_in)]
        squares = 0.0
        for layer_w, layer_b in zip(W, B):
            for w, b in zip(layer_w, layer_b):
                squares += sum(wi * wi for wi in w) + b * b
        run.losses.append(data_loss * (1.0 / n) + ALPHA * squares)
        run.accuracies.append(correct / n)
        lr = 1.0 - 0.9 * k / total_steps
        for li in range(n_layers):  # SGD, with the L2 term's gradient 2 * alpha * p
            for j, (w, gw) in enumerate(zip(W[li], gW[li])):
                for i in range(len(w)):
                    w[i] -= lr * (gw[i] + 2 * ALPHA * w[i])
                B[li][j] -= lr * (gB[li][j] + 2 * ALPHA * B[li][j])
    run.seconds = clock() - start
    return run


# --------------------------------------------------------------- where regrad's time goes


def phases(X: list[list[float]], y: list[float], epochs: int = 20) -> dict[str, float]:
    """ms per epoch of regrad-nn's forward (graph building), backward and optimizer step."""
    random.seed(SEED)
    model = MLP(2, HIDDEN)
    params = model.parameters()
    optimizer = SGD(params, lr=1.0)
    spent = {"forward: build the graph": 0.0, "backward: plan, chain rule, mark used": 0.0, "optimizer step": 0.0}
    names = list(spent)
    for _ in range(epochs):
        t0 = clock()
        loss = hinge_loss([model(x) for x in X], y) + l2_penalty(params, ALPHA)
        t1 = clock()
        optimizer.zero_grad()
        loss.backward()
        t2 = clock()
        optimizer.step()
        t3 = clock()
        for name, dt in zip(names, (t1 - t0, t2 - t1, t3 - t2)):
            spent[name] += 1000 * dt / epochs
    return spent


def profile_table(X: list[list[float]], y: list[float]) -> list[str]:
    """Phase times with the garbage collector on (as users run) and off (what it costs)."""
    gc.collect()  # start clean (micrograd's run leaves cyclic garbage behind)
    on = phases(X, y)
    gc.disable()
    try:
        off = phases(X, y)
    finally:
        gc.enable()
    lines = ["| regrad-nn phase | ms / epoch | with gc disabled |", "|---|---:|---:|"]
    for name in on:
        lines.append(f"| {name} | {on[name]:.2f} | {off[name]:.2f} |")
    lines.append(f"| total | {sum(on.values()):.2f} | {sum(off.values()):.2f} |")
    return lines


NOTES = (
    "The graph is complete in every regrad row: every neuron of every sample is a node (one `FusedNeuron` "
    "node per neuron in regrad-nn's MLP), whatever its value, so the graph of any epoch can be drawn. "
    "The speed comes from building few, cheap nodes (a layer reads its inputs' values once for all its "
    "neurons; ops keep no state, so one op instance serves every node) and from the backward pass not "
    "looking behind a node through which no gradient flows: a ReLU that is off (a hidden neuron, or the "
    "hinge of a sample beyond the margin) says so, and what lies behind it is skipped; exact-zero "
    "contributions are not added. Values and gradients are unchanged, as the identical losses show. "
    "The floor that skips zero gradients takes the corresponding shortcuts by hand and is shown for "
    "context; the targets are set against the plain floor. Rows marked *opt-in* run the same loop inside "
    "`regrad.fast.gc_paused()`, which pauses Python's cyclic garbage collector for the loop (regrad's "
    "graphs have no reference cycles; the collector only scans them); nothing in regrad does that "
    "unless asked."
)


# --------------------------------------------------------------- running


def best_of(train, rounds: int, *args) -> Run:
    best = None
    for _ in range(rounds):
        gc.collect()
        run = train(*args)
        if best is None or run.seconds < best.seconds:
            best = run
    return best  # type: ignore[return-value]


def same_losses(a: Run, b: Run, epochs: int) -> tuple[bool, float]:
    """Do the per-epoch losses agree to 1e-9 relative over the first ``epochs``? (and the worst gap)"""
    worst = max(abs(p - q) / max(abs(q), 1e-300) for p, q in zip(a.losses[:epochs], b.losses[:epochs]))
    same_acc = a.accuracies[:epochs] == b.accuracies[:epochs]
    return worst <= 1e-9 and same_acc, worst


def verdict_line(name: str, run: Run, micro: Run, floor: Run, max_floor: float, min_micro: float) -> str:
    over_floor = run.ms_per_epoch / floor.ms_per_epoch
    speedup = micro.ms_per_epoch / run.ms_per_epoch
    ok_floor = "met" if over_floor <= max_floor else "NOT met"
    ok_micro = "met" if speedup >= min_micro else "NOT met"
    return (
        f"{name}: {speedup:.0f}× faster than micrograd (target ≥ {min_micro:.0f}×: {ok_micro}) "
        f"and {over_floor:.2f}× the floor (target ≤ {max_floor:g}×: {ok_floor})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100, help="epochs for regrad and the floor")
    parser.add_argument("--micrograd-epochs", type=int, default=100, help="epochs for micrograd (slow)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of regrad and the floor; best counts")
    parser.add_argument("--markdown", type=Path, help="also write the results as markdown to this file")
    args = parser.parse_args()
    total_steps = 100  # the original regrad's schedule; it spans 100 steps however many epochs run

    X, y = make_moons(n_samples=100, noise=0.1, seed=SEED)
    random.seed(SEED)
    regrad_start = [p.val for p in MLP(2, HIDDEN).parameters()]
    random.seed(SEED)
    micro_start = [p.data for p in micro_nn.MLP(2, HIDDEN).parameters()]
    if regrad_start != micro_start:
        sys.exit("regrad-nn and micrograd did not draw the same initial weights")

    print(f"moons: 100 samples, noise 0.1, MLP(2, {HIDDEN}), hinge + {ALPHA}*L2, full-batch SGD, lr 1.0 -> 0.1")
    runs = [
        ("floor", train_floor),
        ("lean floor", lambda *a: train_floor(*a, skip_zeros=True)),
        ("regrad-nn", train_regrad),
        ("plain", train_regrad_plain),
        ("regrad-nn opt-in", opted_in(train_regrad, "regrad-nn, opt-in `regrad.fast.gc_paused()`")),
        ("plain opt-in", opted_in(train_regrad_plain, "micrograd's loop on regrad, opt-in `gc_paused()`")),
    ]
    results: dict[str, Run] = {}
    for key, train in runs:
        results[key] = best_of(train, args.rounds, X, y, args.epochs, total_steps)
        print(f"{results[key].name:52}: {results[key].ms_per_epoch:9.2f} ms/epoch (best of {args.rounds})")
    gc.collect()
    micro = train_micrograd(X, y, args.micrograd_epochs, total_steps)
    print(f"{micro.name:52}: {micro.ms_per_epoch:9.2f} ms/epoch (1 round of {args.micrograd_epochs} epochs)")
    floor, ours = results["floor"], results["regrad-nn"]

    compared = min(args.epochs, args.micrograd_epochs)
    if not same_losses(floor, results["lean floor"], args.epochs)[0]:
        sys.exit("the two hand-written floors disagree")
    gaps = []
    for key in ("regrad-nn", "plain", "regrad-nn opt-in", "plain opt-in"):
        run = results[key]
        vs_micro, gap_micro = same_losses(run, micro, compared)
        vs_floor, gap_floor = same_losses(run, floor, args.epochs)
        gaps.append(
            f"{run.name}: loss and accuracy at each of the first {compared} epochs "
            f"{'identical to 1e-9' if vs_micro else 'DIFFERENT'} to micrograd's (largest relative gap "
            f"{gap_micro:.1e}), over {args.epochs} epochs {'identical' if vs_floor else 'DIFFERENT'} to the "
            f"floor's (gap {gap_floor:.1e})."
        )
    order = ["regrad-nn", "plain", "regrad-nn opt-in", "plain opt-in", "floor", "lean floor"]
    lines = [
        "| implementation | epochs run | ms / epoch | vs regrad-nn | vs floor | vs micrograd | loss at last epoch run "
        "| accuracy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in [*[results[k] for k in order[:4]], micro, *[results[k] for k in order[4:]]]:
        lines.append(
            f"| {run.name} | {len(run.losses)} | {run.ms_per_epoch:.2f} | "
            f"{run.ms_per_epoch / ours.ms_per_epoch:.2f}× | {run.ms_per_epoch / floor.ms_per_epoch:.2f}× | "
            f"{micro.ms_per_epoch / run.ms_per_epoch:.0f}× faster | {run.losses[-1]:.12f} | {run.accuracies[-1]:.0%} |"
        )
    verdict = [
        verdict_line("regrad-nn's training loop", ours, micro, floor, 2.0, 100),
        verdict_line("micrograd's loop ported to regrad (no opt-in)", results["plain"], micro, floor, 3.0, 150),
        verdict_line("regrad-nn's loop with the opt-in", results["regrad-nn opt-in"], micro, floor, 2.0, 100),
        verdict_line("micrograd's loop with the opt-in", results["plain opt-in"], micro, floor, 3.0, 150),
        *gaps,
        "Accuracy and loss are those of each epoch's forward pass, before its update, as micrograd's demo prints them.",
    ]
    print()
    print("\n".join(lines))
    print()
    print("\n".join(verdict))
    breakdown = profile_table(X, y)
    print()
    print("\n".join(breakdown))

    if args.markdown:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        command = "hatch run bench:nn " + " ".join(sys.argv[1:])
        doc = [
            "# Training the moons: regrad vs micrograd vs a hand-written floor",
            "",
            f"Measured {when} on {machine()}, with `{command.strip()}` (`benchmarks/bench_nn_moons.py`).",
            "",
            "Same data (100 moons, noise 0.1, seed 1337, labels ±1 as Python floats), same initial weights "
            "(`random.seed(1337)`, checked equal), `MLP(2, [16, 16, 1])`, full-batch SGD on hinge loss + 1e-4·L2, "
            f"lr = 1.0 − 0.9·k/100. regrad and the floor: best of {args.rounds} rounds of {args.epochs} epochs; "
            f"micrograd 0.1.0: one round of {args.micrograd_epochs} epochs. "
            "*regrad-nn* is regrad-nn's own loop (`MLP`, `hinge_loss`, `l2_penalty`, `SGD`, `LinearDecay`); "
            "*micrograd's loop on regrad* is micrograd's demo loop ported line by line (built-in `sum`, "
            "`(1 + -yi * si).relu()`, `sum(p * p ...)`). "
            "The floor is the same network's forward and backward written out by hand in pure Python, no autodiff.",
            "Times are CPU time of the benchmark process (`time.process_time`), as the machine may be shared.",
            "",
            NOTES,
            "",
            *lines,
            "",
            *[f"- {line}" for line in verdict],
            "",
            "Where regrad-nn's time goes (20 epochs, no opt-in; the garbage collector finds no cycles in regrad's "
            "graphs but still scans every new node):",
            "",
            *breakdown,
            "",
        ]
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(doc), encoding="utf-8")
        print(f"\nwrote {args.markdown}")


if __name__ == "__main__":
    main()
