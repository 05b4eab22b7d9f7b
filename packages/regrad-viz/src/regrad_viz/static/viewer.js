// The regrad-viz viewer: hover, zoom and scroll, and the backward-pass stepper.
//
// html.py inlines shell.js (the frame: zoom, scrolling, the hover panel,
// focus; makeFrame and startAll below come from there) and this file, with
// comments and indentation stripped, into one script in every drawing, so
// each HTML output carries its own copy: notebook front ends such as Colab
// show every output in a page of its own. The script starts every drawing on
// the page that is not started yet (data-rv-ready marks those) and reads only
// inside each drawing's <div class="regrad-viz">, which has no id: any number
// of drawings can share a page. (A network drawing, div.regrad-viz.rv-network,
// has the same look and its own script, network.js: this one leaves it alone.)
//
// Each drawing's data is JSON in <script type="application/json" class="rv-data">:
//   nodes[i].name: how the messages name node i (the first line of its box)
//   steps[s]: one step of the backward pass, in the engine's order:
//     node: the node whose backward runs
//     grad, grad_exact: the dL/d(node) it received (as shown; at full precision)
//     blocked: for these values its op passes no gradient to its inputs
//     error: the message of the exception its backward raised, or null
//     sends[k]: what the step sends to one input:
//       edge: the input edge's index; input: the input node's index
//       local: the local derivative d(node)/d(input)
//       sent: grad × local; flows: false if the input keeps no gradient (a constant)
//       total, total_exact: what the input has received so far
// The SVG holds the rest: nodes are <g data-node> (their <title> is the hover
// text), edges <g data-src data-dst>, and each box's gradient line is .rv-grad.
// Numbers arrive formatted by Python, so the page shows what Python prints.
//
// New numbers, same drawing: root.regradViz.update(newData) (see the end of
// start) shows the same graph with other values, for a page that recomputes
// them (regrad-nn's training explorer does, for each point and epoch).

// a whole page opens with its text at least this big (× 12 px)
const LEGIBLE = 0.75;

function start(root) {
  let data = JSON.parse(root.querySelector("script.rv-data").textContent);
  let steps = data.steps; // both replaced by update(newData)
  const frame = makeFrame(root, 0.05);
  const { page, stage, svg, height } = frame;
  const graphGroup = svg.querySelector(".rv-graph");
  const overlay = svg.querySelector(".rv-overlay");
  const info = root.querySelector(".rv-info");
  const count = root.querySelector(".rv-count");
  const speed = root.querySelector("select.rv-speed");
  const button = {};
  for (const name of ["reset", "prev", "next", "play"]) {
    button[name] = root.querySelector("button.rv-" + name);
  }
  let current = 0; // the stepper has run steps 1..current
  let received = {}; // node index -> {text, exact}: the gradient it has received so far
  let marked = []; // what the step shown marks: its node (.rv-active) and its edges (.rv-flow, .rv-noflow)

  // ------------------------------------------------------------ the graph

  const nodes = Array.from(svg.querySelectorAll("g[data-node]"));
  const edges = Array.from(svg.querySelectorAll("g[data-src]"));
  const indexOf = {};
  nodes.forEach((g, i) => (indexOf[g.getAttribute("data-node")] = i));
  // edge k runs from edgeSource[k] to edgeTarget[k]; inputEdges[i], outputEdges[i]: the edges of node i
  const edgeSource = edges.map((g) => indexOf[g.getAttribute("data-src")]);
  const edgeTarget = edges.map((g) => indexOf[g.getAttribute("data-dst")]);
  const inputEdges = nodes.map(() => []);
  const outputEdges = nodes.map(() => []);
  edges.forEach((g, k) => {
    outputEdges[edgeSource[k]].push(k);
    inputEdges[edgeTarget[k]].push(k);
  });
  // a node's hover text is its SVG <title>, which our panel replaces
  const details = nodes.map((g) => {
    const title = g.querySelector("title");
    if (!title) return "";
    title.remove();
    return title.textContent;
  });
  // each box's gradient line, and what it says before the stepper writes in it
  const gradLines = nodes.map((g) => g.querySelector(".rv-grad"));
  const drawn = gradLines.map((line) => line && { text: line.textContent, cls: line.getAttribute("class") });

  // ------------------------------------------------------ the first view

  function fit() {
    // The fitted view, which Fit comes back to. In a page of text: as wide as
    // the column (never above 100 %), and the stage as tall as the drawing up
    // to about the window's height, past which it scrolls (frame.columnScale).
    // A whole page: the stage fills the window, and the drawing is whole if
    // its text stays legible, else as wide as the window if that is legible,
    // else whole.
    let scale = frame.columnScale();
    if (page) {
      const whole = Math.min(scale, stage.clientHeight / height);
      if (whole >= LEGIBLE || scale < LEGIBLE) scale = whole;
    }
    frame.fitTo(scale);
    // A wide graph on a whole page: even as wide as the window, its text would
    // be too small to read. Fit shows it whole, and it opens at a legible size
    // instead, at the root (node 0), where the backward pass starts.
    if (page && scale < LEGIBLE) {
      frame.resize(LEGIBLE);
      frame.show(nodes[0]);
    }
  }

  // ------------------------------------------------------------ hovering

  function collect(from, nextEdges, otherEnd, found) {
    // every edge and node reachable from node `from` along nextEdges
    const stack = [from];
    const seen = new Set(stack);
    while (stack.length) {
      for (const k of nextEdges[stack.pop()]) {
        found.push(edges[k]);
        if (!seen.has(otherEnd[k])) {
          seen.add(otherEnd[k]);
          found.push(nodes[otherEnd[k]]);
          stack.push(otherEnd[k]);
        }
      }
    }
  }

  let lit = [];
  nodes.forEach((g, i) => {
    g.addEventListener("mouseenter", () => {
      // the node, what it depends on and what depends on it stay bright; the rest fades
      lit = [g];
      collect(i, inputEdges, edgeSource, lit);
      collect(i, outputEdges, edgeTarget, lit);
      lit.forEach((element) => element.classList.add("rv-related"));
      g.classList.add("rv-hover");
      graphGroup.classList.add("rv-hovering");
    });
    g.addEventListener("mouseleave", () => {
      lit.forEach((element) => element.classList.remove("rv-related"));
      g.classList.remove("rv-hover");
      graphGroup.classList.remove("rv-hovering");
    });
    // and the panel shows its hover text, with what it has received so far in the stepper
    frame.hover(g, () => details[i] + (received[i] ? "\nreceived so far = " + received[i].exact : ""));
  });

  // -------------------------------------------------- the backward pass

  const nameOf = (i) => data.nodes[i].name;

  function replay(stepNo) {
    // what each node has received after steps 1..stepNo, summed in the engine's order
    const sums = {};
    if (stepNo > 0) sums[steps[0].node] = { text: steps[0].grad, exact: steps[0].grad_exact };
    for (const step of steps.slice(0, stepNo)) {
      for (const send of step.sends) {
        if (send.flows) sums[send.input] = { text: send.total, exact: send.total_exact };
      }
    }
    return sums;
  }

  function writeGradLine(i) {
    // before the first step, what box i was drawn with (a leaf's .grad, its
    // adjoint if shown); then its adjoint so far, and nothing where the pass
    // has not arrived yet
    const line = gradLines[i];
    if (!line) return;
    const sum = received[i];
    nodes[i].classList.toggle("rv-received", Boolean(sum));
    if (sum) {
      line.textContent = "adj " + sum.text;
      line.setAttribute("class", "rv-grad rv-adj");
    } else {
      const notYet = current > 0 && drawn[i].cls.includes("rv-adj");
      line.textContent = notYet ? "" : drawn[i].text;
      line.setAttribute("class", drawn[i].cls);
    }
  }

  function mark(element, cls) {
    element.classList.add(cls);
    marked.push(element);
  }

  function svgElement(tag, attributes) {
    const element = document.createElementNS(svg.namespaceURI, tag);
    for (const name in attributes) element.setAttribute(name, attributes[name]);
    return element;
  }

  function nodeBox(i) {
    // [centre x, centre y, width, height] of node i, in drawing units
    const box = nodes[i].getBBox();
    const at = nodes[i].transform.baseVal.consolidate().matrix; // the node's translate(x y): at.e, at.f
    return [at.e + box.x + box.width / 2, at.f + box.y + box.height / 2, box.width, box.height];
  }

  let placed = []; // boxes taken in this step (its nodes, the labels so far): labels avoid them
  const isFree = (x, y, w) =>
    placed.every((b) => Math.abs(b[0] - x) > (b[2] + w) / 2 + 2 || Math.abs(b[1] - y) > (b[3] + 18) / 2 + 1);

  function label(k, text) {
    // a label on edge k, at a free spot along it or, where it is crowded, beside its middle
    const path = edges[k].querySelector("path");
    const length = path.getTotalLength();
    const w = text.length * 7 + 10;
    let spot = null;
    for (const along of [0.5, 0.3, 0.7, 0.15, 0.85]) {
      const p = path.getPointAtLength(length * along);
      if (isFree(p.x, p.y, w)) {
        spot = p;
        break;
      }
    }
    const middle = path.getPointAtLength(length / 2);
    for (let n = 1; n < 16 && !spot; n++) {
      const x = middle.x + (n % 2 ? -1 : 1) * (w / 2 + 4) * Math.ceil(n / 2);
      if (isFree(x, middle.y, w)) spot = { x: x, y: middle.y };
    }
    spot = spot || middle;
    placed.push([spot.x, spot.y, w, 18]);
    const at = `translate(${spot.x.toFixed(1)} ${spot.y.toFixed(1)})`;
    const g = svgElement("g", { class: "rv-label", transform: at });
    g.append(svgElement("rect", { x: -w / 2, y: -9, width: w, height: 18, rx: 4 }));
    const words = svgElement("text", { x: 0, y: 0, dy: "0.35em", "text-anchor": "middle", "font-size": "11" });
    words.textContent = text;
    g.append(words);
    overlay.append(g);
  }

  // A message is a list of pieces: a string is plain text, [text] is shown in bold.
  function write(element, pieces) {
    element.replaceChildren();
    for (const piece of pieces) {
      if (typeof piece === "string") {
        element.append(piece);
      } else {
        const bold = document.createElement("b");
        bold.textContent = piece[0];
        element.append(bold);
      }
    }
  }

  function introduction() {
    if (!steps.length) {
      return ["No gradient flows to this root (it does not require grad): there is no backward pass to run."];
    }
    return [
      "Press Next (or → while the drawing has focus) to run the backward pass one box at a time, in the order " +
        `the engine runs it (${steps.length} steps). It starts at the root, `,
      [nameOf(steps[0].node)],
      ", with dL/d(root) = ",
      [steps[0].grad],
      ".",
    ];
  }

  function explainStep(stepNo) {
    // mark step stepNo in the drawing and say what it does, naming boxes by what they show
    const step = steps[stepNo - 1];
    mark(nodes[step.node], "rv-active");
    frame.show(nodes[step.node]);
    const words = [`Step ${stepNo} of ${steps.length}: `, [nameOf(step.node)], " received its gradient dL/d(box) = "];
    words.push([step.grad], ". ");
    if (step.error !== null) {
      words.push("Its backward failed with this error: ", [step.error]);
      words.push(". The backward pass stops here: there are no more steps.");
    } else if (step.blocked) {
      inputEdges[step.node].forEach((k) => mark(edges[k], "rv-noflow"));
      words.push(
        "No gradient flows here: for these values its op passes none to its inputs (like a ReLU that is off), " +
          "so the backward pass does not go past it.",
      );
    } else if (nodes[step.node].getAttribute("data-kind") === "leaf") {
      words.push("It is a leaf: this is its final gradient, the one backward() adds to its .grad.");
    } else if (!step.sends.length) {
      words.push("It sends no gradient to its inputs.");
    } else {
      placed = [step.node, ...step.sends.map((send) => send.input)].map(nodeBox);
      words.push("Chain rule, for each input: dL/d(box) × local derivative = what the input gets: ");
      step.sends.forEach((send, n) => {
        mark(edges[send.edge], send.flows ? "rv-flow" : "rv-noflow");
        label(send.edge, `×${send.local} = ${send.sent}`);
        words.push(n ? "; " : "", [nameOf(send.input)], ` gets ${step.grad} × ${send.local} = `, [send.sent]);
        if (!send.flows) words.push(" (a constant: not kept)");
      });
      words.push(".");
    }
    return words;
  }

  function show(stepNo) {
    // the drawing after steps 1..stepNo (0: before the pass starts)
    marked.forEach((element) => element.classList.remove("rv-active", "rv-flow", "rv-noflow"));
    marked = [];
    overlay.replaceChildren();
    placed = [];
    const oneStepOn = current > 0 && stepNo === current + 1;
    current = stepNo;
    if (oneStepOn) {
      // Next: only the inputs that this step sends a gradient to change
      for (const send of steps[stepNo - 1].sends) {
        if (!send.flows) continue;
        received[send.input] = { text: send.total, exact: send.total_exact };
        writeGradLine(send.input);
      }
    } else {
      // anywhere else (back, Home, End, the first step, new numbers): every box, from the start
      received = replay(stepNo);
      for (let i = 0; i < nodes.length; i++) writeGradLine(i);
    }
    write(info, stepNo === 0 ? introduction() : explainStep(stepNo));
    count.textContent = steps.length ? `step ${stepNo} / ${steps.length}` : "no steps";
    button.prev.disabled = button.reset.disabled = stepNo === 0;
    button.next.disabled = button.play.disabled = stepNo >= steps.length;
    if (stepNo >= steps.length) stopPlaying();
  }

  function goTo(stepNo) {
    stopPlaying();
    show(Math.max(0, Math.min(steps.length, stepNo)));
  }

  // Play runs one step after another; the speed list gives the milliseconds per step.
  let timer = null;
  const advance = () => show(Math.min(steps.length, current + 1));
  function startPlaying() {
    button.play.textContent = "⏸ Pause";
    timer = setInterval(advance, Number(speed.value));
    advance();
  }
  function stopPlaying() {
    clearInterval(timer);
    timer = null;
    button.play.textContent = "▶ Play";
  }
  function togglePlaying() {
    if (timer !== null) stopPlaying();
    else if (current < steps.length) startPlaying();
  }
  speed.addEventListener("change", () => {
    if (timer === null) return;
    clearInterval(timer);
    timer = setInterval(advance, Number(speed.value));
  });

  button.next.addEventListener("click", advance);
  button.prev.addEventListener("click", () => goTo(current - 1));
  button.reset.addEventListener("click", () => goTo(0));
  button.play.addEventListener("click", togglePlaying);

  // ------------------------------------------------------------ keys

  // While the drawing has focus (click it, or Tab to it), these keys drive the stepper.
  const keys = {
    ArrowRight: () => goTo(current + 1),
    ArrowDown: () => goTo(current + 1),
    ArrowLeft: () => goTo(current - 1),
    ArrowUp: () => goTo(current - 1),
    Home: () => goTo(0),
    End: () => goTo(steps.length),
    " ": togglePlaying,
  };
  root.addEventListener("keydown", (event) => {
    const action = keys[event.key];
    // the speed list uses the arrows itself, and a focused button is pressed by space
    if (!action || event.altKey || event.ctrlKey || event.metaKey || event.target === speed) return;
    if (event.key === " " && event.target.tagName === "BUTTON") return;
    event.preventDefault(); // no page scrolling ...
    event.stopPropagation(); // ... and no notebook shortcut for a key the drawing used
    action();
  });

  frame.keepFitted(fit);
  show(0);

  // ------------------------------------------ new numbers, same drawing

  // root.regradViz.update(newData): the same nodes and edges with other
  // numbers. newData has the fields described at the top (nodes[i].name,
  // steps); each nodes[i] may also say what its box shows now (a field left
  // out stays as it is):
  //   args, value: the texts of its arguments line and its value line ("val 1.0000")
  //   grad: the text of its gradient line ("grad 0.5000", "adj 0.5000" or "");
  //     adjoint: true if that line shows an adjoint (italic, as svg.py draws it)
  //   details: its hover text
  //   blocked: no gradient flows through it (a dashed border, dashed edges into it)
  // The stepper stays at its step (or the last one, if there are fewer now).
  function update(newData) {
    newData.nodes.forEach((node, i) => {
      const g = nodes[i];
      for (const [line, text] of [[".rv-args", node.args], [".rv-val", node.value]]) {
        if (text !== undefined && g.querySelector(line)) g.querySelector(line).textContent = text;
      }
      if (node.grad !== undefined && drawn[i]) {
        drawn[i] = { text: node.grad, cls: node.adjoint ? "rv-grad rv-adj" : "rv-grad" };
      }
      if (node.details !== undefined) details[i] = node.details;
      if (node.blocked !== undefined) {
        // svg.py drew the dashed border for a static file; here the style sheet draws it, by the class
        g.classList.toggle("rv-blocked", node.blocked);
        g.querySelector("rect").removeAttribute("stroke-width");
        g.querySelector("rect").removeAttribute("stroke-dasharray");
        for (const k of inputEdges[i]) {
          edges[k].querySelector("path").setAttribute("stroke-dasharray", node.blocked ? "4 3" : "none");
        }
      }
    });
    data = newData;
    steps = newData.steps;
    show(Math.min(current, steps.length));
  }

  root.regradViz = { update };
}

startAll("div.regrad-viz:not(.rv-network)", "data-rv-ready", start);
