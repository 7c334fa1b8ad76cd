"""Measure reveal.js slides in Chromium: does each slide's content fit the deck's frame (1280x720)?

Reveal lays every slide out at the configured size and scales the whole deck to the window, so a box is
measured in slide pixels: its on-screen rectangle divided by the deck's scale. A slide overflows when any
of its visible elements reaches past the frame (cut off on a projector: reveal does not scroll).
"""

from __future__ import annotations

FRAME = {"width": 1280, "height": 720}
TOLERANCE_PX = 2

# For every slide (vertical ones included): how far its content reaches past the frame, in slide px.
_MEASURE = """
async (tolerance) => {
  Reveal.configure({ transition: 'none', backgroundTransition: 'none' });  // measure slides at rest
  const config = Reveal.getConfig();
  const results = [];
  const slides = Reveal.getSlides();
  for (let i = 0; i < slides.length; i++) {
    const slide = slides[i];
    const { h, v } = Reveal.getIndices(slide);
    Reveal.slide(h, v);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
    const scale = frame.width / config.width;
    let right = 0, bottom = 0, worst = '';
    for (const el of slide.querySelectorAll('*')) {
      if (el.closest('aside.notes') || el.closest('details:not([open]) > :not(summary)')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const over = Math.max((r.right - frame.left) / scale - config.width,
                            (r.bottom - frame.top) / scale - config.height);
      const what = `${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 50)}"`;
      if (over > Math.max(right, bottom)) worst = what;
      right = Math.max(right, (r.right - frame.left) / scale - config.width);
      bottom = Math.max(bottom, (r.bottom - frame.top) / scale - config.height);
      if ((r.left - frame.left) / scale < -tolerance || (r.top - frame.top) / scale < -tolerance) {
        bottom = Math.max(bottom, tolerance + 1);
        worst = `${el.tagName.toLowerCase()} starts above or left of the frame`;
      }
    }
    const title = (slide.querySelector('h1, h2, h3, h4') || {}).textContent || `slide ${i + 1}`;
    results.push({ index: i + 1, title: title.trim().slice(0, 60), right: Math.round(right),
                   bottom: Math.round(bottom), worst,
                   notes: (slide.querySelector('aside.notes') || {}).textContent?.trim().length || 0 });
  }
  return { width: config.width, height: config.height, slides: results };
}
"""


_GLOBAL_REVEAL = """
() => window.Reveal ? true : new Promise((resolve) => {
  const url = [...document.scripts].map((s) => s.textContent.match(/["']([^"']*reveal\\.js)["']/)).find(Boolean)[1];
  require([url], (Reveal) => { window.Reveal = Reveal; resolve(true); });
})
"""


def measure_deck(page) -> dict:
    """The deck's frame and, per slide, how many slide px its content reaches past the right and bottom."""
    page.wait_for_function("() => document.querySelector('.reveal.ready')", timeout=30_000)
    # reveal.js loaded through require.js defines no global: ask require for the (already started) module
    page.evaluate(_GLOBAL_REVEAL)
    return page.evaluate(_MEASURE, TOLERANCE_PX)


def overflowing(measured: dict, frame: dict = FRAME) -> list[str]:
    """The slides whose content reaches past ``frame`` (measured against the deck's own frame)."""
    extra_w = frame["width"] - measured["width"]
    extra_h = frame["height"] - measured["height"]
    return [
        f"slide {s['index']} ({s['title']}): {max(s['right'] - extra_w, 0)} px too wide, "
        f"{max(s['bottom'] - extra_h, 0)} px too tall ({s['worst']})"
        for s in measured["slides"]
        if s["right"] - extra_w > TOLERANCE_PX or s["bottom"] - extra_h > TOLERANCE_PX
    ]
