"""Offline reveal.js decks cut for a 1280x720 projector, with speaker notes from the instructor guide.

A deck is built from an executed notebook (static SVG charts), one idea per slide: every heading starts a
slide; a slide shows its heading, the section's first sentence, and one chart, one short table, one short
list or one question. The rest of the section's prose moves into the speaker notes, after the lecturer's
cue for that slide (``instructors/slide_notes.toml``, written from the guide's lesson plans). Charts are
drawn again from their Vega-Lite spec at projector size (text at least ``SLIDE_MIN_FONT`` px); tables
too long to read on a slide are left to the handout and the presenter view. Nothing shown is code: no
inputs, no ``Out[n]`` prompts, no cells tagged ``hide-in-presenter``, and no model answers (questions are
polls; the key stays in the guide). Fitting is checked in Chromium by ``tests/test_slides.py``.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from dmjak import fonts
from dmjak.course import notebook_metadata
from dmjak.glossary import is_glossary_cell
from dmjak.paths import instructors_dir, notebooks_dir
from dmjak.quiz import quiz_items
from dmjak.render import PRESENTER_WIDEN, _text_at_least, _widened, hidden_from_screen_readers, to_svg
from dmjak.tooling import core_path

FRAME = (1280, 720)
SLIDE_MIN_FONT = 21  # px in the 1280x720 frame, i.e. on the projector (a fitted chart may shrink 7 %)
CHART_WIDTH = 1000  # single and layered charts; concatenated ones are widened by PRESENTER_WIDEN
HIDDEN_TAG = "hide-in-presenter"
# A table is projected only when it can be read: few columns, few rows, little text.
TABLE_LIMITS = {"columns": 5, "rows": 6, "chars": 480}
LIST_LIMITS = {"items": 5, "chars": 420}
LEAD_MAX_CHARS = 230
SLIDE_MIN_FONT_SCALE = 0.93  # a chart may be scaled down this far (20 px text stays above 18 px)
CAPTION_MAX_CHARS = 200  # a longer chart description is read from the notes
NOTES_FILE = "slide_notes.toml"
HEADING = re.compile(r"^(#{1,3})\s+(.*)$", re.M)


@dataclass
class Slide:
    title: str
    level: int
    body: list[str] = field(default_factory=list)  # HTML blocks shown on the slide
    notes: list[str] = field(default_factory=list)  # plain-text paragraphs for the speaker
    kicker: list[str] = field(default_factory=list)  # headings folded in above the title (they had no content)
    fallback: str = ""  # the opening sentence cut short, shown only if nothing else would be on the slide


@dataclass
class Section:
    title: str
    level: int
    markdown: list[str] = field(default_factory=list)
    outputs: list[dict] = field(default_factory=list)


def slide_notes() -> dict[str, dict]:
    """The lecturer's cues per deck and slide title, from the instructors' folder."""
    return tomllib.loads((instructors_dir() / NOTES_FILE).read_text(encoding="utf-8"))


def sections(nb) -> list[Section]:
    """The notebook cut at every heading (levels 1-3), without hidden and skipped cells or code inputs."""
    found: list[Section] = []
    for cell in nb.cells:
        if HIDDEN_TAG in cell.metadata.get("tags", []):
            continue
        if cell.metadata.get("slideshow", {}).get("slide_type") == "skip":
            continue
        if is_glossary_cell(cell):  # the entries are looked up, not spoken: the slide keeps the glossary's intro
            continue
        if cell.cell_type == "markdown":
            text = cell.source.replace(core_path.BANNER, "")  # a slide states its own content
            cuts = list(HEADING.finditer(text))
            if cuts and cuts[0].start() > 0 and found:
                found[-1].markdown.append(text[: cuts[0].start()])
            elif not cuts and found:
                found[-1].markdown.append(text)
            for i, cut in enumerate(cuts):
                end = cuts[i + 1].start() if i + 1 < len(cuts) else len(text)
                found.append(Section(cut.group(2).strip(), len(cut.group(1)), [text[cut.end() : end]]))
        elif cell.cell_type == "code" and found:
            found[-1].outputs.extend(cell.get("outputs", []))
    return found


def _text(markup: str) -> str:
    return " ".join(BeautifulSoup(markup, "html.parser").get_text(" ").split())


def _first_sentence(paragraph: str) -> str | None:
    """The paragraph's first sentence if it is short enough to project, else None."""
    match = re.match(r"(.+?[.?!:])(\s+(?=[A-Z(\[])|$)", paragraph)
    sentence = match.group(1) if match else paragraph
    return sentence if len(sentence) <= LEAD_MAX_CHARS else None


def _cut_short(paragraph: str) -> str:
    """The paragraph's opening, cut at a word before ``LEAD_MAX_CHARS``, with an ellipsis (the notes hold it all)."""
    words = paragraph[: LEAD_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{words}…"


def _projector_spec(spec: dict) -> dict:
    """The spec wider, with every text at least ``SLIDE_MIN_FONT`` px."""
    spec = dict(spec)
    if "mark" in spec or "layer" in spec:
        spec["width"] = CHART_WIDTH
    else:
        spec = _widened(spec, PRESENTER_WIDEN)
    size = SLIDE_MIN_FONT
    config = {
        "axis": {"labelFontSize": size, "titleFontSize": size + 2, "labelLimit": 0},
        "legend": {"labelFontSize": size, "titleFontSize": size + 2, "symbolSize": 220, "labelLimit": 0},
        "header": {"labelFontSize": size, "titleFontSize": size + 2},
        "title": {"fontSize": size + 6, "subtitleFontSize": size},
        "text": {"fontSize": size},
    }
    for key, value in spec.get("config", {}).items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    spec["config"] = config
    return _text_at_least(spec, size)  # the chart's own config may set smaller sizes


def _resized(node, key: str, factor: float):
    """A copy of a spec with every numeric ``key`` (``width`` or ``height``) multiplied by ``factor``."""
    if isinstance(node, dict):
        return {
            k: round(v * factor) if k == key and isinstance(v, (int, float)) else _resized(v, key, factor)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resized(v, key, factor) for v in node]
    return node


def _size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return float(match.group(1)), float(match.group(2))


def projector_svg(spec: dict, room: tuple[int, int]) -> str:
    """The chart drawn again for a projector (text at least ``SLIDE_MIN_FONT`` px) so that it fits ``room``
    (width, height in slide px) without being scaled down much: views are narrowed or flattened instead,
    which keeps the text at its size (a scaled-down SVG shrinks its text too)."""
    spec = _projector_spec(spec)
    svg = to_svg(spec)
    for _ in range(4):
        width, height = _size(svg)
        scale = min(room[0] / width, room[1] / height)
        if scale >= SLIDE_MIN_FONT_SCALE:
            break
        key = "width" if room[0] / width < room[1] / height else "height"
        spec = _resized(spec, key, max(scale * 0.97, 0.3))
        svg = to_svg(spec)
    return svg


def _figure(figure, above: list[str]) -> tuple[str, str]:
    """A projector-sized figure and its caption (which the notes repeat in full)."""
    spec = json.loads(figure.find("script", class_="dmjak-spec").string)
    caption = _text(str(figure.find("figcaption") or ""))
    shown = len(caption) <= CAPTION_MAX_CHARS
    # the slide's room: 720 less padding (56), heading and gap (58) and some slack, less the lines of
    # what stands above the chart (28 px text: about 80 characters a line) and of the caption (20 px text)
    lines_above = sum(len(_text(block)) // 80 + 1 for block in above)
    height = 720 - 130 - 38 * lines_above - 12 * len(above) - (27 * (len(caption) // 110 + 1) if shown else 0)
    return (
        # one image named by its caption for a screen reader, not a run of tick labels (the SVG is hidden)
        f'<figure class="dmjak-slide-chart" role="img" aria-label="{html.escape(caption)}">'
        f"{hidden_from_screen_readers(projector_svg(spec, (1192, height)))}"
        + (f"<figcaption>{html.escape(caption)}</figcaption>" if shown else "")
        + "</figure>",
        caption,
    )


def _table_fits(table) -> bool:
    rows = table.find_all("tr")
    columns = max((len(r.find_all(["td", "th"])) for r in rows), default=0)
    return (
        columns <= TABLE_LIMITS["columns"]
        and len(rows) - 1 <= TABLE_LIMITS["rows"]
        and len(_text(str(table))) <= TABLE_LIMITS["chars"]
    )


def _quiz(quiz) -> str:
    """A question as a poll: its id (the name of the platform's question, from make quiz-export), stem and
    lettered options, never the model answer."""
    stem = quiz.find("p")
    options = "".join(f"<li>{html.escape(_text(str(li)))}</li>" for li in quiz.find("ol").find_all("li"))
    question = _text(str(stem)).removeprefix("Check your understanding. ")
    ids = [quiz_id for quiz_id, item in quiz_items().items() if " ".join(item.question.split()) == question]
    label = f"Poll {html.escape(ids[0])}." if ids else "Poll."
    return (
        f"<div class='dmjak-poll'><p><strong>{label}</strong> {html.escape(question)}</p>"
        f"<ol type='A'>{options}</ol></div>"
    )


def _slides_of(section: Section, notebook: str) -> list[Slide]:
    """One section as one slide, or several when it holds several charts, tables or questions."""
    first = Slide(section.title, section.level)
    slides = [first]
    markup = markdown2html_mistune("\n\n".join(section.markdown))
    soup = BeautifulSoup(markup, "html.parser")
    lead_taken = False
    for block in soup.find_all(["p", "ul", "ol", "table", "blockquote"], recursive=False):
        text = _text(str(block))
        if block.name == "p" and not lead_taken:
            lead_taken = True
            sentence = _first_sentence(text)
            if sentence:
                first.body.append(f"<p class='dmjak-lead'>{html.escape(sentence)}</p>")
                rest = text[len(sentence) :].strip()
                if rest:
                    first.notes.append(rest)
                continue
            first.fallback = _cut_short(text)
        if block.name in ("ul", "ol") and not first.body[1:]:
            items = block.find_all("li", recursive=False)
            if len(items) <= LIST_LIMITS["items"] and len(text) <= LIST_LIMITS["chars"]:
                first.body.append(
                    f"<{block.name}>"
                    + "".join(f"<li>{html.escape(_text(str(li)))}</li>" for li in items)
                    + f"</{block.name}>"
                )
                continue
        first.notes.append(text)

    def visual_slot() -> Slide:
        """The first slide while it has no visual yet, else a new continuation slide."""
        if not any("dmjak-slide-" in block or "dmjak-poll" in block for block in slides[-1].body) and (
            len(slides[-1].body) <= 1
        ):
            return slides[-1]
        slides.append(Slide(f"{section.title} (continued)", section.level))
        return slides[-1]

    for output in section.outputs:
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            first.notes.append(" ".join(output.get("text", "").split()))
            continue
        if "application/vnd.jupyter.widget-view+json" in data:
            first.notes.append(
                f"Live controls for this part are in the presenter view: make present NB={notebook}.ipynb."
            )
            continue
        if "text/html" not in data:
            if "text/markdown" in data and not section.title.startswith("References"):
                first.notes.append(" ".join(data["text/markdown"].split()))
            continue
        out = BeautifulSoup(data["text/html"], "html.parser")
        for figure in out.find_all("figure", class_="dmjak-chart"):
            slot = visual_slot()
            shown, caption = _figure(figure, above=slot.body)
            slot.body.append(shown)
            slot.notes.append(f"Chart: {caption}")
        for quiz in out.find_all("div", class_="dmjak-quiz"):
            slot = visual_slot()
            slot.body.append(_quiz(quiz))
            slot.notes.append(
                "Poll: let the room vote (hands, cards or the platform's quiz exported by make quiz-export); "
                "the key is in the instructor guide, not on the slides."
            )
        for table in out.find_all("table", class_="dmjak-table"):
            if table.find_parent("figure") or table.find_parent("details"):
                continue
            heads = ", ".join(filter(None, (_text(str(th)) for th in table.find("tr").find_all(["th", "td"]))))
            if _table_fits(table):
                slot = visual_slot()
                slot.body.append(f"<div class='dmjak-slide-table'>{table}</div>")
            else:
                first.body.append(
                    f"<p class='dmjak-aside'>Table ({html.escape(heads)}): in the handout and the presenter view.</p>"
                )
                first.notes.append(f"The table with columns {heads} is too long to project; it is in the handout.")
    return slides


def deck(notebook: str, executed: Path) -> list[Slide]:
    """The slides of one notebook, with the lecturer's cues first in every slide's notes."""
    nb = nbformat.read(executed, as_version=4)
    cues = slide_notes().get(notebook, {})
    slides: list[Slide] = []
    for section in sections(nb):
        if section.title == "References":
            continue
        for slide in _slides_of(section, notebook):
            cue = cues.get(slide.title.removesuffix(" (continued)"))
            if cue and not slide.title.endswith("(continued)"):
                slide.notes.insert(0, cue)
            elif slide.title.endswith("(continued)"):
                slide.notes.insert(0, "Continued from the previous slide.")
            slides.append(slide)
    meta = notebook_metadata(notebooks_dir() / f"{notebook}.ipynb")
    opening = slides[0]
    opening.body = [
        "<p class='dmjak-lead'>Educational, not medical advice.</p>",
        "<ul>" + "".join(f"<li>{html.escape(o)}</li>" for o in meta["objectives"][:4]) + "</ul>",
    ]
    return folded(slides)


def folded(slides: list[Slide]) -> list[Slide]:
    """The slides with no slide that is only a heading. A section whose opening sentence is too long to
    project shows it cut short; a heading with nothing of its own (only subsections) goes above the title
    of the next slide, its notes before that slide's notes."""
    kept: list[Slide] = []
    waiting: list[Slide] = []
    for slide in slides:
        if not slide.body and slide.fallback:
            slide.body.append(f"<p class='dmjak-lead'>{html.escape(slide.fallback)}</p>")
        if not slide.body:
            waiting.append(slide)
            continue
        for empty in reversed(waiting):
            slide.kicker[:0] = [*empty.kicker, empty.title]
        slide.notes[:0] = [note for empty in waiting for note in empty.notes]
        waiting = []
        kept.append(slide)
    if waiting:  # the deck ends on headings without content: they close the last slide instead
        kept[-1].notes += [f"Next: {empty.title}. {' '.join(empty.notes)}" for empty in waiting]
    return kept


def titles(slide: Slide) -> list[str]:
    """Every heading a slide carries: the folded ones above it, then its own."""
    return [*slide.kicker, slide.title]


def unknown_cues(notebook: str, slides: list[Slide]) -> list[str]:
    """Cues in the notes file that name no slide of the deck (a heading was renamed)."""
    carried = {title for slide in slides for title in titles(slide)}
    return [title for title in slide_notes().get(notebook, {}) if title not in carried]


STYLE = """
.reveal { font-size: 26px; }
.reveal .slides { text-align: left; }
.reveal .slides section { padding: 0; }
.dmjak-slide { position: relative; box-sizing: border-box; width: 1280px; height: 720px; padding: 26px 44px 30px;
  display: flex; flex-direction: column; gap: 12px; overflow: hidden; }
.reveal .dmjak-slide h1, .reveal .dmjak-slide h2, .reveal .dmjak-slide h3 { text-transform: none; margin: 0;
  line-height: 1.15; }
.reveal .dmjak-slide h1 { font-size: 48px; }
.reveal .dmjak-slide h2, .reveal .dmjak-slide h3 { font-size: 40px; }
.reveal .dmjak-slide p, .reveal .dmjak-slide li { font-size: 28px; line-height: 1.35; margin: 0; }
.reveal .dmjak-slide ul, .reveal .dmjak-slide ol { margin: 0 0 0 1.2em; }
.reveal .dmjak-slide .dmjak-aside { font-size: 22px; color: #333; }
/* a folded heading sits in the slide's top padding, so it takes no room from the chart below */
.reveal .dmjak-slide .dmjak-kicker { position: absolute; top: 2px; left: 44px; right: 44px; font-size: 20px;
  line-height: 24px; color: #333; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.reveal .dmjak-slide .dmjak-poll ol { list-style-type: upper-alpha; }
.reveal .dmjak-slide .dmjak-poll li { font-size: 26px; margin-bottom: 8px; }
.dmjak-slide-chart { flex: 1 1 auto; min-height: 0; margin: 0; display: flex; flex-direction: column; }
.dmjak-slide-chart svg { flex: 1 1 auto; min-height: 0; width: 100%; height: 100%; }
.dmjak-slide-chart figcaption { font-size: 20px; line-height: 1.3; color: #222; }
.reveal .dmjak-slide table { font-size: 22px; border-collapse: collapse; margin: 0; }
.reveal .dmjak-slide th, .reveal .dmjak-slide td { font-size: 22px; padding: 4px 10px; text-align: left;
  border-bottom: 1px solid #bbb; vertical-align: top; }
.reveal .dmjak-slide a { color: #0d47a1; text-decoration: underline; }
/* reveal.js draws the slide number white on 40 % black, too faint over a white slide (axe: 2.84:1) */
.reveal .slide-number { background-color: #222; color: #fff; font-size: 16px; }
"""


def deck_html(notebook: str, slides: list[Slide], vendor: str = "vendor") -> str:
    """A self-contained reveal.js page: reveal.js and require.js from ``vendor``, nothing from a CDN."""
    title = notebook_metadata(notebooks_dir() / f"{notebook}.ipynb")["title"]
    sections_html = []
    for slide in slides:
        tag = "h1" if slide.level == 1 else "h2"
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in slide.notes)
        kicker = (
            f"<p class='dmjak-kicker'>{' › '.join(html.escape(t) for t in slide.kicker)}</p>" if slide.kicker else ""
        )
        sections_html.append(
            f"<section><div class='dmjak-slide'>{kicker}<{tag}>{html.escape(slide.title)}</{tag}>"
            f"{''.join(slide.body)}</div>"
            f"<aside class='notes'>{notes}</aside></section>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}: slides</title>
<link rel="stylesheet" href="{vendor}/reveal.js/dist/reveal.css">
<link rel="stylesheet" href="{vendor}/reveal.js/dist/theme/white.css">
<style>{fonts.font_face_css()}</style>
<style>{STYLE}</style>
<script src="{vendor}/require.js"></script>
</head><body><div class="reveal"><div class="slides">
{chr(10).join(sections_html)}
</div></div>
<script>
require(["{vendor}/reveal.js/dist/reveal.js", "{vendor}/reveal.js/plugin/notes/notes.js"],
        function (Reveal, RevealNotes) {{
  window.Reveal = Reveal;
  Reveal.initialize({{ width: {FRAME[0]}, height: {FRAME[1]}, margin: 0.02, center: false, controls: true,
    progress: true, history: true, slideNumber: "c/t", transition: "none", plugins: [RevealNotes] }});
}});
</script></body></html>
"""
