"""`mlsd list` and `mlsd show` as a user calls them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mlsd_drill.cli import app

runner = CliRunner()


def test_list_shows_bundled_case_studies() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    for qid in ("ad-click-prediction", "fraud-detection", "video-recommendations"):
        assert qid in result.stdout


def test_list_filters_by_tag_and_difficulty() -> None:
    data = json.loads(runner.invoke(app, ["list", "--tag", "fraud", "--json"]).stdout)
    assert "fraud-detection" in [q["id"] for q in data]
    assert all("fraud" in q["tags"] for q in data)
    hard = json.loads(runner.invoke(app, ["list", "-d", "hard", "--json"]).stdout)
    assert hard and all(q["difficulty"] == "hard" for q in hard)


def test_list_rejects_unknown_difficulty() -> None:
    result = runner.invoke(app, ["list", "-d", "impossible"])
    assert result.exit_code == 2
    assert "impossible" in result.stderr


def test_show_json_has_stages_and_rubric() -> None:
    result = runner.invoke(app, ["show", "fraud-detection", "--rubric", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [s["name"] for s in data["stages"]] == ["clarify", "data", "model", "serve", "monitor"]
    assert sum(s["minutes"] for s in data["stages"]) == 45
    assert any(i["common"] for i in data["rubric"])
    items = {i["id"]: i for i in data["rubric"]}
    # a question item standing for a common one says so, and that common item is not listed
    assert items["rules-and-baseline"]["replaces"] == ["common-baseline"] and "common-baseline" not in items
    assert len(items["common-data-leakage"]["parts"]) == 2  # an item made of parts shows them


def test_show_unknown_question_suggests_close_match() -> None:
    result = runner.invoke(app, ["show", "fraud-detectoin"])
    assert result.exit_code == 2
    assert "did you mean 'fraud-detection'" in result.stderr
    # a part of an id, as people type it: the id that holds it, or the few that do
    assert "did you mean 'fraud-detection'" in runner.invoke(app, ["show", "fraud"]).stderr
    assert "did you mean 'ecommerce-search-ranking' or 'visual-image-search'" in runner.invoke(app, ["show", "search"]).stderr
    assert "Traceback" not in result.output


def test_bank_text_is_shown_literally(mini_bank: Path) -> None:
    q = mini_bank / "questions" / "toy-ranker.yaml"
    q.write_text(q.read_text().replace("Design a toy ranker", "Design [bold red]markup[/] ranker"))
    result = runner.invoke(app, ["show", "toy-ranker", "--bank", str(mini_bank)])
    assert "[bold red]markup[/]" in result.stdout


def test_help_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mlsd_drill.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('questionary', 'prompt_toolkit', 'yaml', 'fsrs', 'sqlite3', 'Stemmer') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_python_m_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "mlsd_drill", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("mlsd ")


def test_command_reference_is_in_step_with_help() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    check = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_commands_doc.py"), "--check"])
    assert check.returncode == 0, "docs/commands.md is stale: run python tools/gen_commands_doc.py"


def test_list_prints_bank_text_literally_and_wraps(mini_bank: Path) -> None:
    from mlsd_drill import bank, listing

    q = mini_bank / "questions" / "toy-ranker.yaml"
    q.write_text(
        q.read_text().replace("Design a toy ranker", "Design [red]a[/] very long toy ranker title " * 3)
    )
    out = listing.render(list(bank.load([mini_bank]).questions.values()), width=70)
    assert "[red]a[/]" in out
    assert all(len(line) <= 70 for line in out.splitlines())
    assert "\x1b" not in out  # no colour codes unless a terminal asks for them


def test_list_fits_any_terminal_width() -> None:
    """Columns where they fit; on a small screen each question as a block, never wider."""
    from mlsd_drill import bank, listing

    questions = list(bank.load().questions.values())
    for width in (50, 60, 72, 80, 100, 140):
        out = listing.render(questions, width=width)
        assert all(len(line) <= width for line in out.splitlines()), width
        assert all(q.id in out for q in questions)
    stacked = listing.render(questions, width=60).splitlines()
    at = stacked.index("fraud-detection  hard")
    assert stacked[at + 1] == "  Design real-time fraud detection for card payments"


def test_list_wraps_wide_characters_by_terminal_columns(mini_bank: Path) -> None:
    """A Chinese title has no spaces and each character takes two columns."""
    import unicodedata

    from mlsd_drill import bank, listing

    q = mini_bank / "questions" / "toy-ranker.yaml"
    q.write_text(q.read_text().replace("Design a toy ranker", "设计一个短视频推荐系统，支持实时个性化排序和冷启动处理"))
    out = listing.render(list(bank.load([mini_bank]).questions.values()), width=60)
    def cells(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    lines = out.splitlines()
    assert max(cells(line) for line in lines) <= 60
    assert "冷启动" in out.replace("\n", "").replace(" ", "")
    # the difficulty column stays in line with its heading
    assert cells(lines[1][: lines[1].index("easy")]) == cells(lines[0][: lines[0].index("difficulty")])


def test_show_rubric_wraps_under_the_text_without_padding() -> None:
    """Long items and follow-ups continue under their own text; no line ends in spaces."""
    result = runner.invoke(app, ["show", "fraud-detection", "--rubric"], env={"COLUMNS": "70"})
    lines = result.stdout.splitlines()
    assert all(len(line) <= 70 and not line.endswith(" ") for line in lines)
    item = next(k for k, line in enumerate(lines) if line.startswith("    - Pins down volume"))
    assert lines[item + 1].startswith("      ") and lines[item + 1][6] != " "
    ask = next(k for k, line in enumerate(lines) if line.startswith("  follow-up: The fraud team"))
    assert lines[ask + 1].startswith(" " * 13) and lines[ask + 1][13] != " "


def test_bank_text_is_reflowed_to_the_terminal() -> None:
    """Source line breaks are undone (no 'Fraud' alone on a line at 80 columns); breaks the
    author meant - after a short line that ends a sentence, before a list item - stay."""
    from itertools import pairwise

    from mlsd_drill.report import reflow

    text = "A long line that the author wrapped at\nthis width. Then a short one.\nNew thought.\n- a list item\n- another"
    assert reflow(text) == "A long line that the author wrapped at this width. Then a short one.\nNew thought.\n- a list item\n- another"
    for qid in ("fraud-detection", "video-recommendations", "street-view-blurring"):
        out = runner.invoke(app, ["show", qid], env={"COLUMNS": "80"}).stdout
        panel = [line.strip("│ ").strip() for line in out.splitlines() if line.startswith("│")]
        for line, nxt in pairwise(panel):
            assert not (line and nxt and len(line.split()) <= 2 and not line.endswith(".")), (qid, line)


def test_list_names_a_filter_that_matches_nothing() -> None:
    out = runner.invoke(app, ["list", "--tag", "nosuch"])
    assert out.exit_code == 0 and out.stdout.strip() == "No question is tagged 'nosuch'."
    typo = runner.invoke(app, ["list", "--tag", "RANKNG"])  # a near tag is suggested; the tag keeps its case
    assert typo.stdout.strip() == "No question is tagged 'RANKNG': did you mean 'ranking'?"
    out = runner.invoke(app, ["list", "--tag", "ads", "--difficulty", "easy"])
    assert out.stdout.strip() == "No question matches --tag ads --difficulty easy."


def test_history_limit_must_not_be_negative() -> None:
    out = runner.invoke(app, ["history", "-n", "-1"])
    assert out.exit_code == 2 and out.stderr.strip() == "mlsd: error: --limit -1: give a number of sessions, or 0 for all"


def test_a_number_option_names_what_was_typed() -> None:
    out = runner.invoke(app, ["drill", "--minutes", "abc"])
    assert out.exit_code == 2 and "'abc' is not a number of minutes" in out.stderr
    out = runner.invoke(app, ["history", "-n", "ten"])
    assert out.exit_code == 2 and "'ten' is not a whole number of sessions" in out.stderr
