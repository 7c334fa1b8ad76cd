"""Pictures: drawn from the data, described in words that agree with the numbers, every fact sourced
and cited in the notebook that shows it, hostile text escaped; the explorer redraws the cascade."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from unittest import mock

import ipywidgets
import pandas as pd
import pytest

from dmjak.data import load_table
from dmjak.models.inhibition import RULES, kinase_inhibition, pathway_signal
from dmjak.paths import notebooks_dir
from dmjak.pictures.dermatomyositis import skin_signs_map
from dmjak.pictures.jak import Block, interferon_cascade
from dmjak.references import keys_in_notebook
from dmjak.widgets.jak import PathwayExplorer

SVG = "{http://www.w3.org/2000/svg}"


def _words(picture) -> list[str]:
    return [t.text for t in ET.fromstring(picture.svg()).iter(f"{SVG}text")]


def test_the_cascade_is_labelled_in_words_from_the_pathway_table():
    picture = interferon_cascade(load_table("jak_pathways"))
    root = ET.fromstring(picture.svg())  # well-formed SVG
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    words = " ".join(_words(picture))
    for label in ("IFNAR1", "IFNAR2", "TYK2", "JAK1", "STAT1", "STAT2", "IRF9", "ISGF3", "ISRE", "nucleus"):
        assert label in words
    assert "inhibited" not in words  # no drug, no block
    assert "IFNAR1 carries the kinase TYK2 and IFNAR2 carries JAK1" in picture.description


@pytest.mark.parametrize("drug", ["baricitinib", "abrocitinib"])
@pytest.mark.parametrize("concentration", [3.0, 30.0, 1000.0])
@pytest.mark.parametrize("rule", RULES)
def test_the_block_shown_is_the_models_numbers(drug, concentration, rule):
    potency, pathways = load_table("jak_inhibitor_potency"), load_table("jak_pathways")
    picture = interferon_cascade(pathways, Block.from_model(potency, pathways, drug, concentration, rule))
    kinases = kinase_inhibition(potency, drug, concentration).set_index("kinase")["inhibited"]
    signal = pathway_signal(pathways, kinase_inhibition(potency, drug, concentration), rule)
    left = signal.set_index("pathway").loc["type I interferon", "signal_remaining"]
    words = " ".join(_words(picture))
    for kinase in ("JAK1", "TYK2"):
        assert f"{kinases[kinase]:.0%} inhibited" in words
        assert f"{kinase} {kinases[kinase]:.0%} inhibited" in picture.description
    assert f"signal left: {left:.0%}" in words and f"{left:.0%} of the signal is left" in picture.description
    assert f"{drug} at {concentration:g} nM" in words
    source = potency.query("drug == @drug").iloc[0]
    assert (source["source"], source["source_detail"]) in picture.sources


def test_the_cascade_refuses_a_pathway_table_it_cannot_draw():
    pathways = load_table("jak_pathways").copy()
    pathways.loc[pathways["pathway"] == "type I interferon", "kinase_2"] = "JAK2"
    with pytest.raises(ValueError, match="IFNAR1-TYK2"):
        interferon_cascade(pathways)


def test_the_body_map_numbers_every_sign_and_says_it_is_schematic():
    signs = load_table("dm_skin_signs")
    picture = skin_signs_map(signs)
    words = _words(picture)
    assert [str(n) for n in range(1, len(signs) + 1)] == [w for w in words if w.isdigit()]
    assert "schematic" in picture.title.lower() and "not a photograph" in picture.html()
    for row in signs.itertuples():
        assert row.sign in picture.description and row.look_for in picture.description
    needed = {"heliotrope rash", "Gottron's papules", "Gottron's sign", "V sign", "shawl sign",
              "periungual changes", "mechanic's hands", "skin ulcers"}  # fmt: skip
    assert needed <= set(signs["sign"])
    assert signs.set_index("sign").loc["skin ulcers", "antibody"] == "anti-MDA5"


def test_hostile_text_in_the_data_is_escaped_everywhere():
    signs = load_table("dm_skin_signs").copy()
    signs.loc[0, "look_for"] = '<script>alert("x")</script> & more'
    picture = skin_signs_map(signs)
    ET.fromstring(picture.svg())  # still well-formed
    assert "<script>" not in picture.html() and "&lt;script&gt;" in picture.html()


def test_a_sign_the_map_cannot_place_is_refused():
    signs = pd.concat([load_table("dm_skin_signs"), pd.DataFrame([{"sign_id": "holster", "sign": "holster sign"}])])
    with pytest.raises(ValueError, match="holster"):
        skin_signs_map(signs)


@pytest.mark.parametrize(
    ("notebook", "picture"),
    [
        ("01_dermatomyositis.ipynb", lambda: skin_signs_map(load_table("dm_skin_signs"))),
        ("02_interferon_jak_stat.ipynb", lambda: interferon_cascade(load_table("jak_pathways"))),
    ],
)
def test_every_source_of_a_picture_is_cited_in_its_notebook(notebook, picture):
    path = notebooks_dir() / notebook
    cited = keys_in_notebook(path)
    assert {key for key, _ in picture().sources} <= set(cited)
    source = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
    assert re.search(r"skin_signs_map|interferon_cascade", source), "the notebook shows the picture"


@pytest.mark.parametrize("mode", ["svg", "live"])
def test_the_explorer_redraws_the_cascade_when_the_drug_or_concentration_changes(monkeypatch, mode):
    monkeypatch.setenv("DMJAK_RENDER", mode)
    with mock.patch("dmjak.render.display") as shown, mock.patch("dmjak.widgets.jak.display"):
        explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")).show()
        first = shown.call_args_list[0].args[0]
        # static: an HTML display with an id; live: a widget (Voila applies no display updates after a callback)
        assert "baricitinib at 30 nM" in (first.value if mode == "live" else first.data)
        assert (mode == "live") == isinstance(first, ipywidgets.HTML)
        with mock.patch.object(explorer._picture, "update", wraps=explorer._picture.update) as update:
            explorer.drug.value = "abrocitinib"
            explorer.concentration.value = 300.0
    last = update.call_args.args[0]
    assert "abrocitinib at 300 nM" in last and "91% inhibited" in last  # JAK1: 300 / (300 + 29)
    assert update.call_count == 2  # once per change
    if mode == "live":
        assert first.value == last


@pytest.mark.parametrize(
    ("notebook", "picture"),
    [
        ("01_dermatomyositis.ipynb", lambda nb: skin_signs_map(load_table("dm_skin_signs"), notebook=nb)),
        ("02_interferon_jak_stat.ipynb", lambda nb: interferon_cascade(load_table("jak_pathways"), notebook=nb)),
        (
            "02_interferon_jak_stat.ipynb",
            lambda nb: PathwayExplorer(
                load_table("jak_inhibitor_potency"), load_table("jak_pathways"), notebook=nb
            ).picture(),
        ),
    ],
    ids=["body-map", "cascade", "explorer-cascade"],
)
def test_a_pictures_caption_cites_with_the_notebooks_numbers_never_a_bare_key(notebook, picture):
    """Review S3: the captions and the body map's list cite as the prose does: superscript numbers that are the
    notebook's own (the reference list's), each showing its reference and pinpoint; no raw key in the text."""
    shown = picture(notebook)
    caption = re.sub(r"<svg.*?</svg>", "", shown.html(), flags=re.S)
    visible = re.sub(r'title="[^"]*"|href="[^"]*"', "", caption)
    for key, _ in shown.sources:
        assert key not in visible, f"bare key {key} in the caption"
    numbers = {key: n for n, key in enumerate(keys_in_notebook(notebooks_dir() / notebook), start=1)}
    number = r'<a href="#ref\d\d-(\w+)" aria-label="reference \d+" title="\[(\d+)\] [^"]+">(\d+)</a>'
    cited = re.findall(number, caption)
    assert {key for key, _, _ in cited} == {key for key, _ in shown.sources}
    assert all(int(shown_number) == int(tip_number) == numbers[key] for key, tip_number, shown_number in cited)


def test_the_notebooks_pass_their_name_to_the_pictures_they_show():
    for notebook, call in [
        ("01_dermatomyositis.ipynb", "skin_signs_map("),
        ("02_interferon_jak_stat.ipynb", "interferon_cascade("),
        ("02_interferon_jak_stat.ipynb", "PathwayExplorer("),
    ]:
        cells = json.loads((notebooks_dir() / notebook).read_text())["cells"]
        calls = ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and call in "".join(c["source"])]
        calls = [c for c in calls if "import" not in c]
        assert calls and all(f'notebook="{notebook}"' in c for c in calls), (notebook, call)
