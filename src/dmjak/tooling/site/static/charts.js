// Draws each figure's Vega spec (compiled from its Vega-Lite spec by the build: live_charts.py) with vega-embed,
// vendored from npm, with its tooltips and selections. The static SVG is in <noscript>: shown without JavaScript,
// and put back if a chart cannot be drawn. Vega measures text when it lays a chart out: the course font's
// faces are loaded first (course-font.css).
// The charts are drawn off the page and put in together, and the column widths are read once before any is
// drawn: each chart put in, or width read, between draws would make the browser lay out the whole page again.
// window.dmjakCharts resolves when every chart is drawn, with the time it took (for the tests and make bench).
(() => {
  const started = performance.now();
  const figures = [...document.querySelectorAll("figure.dmjak-chart")];
  const NARROWEST = 640; // px, as .dmjak-live's min-width in course.css: narrower, a figure scrolls
  const columnWidth = (figure) => {
    const style = getComputedStyle(figure);
    const inner = figure.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return Math.max(NARROWEST, Math.floor(inner));
  };
  const fitted = (figure) => figure.dataset.fit === "x";
  const draw = (figure, width) => {
    const script = figure.querySelector("script.dmjak-spec");
    if (!script || !window.vegaEmbed) return Promise.resolve(null);
    const live = document.createElement("div");
    live.className = "dmjak-live";
    const options = { renderer: "svg", actions: false, mode: "vega", ...(fitted(figure) ? { width } : {}) };
    return window
      .vegaEmbed(live, JSON.parse(script.textContent), options)
      .then((result) => {
        // the figure's caption and data table speak for the chart: its tick labels and data points are
        // hidden from screen readers, as the static picture's are
        live.querySelector("svg")?.setAttribute("aria-hidden", "true");
        return { live, view: result.view };
      })
      .catch((error) => {
        console.error("chart not drawn live, the static figure is shown:", error);
        return null;
      });
  };
  const put = (figure, drawn) => {
    const still = figure.querySelector(":scope > noscript");
    if (drawn) {
      figure.prepend(drawn.live);
      figure.classList.add("dmjak-drawn");
    } else if (still) {
      still.insertAdjacentHTML("afterend", still.textContent); // the build's own SVG (live_charts.py)
    }
    figure.classList.add("dmjak-settled"); // its kept room is no longer needed (course.css)
  };
  // a chart that fits its column follows the column when the window is resized (once per frame at most)
  const refit = (drawn) => {
    let pending = false;
    window.addEventListener("resize", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        const widths = drawn.map(([figure]) => columnWidth(figure));
        drawn.forEach(([, { view }], i) => view.width(widths[i]).runAsync());
      });
    });
  };
  // the faces chart text uses: titles bold, annotations italic (no chart sets bold italic)
  const faces = ["", "bold ", "italic "].map((style) => document.fonts.load(`${style}12px Lato`));
  window.dmjakCharts = Promise.all(faces)
    .catch(() => null)
    .then(() => {
      const widths = figures.map(columnWidth);
      return Promise.all(figures.map((figure, i) => draw(figure, widths[i])));
    })
    .then((drawn) => {
      figures.forEach((figure, i) => put(figure, drawn[i]));
      refit(drawn.map((d, i) => [figures[i], d]).filter(([figure, d]) => d && fitted(figure)));
      return { charts: figures.length, live: drawn.filter(Boolean).length, ms: performance.now() - started };
    });
})();
