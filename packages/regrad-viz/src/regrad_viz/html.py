"""The interactive HTML: the SVG plus a little inline CSS and JavaScript.

``fragment`` returns one self-contained ``<div class="regrad-viz">``: the
SVG, a scoped ``<style>``, the drawing's data as JSON in
``<script type="application/json">``, and a script. The script is the same in
every fragment and starts every ``div.regrad-viz`` on the page that is not
started yet, reading only inside that div, and the markup uses no ``id``: so
any number of drawings can share one page (a docs page, a notebook).
``page`` wraps one fragment in a complete HTML document.

Nothing is loaded from anywhere: no ``<script src>``, no fonts, no CDN.

The JavaScript offers:

* hover a node: its ancestors and descendants stay bright, the rest fades,
  and a panel shows full-precision value and grad;
* pan (drag) and zoom (buttons; the wheel on a full page, Ctrl + wheel in a
  fragment, so it does not steal the page's scrolling);
* the backward-pass stepper: Prev / Next / Play replay ``regrad.backward_steps``
  in the engine's order. The node whose backward runs is outlined, each input
  edge is labelled with the local derivative and the gradient sent along it,
  and every node's grad line shows the adjoint accumulated so far.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from .graph import Graph
from .labels import COLOURS, LEGEND, fixed

CSS = """
.regrad-viz{--rv-accent:#e8590c;--rv-flow:#d9480f;--rv-ink:#1b1f24;--rv-muted:#5c6670;
 background:#ffffff;color:#1b1f24;border:1px solid #c9ced6;border-radius:8px;
 font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:1em 0;overflow:hidden;color-scheme:light;text-align:left;position:relative}
.regrad-viz *{box-sizing:border-box}
.regrad-viz .rv-bar{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;padding:8px 10px;
 background:#f3f5f7;border-bottom:1px solid #dde1e6;color:#1b1f24}
.regrad-viz .rv-legend-html{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;font-size:13px}
.regrad-viz .rv-swatch{display:inline-block;width:14px;height:12px;border-radius:3px;margin-right:5px;
 vertical-align:-1px;border:1px solid}
.regrad-viz .rv-group{display:flex;gap:4px;align-items:center}
.regrad-viz button{font:inherit;font-size:13px;color:#1b1f24;background:#ffffff;border:1px solid #aab2bc;
 border-radius:5px;padding:2px 10px;cursor:pointer;line-height:1.5;min-width:2.2em}
.regrad-viz button:hover:not(:disabled){background:#e9eef5;border-color:#7d8996}
.regrad-viz button:disabled{color:#9aa1a9;cursor:default;background:#f7f8f9}
.regrad-viz button:focus-visible{outline:2px solid #1f4e8c;outline-offset:1px}
.regrad-viz .rv-count{font-variant-numeric:tabular-nums;color:#5c6670;font-size:13px;min-width:6em}
.regrad-viz .rv-info{padding:6px 10px;min-height:2.1em;border-bottom:1px solid #dde1e6;background:#fffdf8;
 color:#1b1f24;font-size:13px}
.regrad-viz .rv-info b{color:#b03a06}
.regrad-viz .rv-stage{position:relative;height:var(--rv-height,480px);background:#ffffff;cursor:grab;
 touch-action:none;overflow:hidden}
.regrad-viz.rv-page .rv-stage{height:calc(100vh - 110px);min-height:320px}
.regrad-viz .rv-stage.rv-dragging{cursor:grabbing}
.regrad-viz .rv-svg{display:block;width:100%;height:100%;user-select:none}
.regrad-viz .rv-tip{position:absolute;z-index:2;max-width:360px;padding:6px 8px;background:#1b1f24;color:#f3f5f7;
 border-radius:6px;font:12px/1.45 'DejaVu Sans Mono',Menlo,Consolas,monospace;white-space:pre-wrap;
 pointer-events:none;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.regrad-viz .rv-tip[hidden]{display:none}
.regrad-viz .rv-hint{color:#5c6670;font-size:12px;margin-left:auto}
.regrad-viz .rv-node{cursor:pointer}
.regrad-viz .rv-node rect{transition:opacity .12s}
.regrad-viz .rv-hovering .rv-node:not(.rv-hl),.regrad-viz .rv-hovering .rv-edge:not(.rv-hl){opacity:.18}
.regrad-viz .rv-node.rv-hover rect{stroke:#1b1f24;stroke-width:2.5}
.regrad-viz .rv-edge.rv-hl path:first-child{stroke:#1f4e8c;stroke-width:2}
.regrad-viz .rv-edge.rv-hl .rv-arrow{fill:#1f4e8c}
.regrad-viz .rv-node.rv-active rect{stroke:var(--rv-accent);stroke-width:4}
.regrad-viz .rv-node.rv-received .rv-grad{font-weight:bold}
.regrad-viz .rv-op.rv-received .rv-grad,.regrad-viz .rv-const.rv-received .rv-grad{fill:#b03a06}
.regrad-viz .rv-leaf.rv-received .rv-grad{fill:#ffd8a8}
.regrad-viz .rv-edge.rv-flow path:first-child{stroke:var(--rv-flow);stroke-width:2.6}
.regrad-viz .rv-edge.rv-flow .rv-arrow{fill:var(--rv-flow)}
.regrad-viz .rv-edge.rv-noflow path:first-child{stroke:#c2c8cf;stroke-dasharray:4 3}
.regrad-viz .rv-label rect{fill:#fff4e6;stroke:var(--rv-flow)}
.regrad-viz .rv-label text{fill:#7a2a04}
"""

# The script is written for readers: no framework, no build step. It runs once
# per page load for every drawing not yet started (data-rv-ready marks those).
JS = r"""
(function () {
  "use strict";
  function fitBox(vb, w, h, cw, ch) {
    // the viewBox that shows the whole drawing, never enlarged beyond 100 %
    var s = Math.max(w / cw, h / ch, 1);
    var vw = cw * s, vh = ch * s;
    return [(w - vw) / 2, (h - vh) / 2, vw, vh];
  }
  function start(root) {
    root.setAttribute("data-rv-ready", "1");
    var data = JSON.parse(root.querySelector("script.rv-data").textContent);
    var svg = root.querySelector("svg.rv-svg");
    var stage = root.querySelector(".rv-stage");
    var graphG = svg.querySelector(".rv-graph");
    var overlay = svg.querySelector(".rv-overlay");
    var info = root.querySelector(".rv-info");
    var tip = root.querySelector(".rv-tip");
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("g[data-node]"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll("g[data-src]"));
    var byId = {};
    nodes.forEach(function (g, i) { byId[g.getAttribute("data-node")] = i; });
    var ups = nodes.map(function () { return []; }), downs = nodes.map(function () { return []; });
    var edgeSrc = [], edgeDst = [];
    edges.forEach(function (g, k) {
      var s = byId[g.getAttribute("data-src")], d = byId[g.getAttribute("data-dst")];
      edgeSrc.push(s); edgeDst.push(d);
      downs[s].push(k); ups[d].push(k);
    });
    nodes.forEach(function (g) {  // our own tooltip replaces the SVG <title>
      var t = g.querySelector("title"); if (t) g.removeChild(t);
    });
    var gradText = nodes.map(function (g) { return g.querySelector(".rv-grad"); });
    var initialGrad = gradText.map(function (t) { return t ? t.textContent : null; });

    // ---------------------------------------------------------- pan and zoom
    var W = data.width, H = data.height, vb = [0, 0, W, H];
    function setView(b) { vb = b; svg.setAttribute("viewBox", b.map(function (v) { return v.toFixed(1); }).join(" ")); }
    function fit() { setView(fitBox(vb, W, H, stage.clientWidth || W, stage.clientHeight || H)); }
    function zoom(f, cx, cy) {
      var r = svg.getBoundingClientRect();
      var px = cx === undefined ? 0.5 : (cx - r.left) / r.width, py = cy === undefined ? 0.5 : (cy - r.top) / r.height;
      var nw = vb[2] * f, nh = vb[3] * f;
      setView([vb[0] + (vb[2] - nw) * px, vb[1] + (vb[3] - nh) * py, nw, nh]);
    }
    function centreOn(i) {
      var b = nodeBox(i);
      setView([b[0] - vb[2] / 2, b[1] - vb[3] / 2, vb[2], vb[3]]);
    }
    function showNode(i) {  // pan (keeping the zoom) if node i is out of view
      var b = nodeBox(i);
      if (b[0] < vb[0] || b[0] > vb[0] + vb[2] || b[1] < vb[1] || b[1] > vb[1] + vb[3]) centreOn(i);
    }
    function firstView() {
      // the whole drawing if its text stays legible, else half size around the root
      fit();
      var cw = stage.clientWidth || W;
      if (vb[2] / cw > 3) {
        setView([0, 0, cw * 2, (stage.clientHeight || H) * 2]);
        centreOn(0);
      }
    }
    firstView();
    svg.setAttribute("preserveAspectRatio", "none");
    new ResizeObserverLike(stage, fit);
    stage.addEventListener("wheel", function (ev) {
      if (!root.classList.contains("rv-page") && !ev.ctrlKey && !ev.metaKey) return;
      ev.preventDefault();
      zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, ev.clientX, ev.clientY);
    }, { passive: false });
    var drag = null;
    stage.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, vb: vb.slice() };
      stage.classList.add("rv-dragging");
    });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      var dx = (ev.clientX - drag.x) * vb[2] / r.width, dy = (ev.clientY - drag.y) * vb[3] / r.height;
      setView([drag.vb[0] - dx, drag.vb[1] - dy, vb[2], vb[3]]);
    });
    window.addEventListener("pointerup", function () { drag = null; stage.classList.remove("rv-dragging"); });

    // ------------------------------------------------------------ hovering
    function walk(start, adj, ends, mark) {
      var stack = [start], seen = {};
      seen[start] = true;
      while (stack.length) {
        var v = stack.pop();
        adj[v].forEach(function (k) {
          mark.push(edges[k]);
          var w = ends[k];
          if (!seen[w]) { seen[w] = true; mark.push(nodes[w]); stack.push(w); }
        });
      }
    }
    var lit = [];
    function describe(i) {
      var n = data.nodes[i];
      var lines = [n[0] + ": " + n[2] + "  (" + n[1] + ")"];
      if (n[3]) lines.push(n[3]);
      lines.push("value = " + n[4]);
      if (n[5] !== null) lines.push("grad = " + n[5]);
      if (n[6] !== null) lines.push("dL/d" + n[0] + " (backward trace) = " + n[6]);
      if (state.adj[i] !== undefined && state.step > 0) lines.push("accumulated so far = " + state.adjFull[i]);
      return lines.join("\n");
    }
    nodes.forEach(function (g, i) {
      g.addEventListener("mouseenter", function (ev) {
        lit = [g];
        walk(i, ups, edgeSrc, lit);
        walk(i, downs, edgeDst, lit);
        lit.forEach(function (el) { el.classList.add("rv-hl"); });
        g.classList.add("rv-hover");
        graphG.classList.add("rv-hovering");
        tip.textContent = describe(i);
        tip.hidden = false;
        moveTip(ev);
      });
      g.addEventListener("mousemove", moveTip);
      g.addEventListener("mouseleave", function () {
        lit.forEach(function (el) { el.classList.remove("rv-hl"); });
        lit = [];
        g.classList.remove("rv-hover");
        graphG.classList.remove("rv-hovering");
        tip.hidden = true;
      });
    });
    function moveTip(ev) {
      var r = stage.getBoundingClientRect();
      var x = ev.clientX - r.left + 14, y = ev.clientY - r.top + 14;
      if (x + tip.offsetWidth > r.width) x = Math.max(0, ev.clientX - r.left - tip.offsetWidth - 10);
      if (y + tip.offsetHeight > r.height) y = Math.max(0, ev.clientY - r.top - tip.offsetHeight - 10);
      tip.style.left = x + "px"; tip.style.top = y + "px";
    }

    // -------------------------------------------------- backward-pass stepper
    var steps = data.steps, state = { step: 0, adj: {}, adjFull: {} };
    var btn = {};
    ["reset", "prev", "next", "play"].forEach(function (name) { btn[name] = root.querySelector("button.rv-" + name); });
    var count = root.querySelector(".rv-count");
    var NS = svg.namespaceURI;  // the SVG namespace, without spelling out its URL
    function svgEl(tag, attrs) {
      var el = document.createElementNS(NS, tag);
      for (var a in attrs) el.setAttribute(a, attrs[a]);
      return el;
    }
    var placed = [];  // boxes taken in this step (its nodes, earlier labels): labels avoid them
    function nodeBox(i) {
      var b = nodes[i].getBBox();
      var m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(nodes[i].getAttribute("transform"));
      return [+m[1] + b.x + b.width / 2, +m[2] + b.y + b.height / 2, b.width, b.height];
    }
    function label(k, text) {
      var path = edges[k].querySelector("path");
      var len = path.getTotalLength(), w = text.length * 7 + 10, p = null;
      function free(x, y) {
        return placed.every(function (b) {  // b = [centre x, centre y, width, height]
          return Math.abs(b[0] - x) > (b[2] + w) / 2 + 2 || Math.abs(b[1] - y) > (b[3] + 18) / 2 + 1;
        });
      }
      var tries = [0.5, 0.3, 0.7, 0.15, 0.85], x = 0, y = 0, found = false;
      for (var t = 0; t < tries.length && !found; t++) {
        p = path.getPointAtLength(len * tries[t]);
        x = p.x; y = p.y; found = free(x, y);
      }
      if (!found) {  // a crowded spot: slide the label sideways, staying between the two layers
        p = path.getPointAtLength(len / 2);
        for (var k = 1; k < 16 && !found; k++) {
          x = p.x + (k % 2 ? -1 : 1) * (w / 2 + 4) * Math.ceil(k / 2); y = p.y; found = free(x, y);
        }
        if (!found) x = p.x;
      }
      p = { x: x, y: y };
      placed.push([x, y, w, 18]);
      var at = "translate(" + p.x.toFixed(1) + " " + p.y.toFixed(1) + ")";
      var g = svgEl("g", { "class": "rv-label", transform: at });
      g.appendChild(svgEl("rect", { x: -w / 2, y: -9, width: w, height: 18, rx: 4 }));
      var t = svgEl("text", { x: 0, y: 0, dy: "0.35em", "text-anchor": "middle", "font-size": "11" });
      t.textContent = text;
      g.appendChild(t);
      overlay.appendChild(g);
    }
    function clearMarks() {
      root.querySelectorAll(".rv-active,.rv-flow,.rv-noflow,.rv-received").forEach(function (el) {
        el.classList.remove("rv-active", "rv-flow", "rv-noflow", "rv-received");
      });
      while (overlay.firstChild) overlay.removeChild(overlay.firstChild);
      placed = [];
    }
    function show(stepNo) {
      // replay steps 1..stepNo from scratch: adjoints accumulate exactly as in the engine
      clearMarks();
      state.step = stepNo; state.adj = {}; state.adjFull = {};
      gradText.forEach(function (t, i) { if (t) t.textContent = initialGrad[i]; });
      if (steps.length) { state.adj[steps[0][0]] = steps[0][1]; state.adjFull[steps[0][0]] = steps[0][2]; }
      for (var s = 0; s < stepNo; s++) {
        steps[s][3].forEach(function (send) {
          if (send[4]) { state.adj[send[1]] = send[5]; state.adjFull[send[1]] = send[6]; }
        });
      }
      if (stepNo > 0) {
        Object.keys(state.adj).forEach(function (i) {
          if (gradText[i]) { gradText[i].textContent = "grad " + state.adj[i]; nodes[i].classList.add("rv-received"); }
        });
      }
      var msg;
      if (!steps.length) {
        msg = "No gradient flows to this root (it does not require grad): " +
          "there is no backward pass to step through.";
      } else if (stepNo === 0) {
        msg = "Press Next to run the backward pass, one node at a time, in the order the engine runs it (" +
          steps.length + " steps). The root starts with grad " + steps[0][1] + ".";
      } else {
        var st = steps[stepNo - 1], n = data.nodes[st[0]];
        nodes[st[0]].classList.add("rv-active");
        showNode(st[0]);
        msg = "Step " + stepNo + ": backward of " + n[2] + " (" + n[0] + ") receives dL/d" + n[0] +
          " = " + st[1] + ". ";
        if (!st[3].length) {
          msg += "It is a leaf: this is its final gradient.";
        } else {
          placed.push(nodeBox(st[0]));
          st[3].forEach(function (send) { placed.push(nodeBox(send[1])); });
          var parts = st[3].map(function (send) {
            var src = data.nodes[send[1]];
            edges[send[0]].classList.add(send[4] ? "rv-flow" : "rv-noflow");
            var local = send[2] === null ? "" : st[1] + " \u00d7 " + send[2] + " = ";
            label(send[0], (send[2] === null ? "" : "\u00d7" + send[2] + " = ") + send[3]);
            return src[2] + " (" + src[0] + ") gets " + local + send[3] + (send[4] ? "" : " (a constant: not kept)");
          });
          msg += "Chain rule, grad \u00d7 local derivative, per input: " + parts.join("; ") + ".";
        }
      }
      info.textContent = msg;
      count.textContent = steps.length ? "step " + stepNo + " / " + steps.length : "no steps";
      btn.prev.disabled = btn.reset.disabled = stepNo === 0;
      btn.next.disabled = btn.play.disabled = stepNo >= steps.length;
      if (stepNo >= steps.length) stopPlay();
    }
    var timer = null;
    function stopPlay() { if (timer) { clearInterval(timer); timer = null; btn.play.textContent = "\u25b6 Play"; } }
    btn.next.addEventListener("click", function () { if (state.step < steps.length) show(state.step + 1); });
    btn.prev.addEventListener("click", function () { stopPlay(); if (state.step > 0) show(state.step - 1); });
    btn.reset.addEventListener("click", function () { stopPlay(); show(0); });
    btn.play.addEventListener("click", function () {
      if (timer) { stopPlay(); return; }
      btn.play.textContent = "\u23f8 Pause";
      btn.play.disabled = false;
      timer = setInterval(function () { if (state.step < steps.length) show(state.step + 1); else stopPlay(); }, 900);
    });
    root.querySelector("button.rv-fit").addEventListener("click", fit);
    root.querySelector("button.rv-in").addEventListener("click", function () { zoom(1 / 1.25); });
    root.querySelector("button.rv-out").addEventListener("click", function () { zoom(1.25); });
    show(0);
  }
  function ResizeObserverLike(el, fn) {
    if (typeof ResizeObserver !== "undefined") {
      var last = [el.clientWidth, el.clientHeight];
      new ResizeObserver(function () {
        if (el.clientWidth !== last[0] || el.clientHeight !== last[1]) {
          last = [el.clientWidth, el.clientHeight];
          fn();
        }
      }).observe(el);
    }
  }
  function startAll() {
    var all = document.querySelectorAll("div.regrad-viz:not([data-rv-ready])");
    for (var i = 0; i < all.length; i++) {
      try { start(all[i]); } catch (err) { all[i].setAttribute("data-rv-ready", "error"); throw err; }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
"""


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``</script>`` or ``<!--`` in a user's label must not end or confuse the
    script block, so ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc.
    (JSON.parse turns them back into the characters).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def drawing_data(graph: Graph, width: float, height: float, decimals: int) -> dict[str, Any]:
    """What the script needs: node texts for hovering and the backward steps.

    Numbers are sent already formatted (fixed decimals and Python's full
    repr), so the page shows exactly what Python would print.
    """
    nodes = []
    for node in graph.nodes:
        args = ", ".join(f"{k}={v!r}" for k, v in node.op_args.items())
        nodes.append(
            [
                node.id,
                node.kind,
                node.title,
                args,
                repr(node.value),
                None if node.grad is None else repr(node.grad),
                None if node.adjoint is None else repr(node.adjoint),
            ]
        )
    steps: list[list[object]] = []
    acc: dict[int, float] = {}
    for step in graph.steps:
        if not steps:
            acc[step.node] = step.grad
        sends = []
        for k, local, sent, flows in step.sends:
            parent = graph.edges[k].src
            if flows:
                acc[parent] = acc.get(parent, 0.0) + sent  # the engine's order of additions
            total = acc.get(parent, 0.0)
            sends.append(
                [
                    k,
                    parent,
                    None if local is None else fixed(local, decimals),
                    fixed(sent, decimals),
                    1 if flows else 0,
                    fixed(total, decimals),
                    repr(total),
                ]
            )
        steps.append([step.node, fixed(step.grad, decimals), repr(step.grad), sends])
    return {"width": width, "height": height, "nodes": nodes, "steps": steps}


def _legend_html() -> str:
    parts = ['<div class="rv-legend-html">']
    for kind, text in LEGEND:
        fill, stroke, _ = COLOURS[kind]
        swatch = f'<span class="rv-swatch" style="background:{fill};border-color:{stroke}"></span>'
        parts.append(f"<span>{swatch}{escape(text)}</span>")
    parts.append("</div>")
    return "".join(parts)


def fragment(svg: str, data: dict[str, Any], *, page: bool = False, height: float | None = None) -> str:
    """One self-contained ``<div class="regrad-viz">`` (see the module docstring)."""
    stage_h = 480 if height is None else int(min(640, max(220, height + 24)))
    cls = "regrad-viz rv-page" if page else "regrad-viz"
    wheel = "wheel: zoom" if page else "Ctrl + wheel: zoom"
    return "".join(
        [
            f'<div class="{cls}" style="--rv-height:{stage_h}px">',
            f"<style>{CSS}</style>",
            '<div class="rv-bar">',
            _legend_html(),
            '<div class="rv-group" role="group" aria-label="backward-pass stepper">',
            '<button type="button" class="rv-reset" title="back to the start">Reset</button>',
            '<button type="button" class="rv-prev">\u25c0 Prev</button>',
            '<button type="button" class="rv-next">Next \u25b6</button>',
            '<button type="button" class="rv-play">\u25b6 Play</button>',
            '<span class="rv-count"></span></div>',
            '<div class="rv-group" role="group" aria-label="zoom">',
            '<button type="button" class="rv-out" title="zoom out">\u2212</button>',
            '<button type="button" class="rv-in" title="zoom in">+</button>',
            '<button type="button" class="rv-fit" title="show the whole graph">Fit</button></div>',
            f'<span class="rv-hint">hover: details \u00b7 drag: pan \u00b7 {wheel}</span>',
            "</div>",
            '<div class="rv-info" aria-live="polite"></div>',
            '<div class="rv-stage">',
            svg,
            '<div class="rv-tip" hidden></div></div>',
            f'<script type="application/json" class="rv-data">{script_json(data)}</script>',
            f"<script>{JS}</script>",
            "</div>",
        ]
    )


def page(fragment_html: str, title: str) -> str:
    """A complete HTML document around one fragment."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>html,body{margin:0;background:#eef1f4}body{padding:8px}"
        ".regrad-viz{margin:0}</style>\n</head>\n<body>\n"
        f"{fragment_html}\n</body>\n</html>\n"
    )
