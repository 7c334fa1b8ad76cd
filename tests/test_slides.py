"""The lecture decks: every slide fits a 1280x720 projector (measured in Chromium with the internet
blocked), shows no code, prompts, setup cells or answers, and carries the lecturer's notes."""

from __future__ import annotations

import html
import re

import pytest
from browser import chromium_page, require_browser, screenshot
from slide_fit import FRAME, measure_deck, overflowing
from test_export import require_node_modules
from test_export_browser import loopback_server, open_offline

from dmjak.quiz import quiz_items
from dmjak.tooling import export, slides

# the smallest chart text on any slide, in the projector's pixels (the frame is the projector)
MIN_CHART_TEXT_PX = 18
_CHART_TEXT = """
() => {
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = frame.width / Reveal.getConfig().width;
  const sizes = [...Reveal.getCurrentSlide().querySelectorAll('.dmjak-slide-chart svg text')]
    .filter((t) => t.textContent.trim())
    .map((t) => ({ px: t.getBoundingClientRect().height / scale, text: t.textContent.trim().slice(0, 30),
                   font: parseFloat(getComputedStyle(t).fontSize),
                   svgScale: t.ownerSVGElement.getBoundingClientRect().width / scale
                     / t.ownerSVGElement.viewBox.baseVal.width }));
  return sizes.map((s) => ({ ...s, shown: s.font * s.svgScale })).sort((a, b) => a.shown - b.shown).slice(0, 3);
}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    require_node_modules()
    out = tmp_path_factory.mktemp("decks") / "slides"
    export.export_slides(out=out)
    return out


def deck_pages(decks):
    return {p.name.removesuffix(".slides.html"): p.read_text(encoding="utf-8") for p in decks.glob("*.slides.html")}


def test_a_deck_for_every_notebook_of_the_lesson_plans(decks):
    assert sorted(deck_pages(decks)) == sorted(export.SLIDE_NOTEBOOKS)
    assert {"00_start_here", "02_interferon_jak_stat", "05_baricitinib_cases", "06_weighing_the_evidence"} <= set(
        export.SLIDE_NOTEBOOKS
    )


def test_no_code_no_prompts_no_setup_cells(decks):
    for name, page in deck_pages(decks).items():
        assert not re.search(r"\b(In|Out)\s*\[\s*\d*\s*\]:", page), name
        assert "import " not in re.sub(r"<script.*?</script>", "", page, flags=re.S), name
        assert "jp-InputArea" not in page and "highlight-ipynb" not in page, name
    # the hide-in-presenter markdown of notebook 05 (how to pick a patient) never reaches a slide
    assert "Pick a patient" not in deck_pages(decks)["05_baricitinib_cases"]


def test_every_slide_has_a_cue_from_the_lesson_plans_and_no_cue_is_orphaned(decks):
    for name in export.SLIDE_NOTEBOOKS:
        executed = export.executed_notebooks([name])[0]
        deck = slides.deck(name, executed)
        cues = slides.slide_notes()[name]
        assert slides.unknown_cues(name, deck) == [], f"{name}: cues for slides that do not exist"
        for slide in deck:
            assert slide.notes, f"{name}: slide {slide.title!r} has no speaker notes"
            if not slide.title.endswith("(continued)"):
                # a folded heading's cue comes first, then the slide's own, in the order they are taught
                carried = [cues.get(title) for title in slides.titles(slide)]
                assert None not in carried, f"{name}: slide {slide.title!r} ({slide.kicker}) has no cue"
                shown = [note for note in slide.notes if note in carried]
                assert shown == carried and slide.notes[0] == carried[0], f"{name}: {slide.title!r}"


NOTES_MAX_CHARS = 4000  # about three minutes of reading at a lectern; the glossary slide's notes were 19,366


def test_speaker_notes_are_short_enough_to_use_at_a_lectern():
    """Review #13: the glossary slide's notes held the whole glossary. Its entries are looked up, not spoken: the
    slide keeps the glossary's introduction, its notes the cue."""
    for name in export.SLIDE_NOTEBOOKS:
        for slide in slides.deck(name, export.executed_notebooks([name])[0]):
            length = sum(len(note) for note in slide.notes)
            assert length <= NOTES_MAX_CHARS, f"{name}: the notes of {slide.title!r} are {length} characters"
            if slide.title == "Glossary":
                assert "autoantibody" not in " ".join(slide.notes).lower(), "a glossary entry is in the notes"


def test_no_slide_is_only_a_heading_in_any_deck(decks):
    """A heading whose section has nothing to project is folded above the next slide's title."""
    for name, page in deck_pages(decks).items():
        shown = re.findall(r"<div class='dmjak-slide'>(.*?)</div><aside", page, flags=re.S)
        assert len(shown) == page.count("<aside class='notes'>"), name
        for index, slide in enumerate(shown, 1):
            content = re.sub(r"<p class='dmjak-kicker'>.*?</p>|<h([1-3])>.*?</h\1>", "", slide, flags=re.S)
            assert _visible_text(content) or "<svg" in content, f"{name} slide {index} is only a heading: {slide[:120]}"
    # "Before the first dose" had no content of its own: it now stands above its first subsection
    deck = html.unescape(deck_pages(decks)["07_using_jak_inhibitors_safely"])
    assert re.search(r"<p class='dmjak-kicker'>[^<]*Before the first dose[^<]*</p><h2>", deck)


def _visible_text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_polls_show_the_question_and_options_but_never_the_answer(decks):
    pages = {name: html.unescape(page) for name, page in deck_pages(decks).items()}
    for name, page in pages.items():
        for item in quiz_items().values():
            assert item.explanation not in page, f"{name} shows the model answer of {item.quiz_id}"
            assert not [f for f in item.feedback if f in page], f"{name} shows feedback of {item.quiz_id}"
    deck, design = pages["05_baricitinib_cases"], quiz_items()["cases-design"]
    assert design.question in deck and all(option in deck for option in design.options)
    # each poll names its id, the name of its question in the platform's import (make quiz-export)
    assert "Poll cases-design." in deck and "Poll cases-ivig." in deck
    assert "Show the model answer" not in deck


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_every_slide_fits_1280x720_with_projector_sized_charts_and_no_remote_requests(decks):
    require_browser()
    problems, counted, smallest = {}, 0, []
    with loopback_server(decks) as base, chromium_page() as page:
        page.set_viewport_size(FRAME)
        for path in sorted(decks.glob("*.slides.html")):
            blocked = open_offline(page, f"{base}/{path.name}")
            assert blocked == [], f"{path.name} asked the internet for {blocked}"
            measured = measure_deck(page)
            assert (measured["width"], measured["height"]) == (FRAME["width"], FRAME["height"]), path.name
            counted += len(measured["slides"])
            if overflowing(measured):
                problems[path.name] = overflowing(measured)
            assert all(s["notes"] for s in measured["slides"]), f"{path.name}: a slide without notes"
            for index in range(len(measured["slides"])):
                page.evaluate(
                    f"() => {{ const s = Reveal.getSlides()[{index}]; const i = Reveal.getIndices(s); "
                    "Reveal.slide(i.h, i.v); }"
                )
                texts = page.evaluate(_CHART_TEXT)
                smallest += [(path.name, index + 1, t["text"], round(t["shown"], 1)) for t in texts]
            assert page.script_errors == [], f"{path.name}: {page.script_errors}"
        screenshot(page, "slides-last")
    assert counted >= 60
    assert problems == {}, problems
    too_small = [s for s in smallest if s[3] < MIN_CHART_TEXT_PX]
    assert smallest and not too_small, too_small[:10]
