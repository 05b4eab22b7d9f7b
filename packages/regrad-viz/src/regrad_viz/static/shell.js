// The shell of every regrad-viz drawing: its frame (size, zoom, scrolling,
// the hover panel, focus) and how a script starts each drawing on a page.
//
// Both kinds of drawing use it: a computation graph (viewer.js) and a network
// (network.js). html.py and network.py inline this file and then the
// drawing's script into one function that runs at once,
//   <script>(() => { "use strict"; shell.js, then viewer.js or network.js })();</script>
// so the drawing's script calls makeFrame and startAll as its own, nothing
// else on the page sees them, and each drawing's HTML still carries all it
// needs: a page with many drawings (even from different versions of
// regrad-viz) runs each with the shell it came with, and nothing binds twice.
//
// makeFrame(root, smallest) wires one drawing's frame and returns it:
//   root: the drawing's <div class="regrad-viz">, which holds the buttons
//     button.rv-in, button.rv-out and button.rv-fit, a div.rv-stage holding
//     the svg.rv-svg, and a div.rv-tip (the hover panel)
//   smallest: the smallest scale that zooming out reaches (1 = 100 %)
// The frame: page (true if the drawing is a whole page), stage, svg, width
// and height (the drawing's size in SVG units, its viewBox: pixels at 100 %),
// and the functions below.
//
// startAll(selector, readyAttribute, start) calls start(root) for every
// element on the page that matches selector and has no readyAttribute yet,
// once the page is parsed; readyAttribute then says "1", or "error".

const ZOOM_STEP = 1.25; // the + and − buttons
const WHEEL_STEP = 1.15; // one notch of the wheel
const LARGEST = 8; // zooming in stops at 800 %

function makeFrame(root, smallest) {
  const page = root.classList.contains("rv-page");
  const stage = root.querySelector(".rv-stage");
  const svg = stage.querySelector("svg.rv-svg");
  const { width, height } = svg.viewBox.baseVal;
  const tip = root.querySelector(".rv-tip");

  // ------------------------------------------- size, zoom and scrolling

  // The SVG is drawn at `scale` (1 = 100 %) in the stage, which scrolls when
  // the drawing is larger; dragging scrolls it too.
  let scale = 1;
  let fitScale = 1; // the scale that Fit goes back to

  function resize(newScale) {
    scale = newScale;
    svg.style.maxWidth = "none";
    svg.style.width = width * scale + "px";
    svg.style.height = height * scale + "px";
  }

  function fitTo(newScale) {
    // draw the drawing fitted to its frame, at newScale; Fit comes back to it
    resize(newScale);
    // a vertical scroll bar may have taken some of the width
    if (stage.clientWidth < width * scale - 0.5) resize(stage.clientWidth / width);
    fitScale = scale;
  }

  function columnScale() {
    // The scale at which the drawing is as wide as its column, never above
    // 100 %. In a page of text, the stage is then made as tall as the drawing
    // at that scale, up to about the window's height, past which it scrolls;
    // a whole page's stage fills the window (viewer.css).
    const scale = Math.min(1, stage.offsetWidth / width);
    if (!page) {
      // A notebook shows an output in a frame whose height follows its
      // content: there, the screen's height is the measure, not the frame's.
      // viewer.css caps the stage at 85vh until this runs; in such a frame
      // that is 85 % of the frame, so the cap goes.
      const windowHeight = window.self === window.top ? window.innerHeight : screen.availHeight;
      const tallest = Math.max(240, 0.85 * windowHeight);
      stage.style.height = Math.ceil(Math.min(height * scale, tallest)) + "px";
      stage.style.maxHeight = "none";
    }
    return scale;
  }

  function keepFitted(fit) {
    // fit() now, and again when the drawing's width changes (or a whole page's height)
    let fittedTo = null;
    function refit() {
      const now = page ? `${root.clientWidth}x${root.clientHeight}` : String(root.clientWidth);
      if (now === fittedTo) return;
      fittedTo = now;
      fit();
    }
    refit();
    new ResizeObserver(refit).observe(root);
  }

  function zoomBy(factor, clientX, clientY) {
    // zoom around the point (clientX, clientY) of the window, by default the stage's centre
    const box = stage.getBoundingClientRect();
    const x = clientX === undefined ? box.left + stage.clientWidth / 2 : clientX;
    const y = clientY === undefined ? box.top + stage.clientHeight / 2 : clientY;
    const before = svg.getBoundingClientRect();
    const pointX = (x - before.left) / scale;
    const pointY = (y - before.top) / scale;
    resize(Math.min(LARGEST, Math.max(smallest, scale * factor)));
    const after = svg.getBoundingClientRect();
    stage.scrollLeft += after.left + pointX * scale - x;
    stage.scrollTop += after.top + pointY * scale - y;
  }

  function show(element) {
    // scroll element to the middle of the stage if some of it is out of view
    const box = stage.getBoundingClientRect();
    const right = box.left + stage.clientWidth;
    const bottom = box.top + stage.clientHeight;
    const shape = element.getBoundingClientRect();
    if (shape.left < box.left || shape.right > right || shape.top < box.top || shape.bottom > bottom) {
      stage.scrollLeft += (shape.left + shape.right - box.left - right) / 2;
      stage.scrollTop += (shape.top + shape.bottom - box.top - bottom) / 2;
    }
  }

  stage.addEventListener(
    "wheel",
    (event) => {
      // in a page of text the wheel scrolls the page, and Ctrl (or Cmd) + wheel zooms; a whole page zooms
      if (!page && !event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      zoomBy(event.deltaY > 0 ? 1 / WHEEL_STEP : WHEEL_STEP, event.clientX, event.clientY);
    },
    { passive: false },
  );

  let drag = null; // where a drag started: the pointer, and the stage's scroll
  stage.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !svg.contains(event.target)) return;
    drag = { x: event.clientX, y: event.clientY, left: stage.scrollLeft, top: stage.scrollTop };
    stage.setPointerCapture(event.pointerId); // the drag goes on outside the stage
    stage.classList.add("rv-dragging");
  });
  stage.addEventListener("pointermove", (event) => {
    if (!drag) return;
    stage.scrollLeft = drag.left - (event.clientX - drag.x);
    stage.scrollTop = drag.top - (event.clientY - drag.y);
  });
  const endDrag = () => {
    drag = null;
    stage.classList.remove("rv-dragging");
  };
  stage.addEventListener("pointerup", endDrag);
  stage.addEventListener("pointercancel", endDrag);

  root.querySelector("button.rv-in").addEventListener("click", () => zoomBy(ZOOM_STEP));
  root.querySelector("button.rv-out").addEventListener("click", () => zoomBy(1 / ZOOM_STEP));
  root.querySelector("button.rv-fit").addEventListener("click", () => resize(fitScale));

  // ------------------------------------------------------ the hover panel

  function moveTip(event) {
    // the panel beside the pointer, kept inside the drawing
    const box = root.getBoundingClientRect();
    let x = event.clientX - box.left + 14;
    let y = event.clientY - box.top + 14;
    if (x + tip.offsetWidth > box.width) x = Math.max(0, x - tip.offsetWidth - 24);
    if (y + tip.offsetHeight > box.height) y = Math.max(0, y - tip.offsetHeight - 24);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hover(element, text) {
    // while the pointer is over element, the panel beside it shows text()
    element.addEventListener("mouseenter", (event) => {
      tip.textContent = text();
      tip.hidden = false;
      moveTip(event);
    });
    element.addEventListener("mousemove", moveTip);
    element.addEventListener("mouseleave", () => (tip.hidden = true));
  }

  // ------------------------------------------------------------ focus

  // Clicking the drawing gives it the focus (and its ring), so that its keys
  // work; a button leaves the focus on the drawing, a list takes it to open.
  root.addEventListener("mousedown", (event) => {
    if (event.target.closest("select")) return;
    if (event.target.closest("button")) event.preventDefault();
    root.focus({ preventScroll: true });
  });

  return { page, stage, svg, width, height, resize, fitTo, columnScale, keepFitted, show, hover };
}

function startAll(selector, readyAttribute, start) {
  const startEach = () => {
    for (const root of document.querySelectorAll(`${selector}:not([${readyAttribute}])`)) {
      root.setAttribute(readyAttribute, "1");
      try {
        start(root);
      } catch (error) {
        root.setAttribute(readyAttribute, "error");
        console.error("regrad-viz:", error);
      }
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startEach);
  } else {
    startEach();
  }
}

