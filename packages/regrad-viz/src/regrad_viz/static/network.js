// The regrad-viz network drawing: zoom and scroll, numbers on hover, new weights and pictures.
//
// network.py inlines shell.js (the frame: zoom, scrolling, the hover panel,
// focus; makeFrame and startAll below come from there) and this file, with
// comments and indentation stripped, into one script in every network
// drawing, a <div class="regrad-viz rv-network">: the frame, bar and palette
// of the computation-graph drawings (viewer.css). This script starts every
// network drawing on the page that is not started yet
// (data-rv-network-ready marks those), reading only inside each one.
//
// The data is JSON in <script type="application/json" class="rv-network-data">:
//   layers[k]: how many nodes column k has (the inputs first)
//   names[k][j]: the name of node j of column k
//   weights[k][j][i]: the weight from node i of column k to node j of column k + 1
//   biases[k][j]: the bias of node j of column k + 1, or null for none
//   scale: a weight this large (or larger) gets the thickest, most opaque line
//   caption: what the pictures show
//   colours.positive, colours.negative: [r, g, b] of the pictures' positive and negative numbers
//   lines.thinnest, lines.thickest, lines.faintest: a weight's line from size 0 to size scale
// In the SVG, the weights are path.rv-weight in the order (k, j, i) and the
// nodes g.rv-neuron in the order (k, j), each with an image.rv-picture.
//
// element.regradViz.update(newData) shows new numbers in the same drawing: any
// of weights, biases, scale (as above) and pictures[k][j], a grid of numbers
// (rows from the top) or null, each drawn scaled to its own largest size.

function start(root) {
  const data = JSON.parse(root.querySelector("script.rv-network-data").textContent);
  const frame = makeFrame(root, 0.1);
  const { stage, svg, height } = frame;
  const lines = Array.from(svg.querySelectorAll("path.rv-weight"));
  const neurons = Array.from(svg.querySelectorAll("g.rv-neuron"));
  // the SVG titles are for a static file; here the panel below shows the same, kept up to date
  svg.querySelectorAll("title").forEach((title) => title.remove());

  // (k, j, i) of every line, and (k, j) of every node, in the order they are drawn
  const lineAt = [];
  data.weights.forEach((rows, k) => rows.forEach((row, j) => row.forEach((w, i) => lineAt.push([k, j, i]))));
  const nodeAt = [];
  data.layers.forEach((size, k) => {
    for (let j = 0; j < size; j++) nodeAt.push([k, j]);
  });

  // ------------------------------------------------------------ the weights

  function drawWeights() {
    const style = data.lines;
    lines.forEach((line, n) => {
      const [k, j, i] = lineAt[n];
      const w = data.weights[k][j][i];
      const strength = Number.isFinite(w) ? Math.min(1, Math.abs(w) / data.scale) : 1;
      line.setAttribute("class", "rv-weight " + (w > 0 ? "rv-positive" : "rv-negative"));
      line.setAttribute("stroke-width", (style.thinnest + (style.thickest - style.thinnest) * strength).toFixed(2));
      line.setAttribute("stroke-opacity", (style.faintest + (1 - style.faintest) * strength).toFixed(2));
    });
  }

  // ------------------------------------------------------------ the pictures

  const canvas = document.createElement("canvas");

  function pictureURL(grid) {
    // one pixel per number: the colour of its sign, as opaque as its size is large (as network.py's PNG)
    const rows = grid.length;
    const columns = grid[0].length;
    let largest = 0;
    for (const row of grid) for (const v of row) if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
    largest = largest || 1;
    canvas.width = columns;
    canvas.height = rows;
    const context = canvas.getContext("2d");
    const image = context.createImageData(columns, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const v = grid[r][c];
        const at = 4 * (r * columns + c);
        image.data.set(v > 0 ? data.colours.positive : data.colours.negative, at);
        image.data[at + 3] = Number.isNaN(v) ? 0 : Math.round(255 * Math.min(1, Math.abs(v) / largest));
      }
    }
    context.putImageData(image, 0, 0);
    return canvas.toDataURL();
  }

  function drawPictures(pictures) {
    neurons.forEach((g, n) => {
      const [k, j] = nodeAt[n];
      const image = g.querySelector("image.rv-picture");
      if (pictures[k][j]) image.setAttribute("href", pictureURL(pictures[k][j]));
      else image.removeAttribute("href");
    });
  }

  // ------------------------------------------------------------ hovering

  const number = (x) => String(x); // every digit JavaScript needs to give the number back

  function nodeDetails(n) {
    const [k, j] = nodeAt[n];
    const words = [data.names[k][j]];
    if (k > 0 && data.biases) words.push("bias = " + number(data.biases[k - 1][j]));
    if (data.caption && neurons[n].querySelector("image[href]")) words.push(data.caption);
    return words.join("\n");
  }

  function weightDetails(k, j, i) {
    return `${data.names[k][i]} \u2192 ${data.names[k + 1][j]}\nweight = ${number(data.weights[k][j][i])}`;
  }

  lines.forEach((line, n) => frame.hover(line, () => weightDetails(...lineAt[n])));
  neurons.forEach((g, n) => frame.hover(g, () => nodeDetails(n)));

  // ------------------------------------------------------------ the first view

  function fit() {
    // the whole network: as wide as the column (never above 100 %), and on a whole page as tall as the
    // window too; in a page of text the stage is as tall as the drawing, up to about the window's height
    let scale = frame.columnScale();
    if (frame.page) scale = Math.min(scale, stage.clientHeight / height);
    frame.fitTo(scale);
  }
  frame.keepFitted(fit);

  // ------------------------------------------------ new numbers, same drawing

  function update(newData) {
    for (const field of ["weights", "biases", "scale"]) {
      if (newData[field] !== undefined) data[field] = newData[field];
    }
    if (newData.weights !== undefined || newData.scale !== undefined) drawWeights();
    if (newData.pictures !== undefined) drawPictures(newData.pictures);
  }

  root.regradViz = { update };
}

startAll("div.rv-network", "data-rv-network-ready", start);
