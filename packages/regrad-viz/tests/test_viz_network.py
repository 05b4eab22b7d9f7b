"""The network drawing (``draw_network``): its layout, its colours, its pictures, its files."""

from __future__ import annotations

import itertools
import math
import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from scripts import HAVE_NODE, javascript_errors

import regrad_viz
from regrad_viz import draw_network
from regrad_viz.labels import text_width
from regrad_viz.network import (
    NEGATIVE,
    NODE,
    POSITIVE,
    THICKEST,
    THINNEST,
    line_style,
    network_js,
    picture_png,
)

STATIC = Path(regrad_viz.__file__).parent / "static"
SVG = "{http://www.w3.org/2000/svg}"


def small_network(**options):
    """2 inputs, 3 hidden, 1 output; weights[k][j][i] from node i of layer k to node j of layer k + 1."""
    weights = [[[0.5, -1.0], [1.5, 0.25], [-0.75, 0.0]], [[1.0, -0.5, 2.0]]]
    return draw_network([2, 3, 1], weights, **options)


def grid(f, size=5):
    return [[f(c, r) for c in range(size)] for r in range(size)]


def decode_png(data):
    """(width, height, rows of RGBA tuples) of an 8-bit RGBA PNG without interlacing or filters."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 6)  # 8 bits, RGBA
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = []
    for r in range(height):
        line = raw[r * (4 * width + 1) : (r + 1) * (4 * width + 1)]
        assert line[0] == 0  # no filter
        rows.append([tuple(line[1 + 4 * c : 5 + 4 * c]) for c in range(width)])
    return width, height, rows


# ------------------------------------------------------------ the layout


def test_network_one_box_per_node_one_line_per_weight_in_order():
    drawing = small_network()
    svg = drawing.to_svg()
    root = ElementTree.fromstring(svg)  # a standalone SVG parses as XML
    neurons = root.findall(f".//{SVG}g[@class='rv-neuron']")
    assert [(g.get("data-layer"), g.get("data-index")) for g in neurons] == [
        ("0", "0"),
        ("0", "1"),
        ("1", "0"),
        ("1", "1"),
        ("1", "2"),
        ("2", "0"),
    ]
    lines = root.findall(f".//{SVG}path")
    weights = [line for line in lines if "rv-weight" in line.get("class", "")]
    assert len(weights) == 2 * 3 + 3 * 1
    # in the order (layer, neuron, input), each hover text naming its two ends and its number
    titles = [w.find(f"{SVG}title").text for w in weights]
    assert titles[0] == "x.0 \u2192 L0.N0\nweight = 0.5"
    assert titles[1] == "x.1 \u2192 L0.N0\nweight = -1.0"
    assert titles[6] == "L0.N0 \u2192 L1.N0\nweight = 1.0"
    assert "data-node" not in svg and "data-src" not in svg  # nothing a computation-graph tool would read
    assert " id=" not in svg  # many drawings can share a page


def test_network_columns_left_to_right_each_centred():
    drawing = small_network()
    xs = [column[0][0] for column in drawing.positions]
    assert xs == sorted(xs) and len(set(xs)) == 3
    for column in drawing.positions:
        middle = sum(y for _, y in column) / len(column)
        assert middle == pytest.approx(drawing.positions[1][1][1])  # every column centred on the tallest
    for column in drawing.positions:  # boxes never overlap
        for (_, a), (_, b) in itertools.pairwise(column):
            assert b - a >= NODE
    right = max(x for column in drawing.positions for x, _ in column)
    assert right + NODE / 2 < drawing.width and drawing.height > 3 * NODE


def test_network_names_fit_beside_the_first_and_last_column():
    long_names = [["an input with a long name", "x.1"], ["a", "b", "c"], ["layers.2.neurons.0"]]
    drawing = small_network(names=long_names)
    svg = drawing.to_svg()
    assert ">L2.N0</text>" in svg  # an output's dotted name is abbreviated beside it, whole on hover
    assert "<title>layers.2.neurons.0" in svg
    left = drawing.positions[0][0][0] - NODE / 2
    assert left >= text_width("an input with a long name")


def test_network_layer_titles_and_biases_on_hover():
    drawing = small_network(biases=[[0.1, -0.2, 0.3], [0.25]], layer_titles=["in", "hidden", "out"])
    svg = drawing.to_svg()
    assert ">hidden</text>" in svg
    assert "<title>L0.N1\nbias = -0.2</title>" in svg
    assert "<title>x.0</title>" in svg  # inputs have no bias


def test_network_lines_show_the_sign_and_the_size():
    scale = 2.0
    positive, width_big, opacity_big = line_style(2.0, scale)
    negative, width_small, opacity_small = line_style(-0.5, scale)
    assert positive == "#{:02x}{:02x}{:02x}".format(*POSITIVE)
    assert negative == "#{:02x}{:02x}{:02x}".format(*NEGATIVE)
    assert width_big == THICKEST and width_small == pytest.approx(THINNEST + (THICKEST - THINNEST) / 4)
    assert opacity_big == 1.0 > opacity_small
    assert line_style(100.0, scale)[1] == THICKEST  # sizes past the scale are clipped
    assert line_style(0.0, scale)[1] == THINNEST
    # by default the scale is the largest weight: the thickest line is the largest weight's
    svg = small_network().to_svg()
    assert svg.count(f'stroke-width="{THICKEST:.2f}"') == 1


def test_network_checks_the_shapes():
    with pytest.raises(ValueError, match="at least two layer sizes"):
        draw_network([2], [])
    with pytest.raises(ValueError, match="positive ints"):
        draw_network([2, 0], [[]])
    with pytest.raises(ValueError, match="expected 1 layers of weights"):
        draw_network([2, 1], [])
    with pytest.raises(ValueError, match=r"weights\[0\]: expected 1 rows"):
        draw_network([2, 1], [[[1.0, 2.0], [3.0, 4.0]]])
    with pytest.raises(ValueError, match=r"weights\[0\]\[0\]: expected 2 numbers"):
        draw_network([2, 1], [[[1.0]]])
    with pytest.raises(ValueError, match="biases"):
        draw_network([2, 1], [[[1.0, 2.0]]], biases=[[1.0, 2.0]])
    with pytest.raises(ValueError, match="pictures"):
        draw_network([2, 1], [[[1.0, 2.0]]], pictures=[[None], [None]])
    with pytest.raises(ValueError, match=r"pictures\[1\]\[0\]: a picture is a non-empty grid"):
        draw_network([2, 1], [[[1.0, 2.0]]], pictures=[[None, None], [[[1.0], [1.0, 2.0]]]])
    with pytest.raises(ValueError, match="names"):
        draw_network([2, 1], [[[1.0, 2.0]]], names=[["a"], ["b"]])
    with pytest.raises(ValueError, match="layer_titles"):
        draw_network([2, 1], [[[1.0, 2.0]]], layer_titles=["one"])
    with pytest.raises(ValueError, match="scale"):
        draw_network([2, 1], [[[1.0, 2.0]]], scale=0.0)


def test_network_text_is_escaped_and_made_safe():
    drawing = draw_network([1, 1], [[[1.0]]], names=[["<script>x</script>"], ["a\x0cb"]])
    svg = drawing.to_svg()
    ElementTree.fromstring(svg)
    assert "<script>x" not in svg and "&lt;script&gt;" in svg
    assert "a\\x0cb" in svg
    page = drawing.to_html()
    data = re.search(r'class="rv-network-data">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in data and "\\u003cscript\\u003e" in data


# ------------------------------------------------------------ pictures


def test_network_pictures_are_pngs_coloured_by_sign_and_scaled_to_their_largest_size():
    values = grid(lambda c, r: (c - 2) * 0.5)  # -1 ... +1 along each row
    values[0][0] = math.nan
    width, height, rows = decode_png(picture_png(values))
    assert (width, height) == (5, 5)
    assert rows[0][0][3] == 0  # NaN: transparent
    assert rows[1][0] == (*NEGATIVE, 255)  # -1: the largest size, full orange
    assert rows[1][2][3] == 0  # 0: transparent
    assert rows[1][3] == (*POSITIVE, 128)  # +0.5: half as strong as the largest
    assert rows[1][4] == (*POSITIVE, 255)
    assert decode_png(picture_png([[0.0, 0.0]]))[2] == [[(*NEGATIVE, 0), (*NEGATIVE, 0)]]  # all 0: transparent


def test_network_pictures_sit_in_their_boxes():
    pictures = [[grid(lambda c, r: c), None], [None, grid(lambda c, r: -r), None], [grid(lambda c, r: 1.0)]]
    svg = small_network(pictures=pictures).to_svg()
    images = re.findall(r"<image [^>]*>", svg)
    assert len(images) == 6  # every box has its image element, which network.js can fill
    with_picture = [image for image in images if "href=" in image]
    assert len(with_picture) == 3  # no href at all where there is no picture: an empty one would fetch the page
    assert all('href="data:image/png;base64,' in image for image in with_picture)


# ------------------------------------------------------------ HTML and files


def test_network_html_is_self_contained_and_left_alone_by_the_graph_viewer():
    page = small_network().to_html()
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("<script src", "<link", "http://", "https://", "@import", "url("):
        assert outside not in page
    fragment = small_network().to_html(full_page=False)
    assert fragment.startswith('<div class="regrad-viz rv-network" ')
    assert 'startAll("div.regrad-viz:not(.rv-network)"' in regrad_viz.html.viewer_js()  # the graph viewer skips it
    assert " id=" not in fragment
    assert fragment.count("<script>") == 1 and network_js() in fragment
    assert regrad_viz.html.viewer_css() in fragment  # the graph drawings' frame and palette


def test_network_save_by_extension(tmp_path):
    drawing = small_network()
    assert drawing.save(tmp_path / "n.html").read_text(encoding="utf-8") == drawing.to_html()
    assert drawing.save(tmp_path / "n.svg").read_text(encoding="utf-8") == drawing.to_svg()
    with pytest.raises(ValueError, match=r"use \.html, \.htm or \.svg"):
        drawing.save(tmp_path / "n.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.html", "n.svg"]
    assert drawing._repr_html_() == drawing.to_html(full_page=False)
    assert repr(drawing).startswith("<NetworkDrawing 2 -> 3 -> 1:")


def test_network_data_for_the_script():
    data = small_network(biases=[[0.0, 0.0, 0.0], [1.0]]).data()
    assert data["layers"] == [2, 3, 1] and data["weights"][1] == [[1.0, -0.5, 2.0]]
    assert data["scale"] == 2.0 and data["biases"][1] == [1.0]
    assert data["colours"] == {"positive": list(POSITIVE), "negative": list(NEGATIVE)}
    assert set(data["lines"]) == {"thinnest", "thickest", "faintest"}
    # the fields described at the top of network.js, and no others (its size is the SVG's viewBox)
    assert set(data) == {"layers", "names", "weights", "biases", "scale", "caption", "colours", "lines"}


@pytest.mark.skipif(not HAVE_NODE, reason="needs node to parse JavaScript")
def test_network_script_parses_before_and_after_compacting(tmp_path):
    scripts = {"source.js": (STATIC / "network.js").read_text(encoding="utf-8"), "inline.js": network_js()}
    assert javascript_errors(scripts, tmp_path) == []
