// The regrad-nn training explorer: watch a network learn, epoch by epoch, and
// follow the chain rule for one point of your choice.
//
// explore.py inlines this file (comments and indentation stripped) into the
// page, after two regrad-viz drawings it reuses: the network
// (div.rv-network, network.js) and the computation graph of one point's
// loss term (div.regrad-viz, viewer.js with its backward-pass stepper). This
// script gives both new numbers through their hook, element.regradViz.update.
//
// The page's data is JSON in <script type="application/json" class="rx-data">:
//   layers: the layer sizes, [2, 16, 16, 1]; activation: that of the hidden layers
//   loss: "hinge", "bce" or "mse"; alpha: the weight of the L2 penalty in the loss
//   points[k]: point k, [x.0, x.1]; labels[k]: its class, -1 or +1
//   plane: x, y: [lowest, highest] coordinates shown; grid: outputs are computed on grid × grid points
//   frames[f]: one snapshot of the weights:
//     epoch: they are the weights after this many epochs of training
//     lr: the learning rate of the next epoch (null after the last)
//     weights: every parameter, in the order of model.parameters(): layer by
//       layer, neuron by neuron, its weights w_1..w_n and then its bias b
//   graph[i]: node i of the point's graph, in the drawing's order (node 0 is the root):
//     kind: "leaf" (a parameter), "const" or "op"; title: its box's first line;
//     name: how the stepper's messages name it; about: the first line of its hover text;
//     args, args_full: its arguments line in the box and on hover ("" for none,
//       null where the point decides them: the cross-entropy's target)
//     a leaf's or constant's value: parameter (an index into weights), input
//       (a coordinate of the point), label (the point's label y) or number
//     an op node: op (its class), op_args (its arguments: a FusedNeuron's
//       activation, a Pow's power, ...), inputs (node indices, in order)
//
// element.regradExplorer (for tools and tests): show(frame, point) goes
// there; graphData(frame, point) returns the data the page gives the graph
// drawing for that point (viewer.js's fields, with each box's texts; the
// hover texts hold every number at full precision); curves[f] holds the
// loss and accuracy of snapshot f, and every point's score and loss term.
//
// Everything on the page is computed here from those numbers, with the same
// arithmetic in the same order as regrad and regrad-nn do it in Python: the
// network's outputs, the loss and accuracy of every snapshot, and the point's
// graph down to its backward pass (the engine's order of steps, and the
// ReLUs through which no gradient flows). Numbers are printed as Python
// prints them. The tests compare the page's numbers with regrad's.

(() => {
  "use strict";

  const DECIMALS = 4; // digits in the graph's boxes, as regrad_viz.draw's default
  const PLAY_MS = 120; // one snapshot after another, this many milliseconds apart
  const LEGIBLE = 0.8; // the graph's text is shown at least this large (× 12 px), zoomed in if need be
  const STRONGEST = 1; // in the plane, an output this far from 0 gets the full colour (the hinge's margin)
  const PICTURE_STEP = 2; // the network's pictures show every other point of the plane's grid (a box is 34 px)
  const BLUE = [28, 126, 214]; // class +1 and positive numbers, as in the network drawing
  const ORANGE = [232, 89, 12]; // class -1 and negative numbers

  // ------------------------------------------------ numbers as Python prints them

  function fixed(x, decimals) {
    // f"{x:.4f}": rounds the exact binary value, a tie to the even digit (toFixed would round it up)
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    const size = Math.abs(x);
    const text = size.toFixed(decimals);
    const scaled = size * 10 ** decimals;
    if (Math.abs((scaled % 1) - 0.5) > 1e-6) return sign + text; // nowhere near a tie (the usual case)
    const exact = size.toFixed(100); // every digit of the binary value, for the sizes we show
    const point = exact.indexOf(".");
    if (!/^50*$/.test(exact.slice(point + 1 + decimals))) return sign + text;
    const down = exact.slice(0, point + 1 + decimals).replace(/\.$/, ""); // a tie: the even one of down and up
    return sign + (Number(down.slice(-1)) % 2 === 0 ? down : text);
  }

  function repr(x) {
    // repr(x): the shortest digits that give x back, in Python's layout (1.0, 0.0001, 1e-05, 1e+16)
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sign = x < 0 ? "-" : "";
    const [mantissa, power] = Math.abs(x).toExponential().split("e"); // the shortest digits, as Python finds them
    const digits = mantissa.replace(".", "");
    const exponent = Number(power);
    if (exponent < -4 || exponent >= 16) {
      const tail = digits.length > 1 ? "." + digits.slice(1) : "";
      const size = String(Math.abs(exponent)).padStart(2, "0");
      return `${sign}${digits[0]}${tail}e${exponent < 0 ? "-" : "+"}${size}`;
    }
    if (exponent < 0) return sign + "0." + "0".repeat(-exponent - 1) + digits;
    if (digits.length <= exponent + 1) return sign + digits + "0".repeat(exponent + 1 - digits.length) + ".0";
    return sign + digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
  }

  const show = (x) => fixed(x, DECIMALS);

  // ------------------------------------------------ the network on plain numbers

  function relu(s) {
    return s <= 0 ? 0 : s; // regrad.ops.relu: NaN stays NaN
  }

  function sigmoid(s) {
    // regrad.ops.sigmoid: exp never overflows
    if (s >= 0) return 1 / (1 + Math.exp(-s));
    const e = Math.exp(s);
    return e / (1 + e);
  }

  const ACTIVATIONS = { relu: relu, tanh: Math.tanh, sigmoid: sigmoid, linear: (s) => s };

  function weightedSum(b, ws, xs) {
    // b + w_1 x_1 + ... + w_n x_n, added in this order, as regrad-nn adds it
    let s = b;
    for (let i = 0; i < ws.length; i++) s += ws[i] * xs[i];
    return s;
  }

  function network(weights, layers, activation) {
    // the flat list of parameters as layers of neurons: {w, b, act}
    const out = [];
    let at = 0;
    for (let k = 1; k < layers.length; k++) {
      const neurons = [];
      for (let j = 0; j < layers[k]; j++) {
        neurons.push({ w: weights.slice(at, at + layers[k - 1]), b: weights[at + layers[k - 1]] });
        at += layers[k - 1] + 1;
      }
      out.push({ neurons: neurons, act: ACTIVATIONS[k === layers.length - 1 ? "linear" : activation] });
    }
    return out;
  }

  function outputs(net, x) {
    // every layer's outputs for the input x (model.predict computes the last of them)
    const all = [x];
    for (const layer of net) {
      const inputs = all[all.length - 1];
      all.push(layer.neurons.map((n) => layer.act(weightedSum(n.b, n.w, inputs))));
    }
    return all;
  }

  function predict(net, x) {
    // the network's one output, its score, for the input x (as model.predict computes it)
    return outputs(net, x).pop()[0];
  }

  function lossTerm(loss, score, label) {
    // one point's term, computed as its graph computes it
    if (loss === "hinge") return relu(1 - label * score);
    if (loss === "bce") return crossEntropy(score, (1 + label) / 2);
    return Math.pow(score - label, 2);
  }

  function crossEntropy(s, t) {
    // BCEWithLogits.forward: (1 - t) s - min(s, 0) + log(1 + e^-|s|)
    return (1 - t) * s - Math.min(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
  }

  function lossAndAccuracy(frame, data) {
    // the training loss of these weights on all the points, as train_moons computes it:
    // Sum of the terms, times 1/n, plus alpha times the Dot of the parameters with themselves;
    // and each point's score and term, kept: the page shows them as it moves through the snapshots
    const net = network(frame.weights, data.layers, data.activation);
    const scores = data.points.map((x) => predict(net, x));
    const terms = scores.map((score, k) => lossTerm(data.loss, score, data.labels[k]));
    let sum = 0;
    for (const term of terms) sum += term;
    let loss = sum * (1 / data.points.length);
    if (data.alpha) {
      let squares = 0;
      for (const p of frame.weights) squares += p * p;
      loss = loss + data.alpha * squares;
    }
    // accuracy: a score > 0 says class +1; a NaN score is always wrong
    const right = scores.filter((score, k) => !Number.isNaN(score) && score > 0 === data.labels[k] > 0).length;
    return { loss: loss, accuracy: right / data.points.length, scores: scores, terms: terms };
  }

  // ------------------------------------------------ one point's graph: regrad's engine, in small
  //
  // The same graph serves every point; these functions compute its numbers
  // for one point and one snapshot, as regrad does: the forward values, then
  // the backward pass planned and swept as regrad/engine.py plans and sweeps it.

  const OPS = {
    FusedNeuron: {
      // z = act(b + w_1 x_1 + ... + w_n x_n), inputs (b, w_1..w_n, x_1..x_n);
      // dz/db = a, dz/dw_i = a x_i, dz/dx_i = a w_i with a the activation's slope
      forward(node, v) {
        const n = (v.length - 1) / 2;
        return ACTIVATIONS[node.op_args.activation](weightedSum(v[0], v.slice(1, n + 1), v.slice(n + 1)));
      },
      derivatives(node, z, v) {
        const n = (v.length - 1) / 2;
        const ws = v.slice(1, n + 1);
        const xs = v.slice(n + 1);
        const activation = node.op_args.activation;
        let a = 1;
        if (activation === "relu") {
          if (z !== 0) return [1, ...xs, ...ws]; // on: the slope is 1
          if (Number.isFinite(weightedSum(v[0], ws, xs))) return null; // off: no gradient flows
          a = 0;
        } else if (activation === "tanh") {
          a = 1 - z * z;
        } else if (activation === "sigmoid") {
          a = z * (1 - z);
        } else {
          return [1, ...xs, ...ws];
        }
        return [a, ...xs.map((x) => a * x), ...ws.map((w) => a * w)];
      },
      mayBlock: (node) => node.op_args.activation === "relu",
    },
    Mul: {
      forward: (node, [x, y]) => x * y, // dz/dx = y, dz/dy = x
      derivatives: (node, z, [x, y]) => [y, x],
    },
    Sub: {
      forward: (node, [x, y]) => x - y, // dz/dx = 1, dz/dy = -1
      derivatives: () => [1, -1],
    },
    Relu: {
      // dz/dx = 1 where z > 0; where z = 0 no gradient flows, except at x = -inf (0 * inf behind it is NaN)
      forward: (node, [x]) => relu(x),
      derivatives: (node, z, [x]) => (z !== 0 ? [1] : x === -Infinity ? [0] : null),
      mayBlock: () => true,
    },
    Pow: {
      forward: (node, [x]) => Math.pow(x, node.op_args.power), // dz/dx = p x^(p-1)
      derivatives: (node, z, [x]) => {
        const p = node.op_args.power;
        return p === 0 ? [0] : [p * Math.pow(x, p - 1)];
      },
    },
    BCEWithLogits: {
      forward: (node, [s], target) => crossEntropy(s, target), // d loss/ds = sigmoid(s) - t
      derivatives: (node, z, [s], target) => [sigmoid(s) - target],
    },
  };

  function makeGraph(nodes) {
    // what does not change from point to point: an order to compute the values in
    // (each node after its inputs), which nodes need gradients, the edge of each input
    const forwardOrder = [];
    const done = new Set();
    const stack = [[0, false]];
    while (stack.length) {
      const [i, inputsDone] = stack.pop();
      if (done.has(i)) continue;
      if (inputsDone || nodes[i].kind !== "op") {
        done.add(i);
        forwardOrder.push(i);
        continue;
      }
      stack.push([i, true]);
      for (const j of nodes[i].inputs) if (!done.has(j)) stack.push([j, false]);
    }
    const needsGrad = [];
    for (const i of forwardOrder) {
      const node = nodes[i];
      needsGrad[i] = node.kind === "leaf" || (node.kind === "op" && node.inputs.some((j) => needsGrad[j]));
    }
    // regrad-viz numbers the edges node by node, input by input
    let edge = 0;
    const edgeOf = nodes.map((node) => (node.kind === "op" ? node.inputs.map(() => edge++) : []));
    return { nodes: nodes, forwardOrder: forwardOrder, needsGrad: needsGrad, edgeOf: edgeOf };
  }

  function runGraph(graph, weights, point, label) {
    // the point's graph with these weights: values, the engine's backward steps, the leaves' gradients
    const nodes = graph.nodes;
    const target = (1 + label) / 2; // the cross-entropy's target for a label of ±1
    const values = [];
    for (const i of graph.forwardOrder) {
      const node = nodes[i];
      if (node.kind === "op") {
        values[i] = OPS[node.op].forward(node, node.inputs.map((j) => values[j]), target);
      } else if (node.parameter !== undefined) {
        values[i] = weights[node.parameter];
      } else if (node.input !== undefined) {
        values[i] = point[node.input];
      } else {
        values[i] = node.label ? label : node.number;
      }
    }
    const derivatives = (i) =>
      OPS[nodes[i].op].derivatives(nodes[i], values[i], nodes[i].inputs.map((j) => values[j]), target);

    // _plan: a depth-first walk from the root, each node written down once all its
    // inputs are (then reversed); where no gradient flows, the walk stops
    const ASK = "ask derivatives when the sweep gets here";
    const order = [];
    const rules = [];
    const visited = new Set();
    const stack = [0]; // nodes to visit, and [node, rule] pairs whose inputs are all done
    while (stack.length) {
      const item = stack.pop();
      if (Array.isArray(item)) {
        order.push(item[0]);
        rules.push(item[1]);
        continue;
      }
      if (visited.has(item)) continue;
      visited.add(item);
      const node = nodes[item];
      if (node.kind !== "op") {
        stack.push([item, null]);
        continue;
      }
      const ops = OPS[node.op];
      const rule = ops.mayBlock && ops.mayBlock(node) ? derivatives(item) : ASK; // null: no gradient flows
      stack.push([item, rule]);
      if (rule !== null) {
        for (const j of node.inputs) if (graph.needsGrad[j] && !visited.has(j)) stack.push(j);
      }
    }
    order.reverse();
    rules.reverse();

    // _sweep: the chain rule in that order, dL/d(input) += dL/d(node) * d(node)/d(input)
    const adjoint = new Map([[0, 1]]);
    const steps = [];
    order.forEach((i, s) => {
      const g = adjoint.has(i) ? adjoint.get(i) : 0; // every consumer has contributed by now
      adjoint.delete(i);
      if (nodes[i].kind !== "op") {
        steps.push({ node: i, grad: g, derivatives: [], blocked: false });
        return;
      }
      const d = rules[s] === ASK ? derivatives(i) : rules[s];
      if (d === null) {
        steps.push({ node: i, grad: g, derivatives: [], blocked: true });
        return;
      }
      nodes[i].inputs.forEach((j, slot) => {
        if (!graph.needsGrad[j]) return; // constants receive nothing
        const c = g * d[slot];
        if (c !== 0) adjoint.set(j, adjoint.has(j) ? adjoint.get(j) + c : c); // adding an exact 0 changes nothing
      });
      steps.push({ node: i, grad: g, derivatives: d, blocked: false });
    });
    // each leaf's .grad: 0.0 (zero_grad) plus what backward() adds to it
    const grads = nodes.map(() => null);
    nodes.forEach((node, i) => node.kind === "leaf" && (grads[i] = 0));
    for (const step of steps) if (nodes[step.node].kind === "leaf") grads[step.node] = 0 + step.grad;
    return { values: values, steps: steps, grads: grads, target: target };
  }

  function drawingData(graph, run) {
    // the data viewer.js reads (see its header), formatted as regrad_viz.html.drawing_data formats it,
    // with what each box and hover text says now
    const nodes = graph.nodes;
    const adjoints = nodes.map(() => null);
    const blocked = nodes.map(() => false);
    const totals = new Map(); // what each node has received so far
    const steps = run.steps.map((step, s) => {
      if (s === 0) totals.set(step.node, step.grad);
      adjoints[step.node] = step.grad;
      blocked[step.node] = step.blocked;
      const sends = step.derivatives.map((d, slot) => {
        const input = nodes[step.node].inputs[slot];
        const sent = step.grad * d;
        const flows = graph.needsGrad[input];
        if (flows) totals.set(input, (totals.has(input) ? totals.get(input) : 0) + sent);
        const total = totals.has(input) ? totals.get(input) : 0;
        return {
          edge: graph.edgeOf[step.node][slot],
          input: input,
          local: show(d),
          sent: show(sent),
          flows: flows,
          total: show(total),
          total_exact: repr(total),
        };
      });
      const exact = repr(step.grad);
      return { node: step.node, grad: show(step.grad), grad_exact: exact, blocked: step.blocked, error: null, sends };
    });
    const boxes = nodes.map((node, i) => {
      const value = run.values[i];
      const grad = run.grads[i];
      const adjoint = adjoints[i];
      const args = node.args === null ? "target=" + repr(run.target) : node.args;
      const argsFull = node.args_full === null ? "target=" + repr(run.target) : node.args_full;
      const details = [node.about];
      if (argsFull) details.push(argsFull);
      details.push("value = " + repr(value));
      if (grad !== null) details.push(`grad = ${repr(grad)}  (its .grad, kept by backward())`);
      if (adjoint !== null) details.push(`adj = ${repr(adjoint)}  (dL/d(this box), from the backward pass)`);
      if (blocked[i]) details.push("no gradient flows here: for these values its op passes none to its inputs");
      let gradLine = "";
      if (grad !== null) gradLine = "grad " + show(grad);
      else if (adjoint !== null) gradLine = "adj " + show(adjoint);
      return {
        name: node.name,
        args: args,
        value: "val " + show(value),
        grad: gradLine,
        adjoint: grad === null && adjoint !== null,
        details: details.join("\n"),
        blocked: blocked[i],
      };
    });
    return { nodes: boxes, steps: steps };
  }

  // ------------------------------------------------ the explorer

  function start(root) {
    root.setAttribute("data-rx-ready", "1");
    const data = JSON.parse(root.querySelector("script.rx-data").textContent);
    const frames = data.frames;
    const graph = makeGraph(data.graph);
    const graphDrawing = root.querySelector("div.regrad-viz:not(.rv-network)");
    const networkDrawing = root.querySelector("div.rv-network");
    if (!graphDrawing.regradViz || !networkDrawing.regradViz) {
      throw new Error("the drawings' scripts (viewer.js, network.js) must start before the explorer's");
    }
    const controls = root.querySelector(".rx-controls");
    const slider = root.querySelector("input.rx-slider");
    const playButton = root.querySelector("button.rx-play");
    const curves = frames.map((frame) => lossAndAccuracy(frame, data)); // and every point's score, per snapshot
    // the page opens before training, on the point whose loss term is largest summed over all the
    // snapshots: the one the network takes longest to learn
    let frameNo = 0;
    let pointNo = 0;
    const hardness = data.points.map((x, k) => curves.reduce((sum, curve) => sum + curve.terms[k], 0));
    for (let k = 1; k < hardness.length; k++) {
      if (hardness[k] > hardness[pointNo]) pointNo = k;
    }

    // -------------------------------------------- the plane: outputs, points, boundary

    const [x0, x1] = data.plane.x;
    const [y0, y1] = data.plane.y;
    const G = data.plane.grid;
    // the grid's points: centres of G × G cells, rows from the top
    const gridX = Array.from({ length: G }, (_, c) => x0 + ((c + 0.5) * (x1 - x0)) / G);
    const gridY = Array.from({ length: G }, (_, r) => y1 - ((r + 0.5) * (y1 - y0)) / G);
    const plot = root.querySelector(".rx-plot");
    const heat = plot.querySelector("canvas.rx-heat");
    const marks = plot.querySelector("svg.rx-marks");
    const W = 420;
    const H = Math.round(Math.min(420, Math.max(200, (W * (y1 - y0)) / (x1 - x0))));
    marks.setAttribute("viewBox", `0 0 ${W} ${H}`);
    plot.style.aspectRatio = `${W} / ${H}`;
    const px = (x) => ((x - x0) / (x1 - x0)) * W;
    const py = (y) => ((y1 - y) / (y1 - y0)) * H;
    const svgNS = marks.namespaceURI;
    const element = (parent, tag, attributes) => {
      const made = document.createElementNS(svgNS, tag);
      for (const name in attributes) made.setAttribute(name, attributes[name]);
      parent.append(made);
      return made;
    };
    const boundary = element(marks, "path", { class: "rx-boundary" });
    const dots = data.points.map((x, k) =>
      element(marks, "circle", {
        class: "rx-point " + (data.labels[k] > 0 ? "rx-positive" : "rx-negative"),
        cx: px(x[0]).toFixed(1),
        cy: py(x[1]).toFixed(1),
        r: 4.5,
        "data-point": k,
      }),
    );
    const picked = element(marks, "circle", { class: "rx-picked", r: 9 });

    // the grid's points, p = r * G + c: the inputs' values there
    const gridInputs = [new Float64Array(G * G), new Float64Array(G * G)];
    for (let p = 0; p < G * G; p++) {
      gridInputs[0][p] = gridX[p % G];
      gridInputs[1][p] = gridY[Math.floor(p / G)];
    }

    function gridOutputs(net) {
      // every neuron's output at every grid point, outs[k][j][p] (k = 0: the inputs themselves), a layer
      // at a time for all the points: the same arithmetic as outputs(), in the same order, for each point
      const outs = [gridInputs];
      for (const layer of net) {
        const inputs = outs[outs.length - 1];
        outs.push(
          layer.neurons.map((neuron) => {
            const out = new Float64Array(G * G);
            for (let p = 0; p < G * G; p++) {
              let s = neuron.b;
              for (let i = 0; i < inputs.length; i++) s += neuron.w[i] * inputs[i][p];
              out[p] = layer.act(s);
            }
            return out;
          }),
        );
      }
      return outs;
    }

    const cells = document.createElement("canvas");
    cells.width = cells.height = G;

    function paintPlane(scores) {
      // the output over the plane: blue where it is positive, orange where negative, stronger further from 0
      const context = cells.getContext("2d");
      const image = context.createImageData(G, G);
      scores.forEach((s, p) => {
        image.data.set(s > 0 ? BLUE : ORANGE, 4 * p);
        image.data[4 * p + 3] = Number.isNaN(s) ? 0 : Math.round(190 * Math.min(1, Math.abs(s) / STRONGEST));
      });
      context.putImageData(image, 0, 0);
      const ratio = window.devicePixelRatio || 1;
      heat.width = Math.round(W * ratio);
      heat.height = Math.round(H * ratio);
      const big = heat.getContext("2d");
      big.imageSmoothingEnabled = true;
      big.drawImage(cells, 0, 0, heat.width, heat.height);
      boundary.setAttribute("d", zeroLine(scores));
    }

    function zeroLine(scores) {
      // where the output crosses 0 (the decision boundary), by marching squares: in each square of
      // four neighbouring grid points whose signs differ, a segment between the sides where it changes sign
      const at = (c, r) => [(c + 0.5) * (W / G), (r + 0.5) * (H / G)];
      const cross = (a, b, va, vb) => {
        const t = va / (va - vb);
        return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
      };
      let d = "";
      for (let r = 0; r + 1 < G; r++) {
        for (let c = 0; c + 1 < G; c++) {
          const corners = [
            [at(c, r), scores[r * G + c]],
            [at(c + 1, r), scores[r * G + c + 1]],
            [at(c + 1, r + 1), scores[(r + 1) * G + c + 1]],
            [at(c, r + 1), scores[(r + 1) * G + c]],
          ];
          const ends = [];
          for (let side = 0; side < 4; side++) {
            const [pa, va] = corners[side];
            const [pb, vb] = corners[(side + 1) % 4];
            if (va > 0 !== vb > 0) ends.push(cross(pa, pb, va, vb));
          }
          for (let e = 0; e + 1 < ends.length; e += 2) {
            const [from, to] = [ends[e], ends[e + 1]];
            d += `M${from[0].toFixed(1)} ${from[1].toFixed(1)}L${to[0].toFixed(1)} ${to[1].toFixed(1)}`;
          }
        }
      }
      return d;
    }

    function markPoints() {
      // misclassified points get a ring; the picked one a larger ring
      let wrong = 0;
      curves[frameNo].scores.forEach((score, k) => {
        const right = !Number.isNaN(score) && score > 0 === data.labels[k] > 0;
        dots[k].classList.toggle("rx-wrong", !right);
        if (!right) wrong += 1;
      });
      picked.setAttribute("cx", dots[pointNo].getAttribute("cx"));
      picked.setAttribute("cy", dots[pointNo].getAttribute("cy"));
      root.querySelector(".rx-wrong-count").textContent = wrong === 1 ? "1 misclassified" : `${wrong} misclassified`;
    }

    // -------------------------------------------- the curves

    const charts = [
      { svg: root.querySelector("svg.rx-loss"), values: curves.map((c) => c.loss), words: "loss" },
      { svg: root.querySelector("svg.rx-accuracy"), values: curves.map((c) => c.accuracy), words: "accuracy" },
    ];
    const CW = 460;
    const CH = 130;
    const LEFT = 46;
    const RIGHT = 12;
    const TOP = 20;
    const BOTTOM = 22;
    const firstEpoch = frames[0].epoch;
    const lastEpoch = frames[frames.length - 1].epoch;
    const cx = (epoch) => LEFT + ((epoch - firstEpoch) / Math.max(1, lastEpoch - firstEpoch)) * (CW - LEFT - RIGHT);

    charts.forEach((chart) => {
      const svg = chart.svg;
      svg.setAttribute("viewBox", `0 0 ${CW} ${CH}`);
      const accuracy = chart.words === "accuracy";
      const finite = chart.values.filter(Number.isFinite);
      const top = accuracy ? 1 : Math.max(...finite, 1e-12);
      const cy = (v) => TOP + (1 - v / top) * (CH - TOP - BOTTOM);
      chart.cy = cy;
      const label = (v) => (accuracy ? `${Math.round(100 * v)}%` : v.toPrecision(2));
      for (const v of [0, top / 2, top]) {
        element(svg, "line", { class: "rx-grid", x1: LEFT, x2: CW - RIGHT, y1: cy(v), y2: cy(v) });
        const at = { class: "rx-tick", x: LEFT - 6, y: cy(v), dy: "0.35em", "text-anchor": "end" };
        element(svg, "text", at).textContent = label(v);
      }
      for (const epoch of [firstEpoch, Math.round((firstEpoch + lastEpoch) / 2), lastEpoch]) {
        const tick = element(svg, "text", { class: "rx-tick", x: cx(epoch), y: CH - 6, "text-anchor": "middle" });
        tick.textContent = String(epoch);
      }
      const title = element(svg, "text", { class: "rx-chart-title", x: LEFT, y: 13 });
      title.textContent = accuracy ? "accuracy on the points" : "training loss";
      const line = frames.map((frame, f) => `${cx(frame.epoch).toFixed(1)},${cy(chart.values[f]).toFixed(1)}`);
      element(svg, "polyline", { class: "rx-curve rx-" + chart.words, points: line.join(" ") });
      chart.marker = element(svg, "line", { class: "rx-marker", y1: TOP - 4, y2: CH - BOTTOM });
      chart.dot = element(svg, "circle", { class: "rx-dot", r: 4 });
      chart.value = element(svg, "text", { class: "rx-value", y: 13, "text-anchor": "end" });
      // clicking (or dragging on) a curve goes to the nearest snapshot
      const go = (event) => {
        const box = svg.getBoundingClientRect();
        const x = ((event.clientX - box.left) / box.width) * CW; // in the chart's units
        const epoch = firstEpoch + ((x - LEFT) / (CW - LEFT - RIGHT)) * (lastEpoch - firstEpoch);
        let best = 0;
        frames.forEach((frame, f) => {
          if (Math.abs(frame.epoch - epoch) < Math.abs(frames[best].epoch - epoch)) best = f;
        });
        goTo(best);
      };
      svg.addEventListener("pointerdown", (event) => {
        svg.setPointerCapture(event.pointerId);
        stopPlaying();
        go(event);
      });
      svg.addEventListener("pointermove", (event) => event.buttons && go(event));
    });

    function markCurves() {
      const x = cx(frames[frameNo].epoch).toFixed(1);
      charts.forEach((chart) => {
        const v = chart.values[frameNo];
        chart.marker.setAttribute("x1", x);
        chart.marker.setAttribute("x2", x);
        chart.dot.setAttribute("cx", x);
        chart.dot.setAttribute("cy", chart.cy(v).toFixed(1));
        chart.value.setAttribute("x", CW - RIGHT);
        chart.value.textContent = chart.words === "accuracy" ? `${(100 * v).toFixed(0)}%` : v.toFixed(4);
      });
    }

    // -------------------------------------------- the network

    function showNetwork(net, outs) {
      // each neuron's picture: its outputs at every PICTURE_STEP-th row and column of the grid
      const size = Math.ceil(G / PICTURE_STEP);
      const pictures = outs.map((layer) =>
        layer.map((values) =>
          Array.from({ length: size }, (_, r) =>
            Array.from({ length: size }, (_, c) => values[r * PICTURE_STEP * G + c * PICTURE_STEP]),
          ),
        ),
      );
      const weights = net.map((layer) => layer.neurons.map((n) => n.w));
      const biases = net.map((layer) => layer.neurons.map((n) => n.b));
      networkDrawing.regradViz.update({ weights: weights, biases: biases, pictures: pictures });
    }

    // -------------------------------------------- the point and its graph

    let shown = null; // what the graph's boxes show now

    function onlyChanges(newData) {
      // the drawing's update() leaves out a field left out: give it only what changed, so that
      // the browser has less to redraw (a box's gradient line and its style go together)
      const boxes = newData.nodes.map((box, i) => {
        const before = shown && shown.nodes[i];
        if (!before) return box;
        const changes = { name: box.name };
        for (const key of ["args", "value", "details", "blocked"]) {
          if (box[key] !== before[key]) changes[key] = box[key];
        }
        if (box.grad !== before.grad || box.adjoint !== before.adjoint) {
          changes.grad = box.grad;
          changes.adjoint = box.adjoint;
        }
        return changes;
      });
      shown = newData;
      return { nodes: boxes, steps: newData.steps };
    }

    function showPoint() {
      const frame = frames[frameNo];
      const x = data.points[pointNo];
      const label = data.labels[pointNo];
      const run = runGraph(graph, frame.weights, x, label);
      graphDrawing.regradViz.update(onlyChanges(drawingData(graph, run)));
      const term = run.values[0];
      const score = curves[frameNo].scores[pointNo];
      const formula = {
        hinge: "max(0, 1 \u2212 y\u00b7s)",
        bce: "cross-entropy(s, (1 + y)/2)",
        mse: "(s \u2212 y)\u00b2",
      };
      const epochs = frame.epoch === 1 ? "1 epoch" : `${frame.epoch} epochs`;
      const words = [
        ["Point " + pointNo],
        ` at (${x[0].toFixed(3)}, ${x[1].toFixed(3)}), class y = ${label > 0 ? "+1" : "\u22121"}: its score is s = `,
        [show(score)],
        `, its loss term ${formula[data.loss]} = `,
        [show(term)],
        run.steps.length === 1 && run.steps[0].blocked ? " (beyond the margin: no gradient flows from it)" : "",
        `. Below, the graph of that term with the weights after ${epochs}: each box's value and the gradient of ` +
          "this one term (no 1/n, no L2). Click another point to pick it; step through the backward pass with " +
          "the buttons, or click the graph and use the arrow keys.",
      ];
      const caption = root.querySelector(".rx-point-caption");
      caption.replaceChildren();
      for (const piece of words) {
        if (typeof piece === "string") caption.append(piece);
        else caption.append(Object.assign(document.createElement("b"), { textContent: piece[0] }));
      }
    }

    // -------------------------------------------- one snapshot, all of it

    function showFrame() {
      const frame = frames[frameNo];
      const net = network(frame.weights, data.layers, data.activation);
      const outs = gridOutputs(net);
      paintPlane(outs[outs.length - 1][0]);
      markPoints();
      markCurves();
      showNetwork(net, outs);
      showPoint();
      slider.value = String(frameNo);
      const epochs = frame.epoch === 1 ? "1 epoch" : `${frame.epoch} epochs`;
      root.querySelector(".rx-epoch").textContent = `after ${epochs} (of ${lastEpoch})`;
      root.querySelector(".rx-lr").textContent =
        frame.lr === null ? "training done" : `learning rate ${frame.lr.toPrecision(4)}`;
      const stats = curves[frameNo];
      root.querySelector(".rx-stats").textContent =
        `loss ${stats.loss.toFixed(4)} \u00b7 accuracy ${(100 * stats.accuracy).toFixed(0)}%`;
      root.querySelector(".rx-network-epoch").textContent = epochs;
    }

    function goTo(f) {
      frameNo = Math.max(0, Math.min(frames.length - 1, f));
      showFrame();
    }

    // -------------------------------------------- the timeline: slider, Play, keys

    slider.max = String(frames.length - 1);
    slider.addEventListener("input", () => {
      stopPlaying();
      goTo(Number(slider.value));
    });

    let timer = null;
    function startPlaying() {
      if (frameNo >= frames.length - 1) goTo(0); // from the end, play again from the start
      playButton.textContent = "\u23f8 Pause";
      timer = setInterval(() => {
        goTo(frameNo + 1);
        if (frameNo >= frames.length - 1) stopPlaying();
      }, PLAY_MS);
    }
    function stopPlaying() {
      clearInterval(timer);
      timer = null;
      playButton.textContent = "\u25b6 Play";
    }
    playButton.addEventListener("click", () => (timer === null ? startPlaying() : stopPlaying()));

    // while the timeline (or the plot, or the curves) has focus, these keys move through the epochs
    const keys = {
      ArrowRight: () => goTo(frameNo + 1),
      ArrowUp: () => goTo(frameNo + 1),
      ArrowLeft: () => goTo(frameNo - 1),
      ArrowDown: () => goTo(frameNo - 1),
      Home: () => goTo(0),
      End: () => goTo(frames.length - 1),
      " ": () => (timer === null ? startPlaying() : stopPlaying()),
    };
    controls.addEventListener("keydown", (event) => {
      const action = keys[event.key];
      if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === " " && event.target.tagName === "BUTTON") return; // a focused button is pressed by space
      event.preventDefault(); // no page scrolling, and the slider does not move twice
      event.stopPropagation(); // no shortcut of the page around for a key the explorer used
      if (event.key !== " ") stopPlaying();
      action();
    });
    controls.addEventListener("mousedown", (event) => {
      // clicking gives the timeline the focus (and a ring), also by a button or a point
      if (event.target === slider) return;
      if (event.target.closest("button")) event.preventDefault();
      controls.focus({ preventScroll: true });
    });

    // clicking near a point picks it
    marks.addEventListener("click", (event) => {
      const box = marks.getBoundingClientRect();
      const x = ((event.clientX - box.left) / box.width) * W;
      const y = ((event.clientY - box.top) / box.height) * H;
      let best = -1;
      let bestDistance = 14 * 14; // within 14 px
      dots.forEach((dot, k) => {
        const distance = (dot.cx.baseVal.value - x) ** 2 + (dot.cy.baseVal.value - y) ** 2;
        if (distance < bestDistance) {
          best = k;
          bestDistance = distance;
        }
      });
      if (best < 0) return;
      pointNo = best;
      picked.setAttribute("cx", dots[pointNo].getAttribute("cx"));
      picked.setAttribute("cy", dots[pointNo].getAttribute("cy"));
      showPoint();
    });

    goTo(frameNo);

    // The graph is large: fitted to the column its text would be too small to read. Zoom in (as its
    // + button does) until it is legible, and show its root, the point's loss term, where the pass starts.
    requestAnimationFrame(() => {
      const svg = graphDrawing.querySelector("svg.rv-svg");
      const zoomIn = graphDrawing.querySelector("button.rv-in");
      for (let n = 0; n < 8 && svg.getBoundingClientRect().width < LEGIBLE * svg.viewBox.baseVal.width; n++) {
        zoomIn.click();
      }
      const stage = graphDrawing.querySelector(".rv-stage");
      const view = stage.getBoundingClientRect();
      const box = graphDrawing.querySelector('g[data-node="n0"]').getBoundingClientRect();
      stage.scrollLeft += (box.left + box.right - view.left - view.right) / 2;
      stage.scrollTop += (box.top + box.bottom - view.top - view.bottom) / 2;
    });

    // for tools and tests: what the page shows, and the numbers it computes
    root.regradExplorer = {
      show(f, k) {
        pointNo = k;
        goTo(f);
      },
      graphData: (f, k) => drawingData(graph, runGraph(graph, frames[f].weights, data.points[k], data.labels[k])),
      curves: curves,
    };
  }

  function startAll() {
    for (const root of document.querySelectorAll("div.regrad-explorer:not([data-rx-ready])")) {
      try {
        start(root);
      } catch (error) {
        root.setAttribute("data-rx-ready", "error");
        console.error("regrad-nn explorer:", error);
      }
    }
  }

  // The drawings' scripts come first in the page: they start first (on DOMContentLoaded, in page order)
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
