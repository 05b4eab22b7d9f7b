"""Grad mode: per thread, re-entrant, as context managers, decorators and a plain call."""

from __future__ import annotations

import threading

import pytest

import regrad
from regrad import Var


def records(x: Var) -> bool:
    return (x * 2.0).req_grad


def test_no_grad_enable_grad_and_set_grad_enabled_nest_and_restore() -> None:
    x = Var(1.0, req_grad=True)
    with regrad.no_grad():
        assert not records(x) and not regrad.is_grad_enabled()
        with regrad.enable_grad():
            assert records(x)
            with regrad.set_grad_enabled(False):
                assert not records(x)
            assert records(x)
        assert not records(x)
    assert records(x) and regrad.is_grad_enabled()


def test_the_same_no_grad_object_can_be_entered_again_inside_itself() -> None:
    x = Var(1.0, req_grad=True)
    block = regrad.no_grad()
    with block:
        with block:
            assert not records(x)
        assert not records(x)
    assert records(x)


def test_decorators_with_and_without_parentheses() -> None:
    x = Var(1.0, req_grad=True)

    @regrad.no_grad()
    def evaluate() -> bool:
        return records(x)

    @regrad.no_grad
    def evaluate_too() -> bool:
        return records(x)

    @regrad.enable_grad()
    def train() -> bool:
        return records(x)

    assert evaluate.__name__ == "evaluate"
    assert not evaluate() and not evaluate_too() and records(x)
    with regrad.no_grad():
        assert train() and not records(x)


def test_modes_are_restored_when_the_block_raises() -> None:
    with pytest.raises(ZeroDivisionError), regrad.no_grad():
        _ = 1 / 0
    assert regrad.is_grad_enabled()


def test_set_grad_enabled_as_a_plain_call_switches_until_switched_back() -> None:
    x = Var(1.0, req_grad=True)
    regrad.set_grad_enabled(False)
    try:
        assert not records(x)
    finally:
        regrad.set_grad_enabled(True)
    assert records(x)
    with pytest.raises(TypeError, match="True or False"):
        regrad.set_grad_enabled("no")  # type: ignore[arg-type]


def test_grad_mode_belongs_to_each_thread() -> None:
    """A thread inside no_grad() never stops another thread from recording (nor leaves the mode off)."""
    x = Var(1.0, req_grad=True)
    inside = threading.Event()
    checked = threading.Event()
    seen = {}

    def evaluator() -> None:
        with regrad.no_grad():
            inside.set()
            seen["evaluator records"] = records(x)
            checked.wait(5)

    def trainer() -> None:
        inside.wait(5)
        seen["trainer records"] = records(x)
        seen["trainer mode"] = regrad.is_grad_enabled()
        checked.set()

    threads = [threading.Thread(target=evaluator), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"evaluator records": False, "trainer records": True, "trainer mode": True}
    assert regrad.is_grad_enabled()


def test_interleaved_no_grad_blocks_in_many_threads_leave_every_mode_on() -> None:
    barrier = threading.Barrier(8)
    errors = []

    def work() -> None:
        x = Var(1.0, req_grad=True)
        barrier.wait()
        for _ in range(300):
            with regrad.no_grad():
                if records(x):
                    errors.append("recorded inside no_grad")
            if not records(x):
                errors.append("did not record outside no_grad")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert regrad.is_grad_enabled()


def test_gc_paused_is_opt_in_nests_and_restores_the_collector_across_threads() -> None:
    import gc

    assert gc.isenabled()  # importing regrad changed nothing
    with regrad.fast.gc_paused():
        assert not gc.isenabled()
        with regrad.fast.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        done = threading.Event()

        def other() -> None:
            with regrad.fast.gc_paused():
                done.set()

        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert done.is_set() and not gc.isenabled()  # the other thread's block ended, ours has not
    assert gc.isenabled()
    with pytest.raises(KeyError), regrad.fast.gc_paused():
        raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with regrad.fast.gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
