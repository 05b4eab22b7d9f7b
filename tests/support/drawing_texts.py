"""What a drawing's files say, read back for the tests: the texts of its boxes, the data of its page.

Import as ``from drawing_texts import ...`` (the root ``conftest.py`` puts
this folder on ``sys.path``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

#: the SVG namespace, as ElementTree writes it before a tag
SVG = "{http://www.w3.org/2000/svg}"


def node_texts(svg_text: str) -> dict[str, list[str]]:
    """{data-node: [line texts]} from an SVG."""
    out = {}
    for g in ET.fromstring(svg_text).iter(SVG + "g"):
        if "data-node" in g.attrib:
            out[g.attrib["data-node"]] = [t.text or "" for t in g.findall(SVG + "text")]
    return out


def page_data(html_text: str) -> Any:
    """The data a drawing's HTML carries for the viewer (``<script ... class="rv-data">``), parsed."""
    match = re.search(r'<script type="application/json" class="rv-data">(.*?)</script>', html_text, re.S)
    assert match is not None, "no drawing data in this HTML"
    return json.loads(match.group(1))
