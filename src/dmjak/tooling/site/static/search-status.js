// Sphinx's search page writes its outcome ("Search finished, found 3 pages ...") into p.search-summary, which
// it adds to the page when a search starts: marked as a status message, the outcome is read out by a screen
// reader too, not only shown (WCAG 4.1.3).
(() => {
  const results = document.getElementById("search-results");
  if (!results) return;
  const mark = () => results.querySelector("p.search-summary:not([role])")?.setAttribute("role", "status");
  new MutationObserver(mark).observe(results, { childList: true });
  mark();
})();
