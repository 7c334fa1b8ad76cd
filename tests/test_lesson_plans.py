"""The instructor guide's timed plans add up: each block starts where the one before ended, the blocks and
the slack fill the slot exactly, and the 90-minute plan keeps at least 5 minutes of slack. The polls and
decks it names exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from conftest import REPO

from dmjak.paths import instructors_dir
from dmjak.quiz import quiz_items
from dmjak.tooling import export, quiz_export

GUIDE = instructors_dir() / "guide.md"
PLANS = {"A 90-minute session (lecture with polls)": 90, "A hub practical for 200": 90}
MIN_SLACK = {"A 90-minute session (lecture with polls)": 5}


def plan(heading: str) -> list[tuple[int, str, int]]:
    """(start minute, row text, minutes) for every row of the first table under ``heading``."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"\|\s*(\d+):(\d\d)\s*\|(.*)\|\s*$", line)
        if match:
            minutes = re.findall(r"\((\d+) min\)", match.group(3))
            assert len(minutes) == 1, f"{heading}: a row without its length in minutes: {line}"
            rows.append((int(match.group(1)) * 60 + int(match.group(2)), match.group(3), int(minutes[0])))
    return rows


@pytest.mark.parametrize("heading", PLANS)
def test_each_block_starts_when_the_one_before_ends_and_the_plan_fills_its_slot(heading):
    rows = plan(heading)
    assert rows and rows[0][0] == 0
    for (start, text, length), (next_start, _, _) in zip(rows, rows[1:], strict=False):
        assert start + length == next_start, (
            f"{heading}: {text.strip()[:60]} ends at {start + length}, next at {next_start}"
        )
    assert rows[-1][0] + rows[-1][2] == PLANS[heading], f"{heading} does not end at {PLANS[heading]} minutes"


def test_the_90_minute_plan_keeps_slack_for_switching_and_settling():
    heading = "A 90-minute session (lecture with polls)"
    slack = sum(length for _, text, length in plan(heading) if "slack" in text.split("|")[0])
    assert slack >= MIN_SLACK[heading], f"only {slack} minutes of slack"
    stated = re.search(r"The blocks take (\d+) minutes; the last (\d+) are slack", GUIDE.read_text(encoding="utf-8"))
    assert stated and (int(stated[1]), int(stated[2])) == (PLANS[heading] - slack, slack)


def test_the_polls_and_decks_the_plans_name_exist():
    items = quiz_items()
    for heading in PLANS:
        for _, text, _ in plan(heading):
            for named in re.findall(r"`([a-z]+(?:-[a-z]+)+)`", text):
                assert named in items, f"{heading}: no poll {named!r} in quiz_items.csv"
            for deck in re.findall(r"`(\d\d_[a-z_]+)` deck", text):
                assert deck in export.SLIDE_NOTEBOOKS, f"{heading}: no deck for {deck}"


def test_the_moodle_poll_recipe_exports_exactly_the_polls_of_the_90_minute_plan(tmp_path):
    """The recipe's command, run as the guide writes it (into a temporary folder), exports the plan's polls
    and nothing else, in a file Moodle's format reader (the course's own) reads back."""
    recipe = GUIDE.read_text(encoding="utf-8").split("### Running the polls live in Moodle", 1)[1].split("\n## ", 1)[0]
    command = re.search(r"`(\.venv/bin/python -m dmjak\.tooling\.quiz_export [^`]+)`", " ".join(recipe.split()))[1]
    named_out = re.search(r"`(build/lecturer/polls/dmjak-quiz\.moodle\.xml)`", recipe)[1]
    argv = shlex.split(command)
    assert argv[3] == str(named_out).rsplit("/", 1)[0]
    argv[0], argv[3] = sys.executable, str(tmp_path / "polls")
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    exported = quiz_export.read_moodle((tmp_path / "polls" / "dmjak-quiz.moodle.xml").read_bytes())
    polls = [
        p
        for _, text, _ in plan("A 90-minute session (lecture with polls)")
        for p in re.findall(r"`([a-z]+(?:-[a-z]+)+)`", text)
    ]
    assert [q.quiz_id for q in exported] == [p for p in quiz_items() if p in polls] and len(polls) == 4
    assert (tmp_path / "polls" / "dmjak-quiz.qti.zip").is_file()
    wrong = subprocess.run([*argv[:4], "--only", "cases-design,no-such-poll"], cwd=REPO, capture_output=True, text=True)
    assert wrong.returncode == 2 and "no item 'no-such-poll'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_hub_practical_says_how_to_start_200_servers_and_what_to_do_when_one_fails():
    """Review #14: the plan assumed 200 simultaneous starts that the rehearsal showed can fail."""
    guide = (instructors_dir() / "guide.md").read_text(encoding="utf-8")
    practical = guide.split("## A hub practical for 200", 1)[1].split("\n## ", 1)[0]
    assert "/hub/api/users/{name}/server" in practical and "scheduling.userPlaceholder" in practical
    assert "failed to start" in practical and "neighbour" in practical and "handout" in practical
    assert "needs\nroot" in practical or "needs root" in practical
    assert "how long that takes" in practical  # who to ask, before promising a practical for tomorrow
