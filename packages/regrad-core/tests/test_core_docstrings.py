"""The examples written in regrad's docstrings run and print what they show."""

from __future__ import annotations

import doctest

import regrad


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(regrad)
    assert tried > 0 and failures == 0
