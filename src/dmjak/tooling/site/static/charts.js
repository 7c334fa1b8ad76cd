// Draws each figure's Vega-Lite spec with vega-embed (vendored from npm), with its tooltips and selections.
// The static SVG stays in the page until the live chart is drawn, and stays for good without JavaScript.
// Vega measures text when it lays a chart out: the course font's faces are loaded first (course-font.css).
// window.dmjakCharts resolves when every chart is drawn, with the time it took (for the tests and make bench).
(() => {
  const started = performance.now();
  const figures = [...document.querySelectorAll("figure.dmjak-chart")];
  // A single or layered chart takes the text column's width (as in JupyterLab; dmjak.render.screen_spec), so
  // it neither scrolls sideways at 1280 px nor on a phone; concatenated charts keep their width and scroll.
  const fitted = (spec) =>
    typeof spec.width === "number" && (spec.mark || spec.layer)
      ? { ...spec, width: "container", autosize: { type: "fit-x", contains: "padding" } }
      : spec;
  const draw = (figure) => {
    const script = figure.querySelector("script.dmjak-spec");
    const still = figure.querySelector(":scope > svg");
    if (!script || !still || !window.vegaEmbed) return Promise.resolve(false);
    const live = document.createElement("div");
    live.className = "dmjak-live";
    still.after(live);
    const spec = fitted(JSON.parse(script.textContent));
    return window
      .vegaEmbed(live, spec, { renderer: "svg", actions: false })
      .then(() => {
        // the figure's caption and data table speak for the chart: its tick labels and data points are
        // hidden from screen readers, as the static picture's are
        live.querySelector("svg")?.setAttribute("aria-hidden", "true");
        still.remove();
        figure.classList.add("dmjak-drawn");
        return true;
      })
      .catch((error) => {
        live.remove();
        console.error("chart not drawn live, the static figure stays:", error);
        return false;
      });
  };
  // the faces chart text uses: titles bold, annotations italic (no chart sets bold italic)
  const faces = ["", "bold ", "italic "].map((style) => document.fonts.load(`${style}12px Lato`));
  window.dmjakCharts = Promise.all(faces)
    .catch(() => null)
    .then(() => Promise.all(figures.map(draw)))
    .then((drawn) => ({ charts: figures.length, live: drawn.filter(Boolean).length, ms: performance.now() - started }));
})();
