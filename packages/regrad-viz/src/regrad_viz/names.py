"""Names as a drawing shows them: safe in every output format, and short in a box.

Two small rules for the text that comes from the user (a Var's name, an op's
name and arguments, the message of an exception):

* ``safe_text`` makes text that every format can carry. A control character
  (a newline, a tab, a form feed...) is shown as its ``\\xNN`` escape, and a
  lone surrogate (half of a UTF-16 pair: no UTF-8 file can hold it) becomes
  U+FFFD, the replacement character. SVG (which is XML), HTML, Graphviz DOT,
  Mermaid, JSON and the UTF-8 file they are written to then all accept it.
* ``abbreviate`` shortens the long dotted paths that name the parameters of a
  network (``layers.0.neurons.1.w.0`` becomes ``L0.N1.w0``). The box shows the
  short form; hovering the box shows the whole name.

Both are generic: they know nothing about regrad-nn or any naming scheme.
"""

from __future__ import annotations

import re
import unicodedata

#: dotted names of at most this many characters stay whole
ABBREVIATE_LONGER_THAN = 12

_INTEGER = re.compile(r"[0-9]+")


def safe_text(text: str) -> str:
    """``text`` with control characters as ``\\xNN`` and lone surrogates as U+FFFD.

    >>> safe_text("x\\x0cy")
    'x\\\\x0cy'
    >>> safe_text("a\\ud800") == "a\\ufffd"
    True
    """
    if text.isprintable():  # the usual case: nothing to change
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:  # a lone surrogate (a valid str holds no pairs)
            out.append("\ufffd")
        elif unicodedata.category(ch) == "Cc":  # C0 controls, DEL and C1 controls: all below 0x100
            out.append(f"\\x{code:02x}")
        elif code in (0xFFFE, 0xFFFF):  # not characters: XML forbids them
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def abbreviate(text: str) -> str:
    """A long dotted path shortened for a box: ``layers.0.neurons.1.w.0`` -> ``L0.N1.w0``.

    The rule, for the dot-separated parts: a word followed by an integer part
    names an item of a container (``layers.0`` is item 0 of ``layers``) and
    becomes the word's initial, in upper case, joined with the integer
    (``L0``, ``N1``). A one-letter word is already its own initial and keeps
    its case (``w.0`` -> ``w0``). Every other part, such as a final name
    without an index (``b``), stays as it is. So ``layers.2.neurons.0.b``
    becomes ``L2.N0.b``, and ``layers.0.neurons.1`` becomes ``L0.N1``.

    Text of at most ``ABBREVIATE_LONGER_THAN`` characters, text without a dot,
    and text the rule would not shorten are returned unchanged.

    >>> abbreviate("layers.2.neurons.0.b")
    'L2.N0.b'
    >>> abbreviate("x.0")
    'x.0'
    """
    if len(text) <= ABBREVIATE_LONGER_THAN or "." not in text:
        return text
    parts = text.split(".")
    out = []
    k = 0
    while k < len(parts):
        word = parts[k]
        if word.isidentifier() and k + 1 < len(parts) and _INTEGER.fullmatch(parts[k + 1]):
            initial = word if len(word) == 1 else word[0].upper()
            out.append(initial + parts[k + 1])
            k += 2
        else:
            out.append(word)
            k += 1
    short = ".".join(out)
    return short if len(short) < len(text) else text


__all__ = ["ABBREVIATE_LONGER_THAN", "abbreviate", "safe_text"]
