"""`mlsd score`: the report, the JSON contract and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlsd_drill.cli import app

runner = CliRunner()

ANSWER = """# Clarify
We are the issuer. Latency budget: p99 under 100 ms for scoring inside authorization.

## Data & features
Labels come from chargebacks, which are delayed 30-90 days. Velocity features per card.
No graph features for now.

## Modelling
Baseline: logistic regression, then GBDT (XGBoost). Offline metric: PR-AUC.

## Serving
Shadow mode first, then an A/B test.

## Monitoring
Watch PSI drift on the score distribution and retrain weekly.
"""


def test_json_contract(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    result = runner.invoke(app, ["score", "fraud-detection", str(f), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"question", "score", "stages", "level", "items"}
    assert data["question"] == "fraud-detection"
    assert 0 < data["score"] < 100
    assert set(data["stages"]) == {"clarify", "data", "model", "serve", "monitor"}
    assert data["level"] in (None, "mid", "senior", "staff")
    for it in data["items"]:
        # the contract's fields, plus "signal": which rubric signal found the evidence, and
        # "check": found by that signal alone (worth a look)
        assert set(it) == {
            "id", "text", "stage", "hit", "evidence", "found_in", "weight", "level", "signal", "check",
            "rejected", "partly",
        }  # fmt: skip
        assert it["rejected"] is None or not it["hit"]
        assert (it["evidence"] is not None) == it["hit"] == (it["signal"] is not None)
        assert it["hit"] or not it["check"]
    hit = {i["id"]: i for i in data["items"] if i["hit"]}
    assert hit["velocity-features"]["found_in"] == "data"


def test_report_shows_evidence_and_why(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    result = runner.invoke(app, ["score", "fraud-detection", str(f)])
    assert result.exit_code == 0
    assert "Covered" in result.stdout and "Missed" in result.stdout
    assert "Velocity features per card." in result.stdout
    assert "why:" in result.stdout
    # a missed point that the answer turns down says which sentence read as the "no"
    assert 'read as turned down: "No graph features for now."' in result.stdout
    # the lists push the score table off the screen: the report ends with its gist
    data = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--json"]).stdout)
    tail = " ".join(result.stdout.split("\n\n")[-1].split())
    assert tail.startswith(f"In short: {data['score']:.0f}%, ")
    assert f"by stage: clarify {data['stages']['clarify']:.0f}%, data " in tail


def test_report_marks_the_credits_worth_checking(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    data = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--json"]).stdout)
    unsure = [i for i in data["items"] if i["check"]]
    assert unsure and len(unsure) < sum(i["hit"] for i in data["items"])
    out = runner.invoke(app, ["score", "fraud-detection", str(f)], env={"COLUMNS": "200"}).stdout
    assert f"The {len(unsure)} marked ? rest on a single phrasing" in out
    assert "one made in another stage still counts" in " ".join(out.split())
    marked = [line for line in out.splitlines() if line.startswith("  ? ")]
    assert len(marked) == len(unsure)
    assert len([line for line in out.splitlines() if line.startswith("  ✓ ")]) == len(hit_ids(data)) - len(unsure)


def hit_ids(data: dict) -> list[str]:  # type: ignore[type-arg]
    return [i["id"] for i in data["items"] if i["hit"]]


def test_report_wraps_items_under_their_text_without_trailing_spaces(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    result = runner.invoke(app, ["score", "fraud-detection", str(f)], env={"COLUMNS": "60"})
    lines = result.stdout.splitlines()
    assert all(len(line) <= 60 and not line.endswith(" ") for line in lines)
    first = next(k for k, line in enumerate(lines) if line.startswith("  ✓ "))
    assert lines[first + 1].startswith("    ") and lines[first + 1][4] != " ", "continuation hangs under the text"
    evidence = next(line for line in lines if "Velocity features" in line)
    assert evidence.startswith("      ")


def test_score_bars_shrink_on_a_small_screen_rather_than_being_cut(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    out = runner.invoke(app, ["score", "fraud-detection", str(f)], env={"COLUMNS": "50"}).stdout
    bars = [line for line in out.splitlines() if "░" in line or "█" in line]
    assert len(bars) == 5 and all(line.rstrip().endswith("%") and "…" not in line for line in bars)
    assert all(len(line) <= 50 for line in out.splitlines())


def test_the_question_pasted_into_the_answer_earns_nothing(tmp_path: Path) -> None:
    """Notes often open with the question itself; its sentences state the case, they make
    no point. The candidate's own sentences after it are scored as ever."""
    from mlsd_drill import bank

    q = bank.load().questions["fraud-detection"]
    pasted = f"# {q.title}\n\n{q.prompt}\n\n" + "\n".join(f"- {h}" for s in q.stages for h in s.hints)

    def credited(text: str) -> set[str]:
        f = tmp_path / "a.md"
        f.write_text(text)
        result = runner.invoke(app, ["score", "fraud-detection", str(f), "--json"])
        assert result.exit_code == 0, result.output
        return {it["id"] for it in json.loads(result.stdout)["items"] if it["hit"]}

    from mlsd_drill.answer import score_text

    unaware = {r.item.id for r in score_text(pasted, bank.load().rubric_for(q.id)).items if r.hit}
    aware = credited(pasted)
    # what is left comes from hints of a few words, which an answer may say as its own
    assert len(unaware) >= 10 and len(aware) <= 4 and aware < unaware
    assert credited(pasted + "\n\n" + ANSWER) == credited(ANSWER)


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "fraud-detection", "-", "--json"], input=ANSWER)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["score"] > 0


def test_empty_answer_scores_zero_with_a_note(tmp_path: Path) -> None:
    f = tmp_path / "empty.md"
    f.write_text("\n\n")
    result = runner.invoke(app, ["score", "fraud-detection", str(f)])
    assert result.exit_code == 0
    assert "empty" in result.stdout and "0%" in result.stdout
    assert "mlsd show fraud-detection --rubric" in result.stdout
    assert "Missed" not in result.stdout and "why:" not in result.stdout  # not 55 misses with their why
    data = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--json"]).stdout)
    assert data["score"] == 0


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"\x89PNG\x00\x00binary"), "binary file"),
        (lambda p: p.write_bytes(b"caf\xe9 latin-1"), "not UTF-8"),
        (lambda p: p.write_text("x" * (1024 * 1024 + 1)), "over 1 MiB"),
    ],
)
def test_bad_answer_files(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "answer.md"
    setup(p)
    result = runner.invoke(app, ["score", "fraud-detection", str(p)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert str(p) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unknown_question(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    result = runner.invoke(app, ["score", "no-such-question", str(f)])
    assert result.exit_code == 2
    assert "unknown question 'no-such-question'" in result.stderr


def test_a_utf16_answer_is_read_like_any_other(tmp_path: Path) -> None:
    """Windows Notepad's "Unicode" is UTF-16, with a byte order mark or without."""
    expected = json.loads(_score_json(tmp_path, ANSWER.encode("utf-8")))
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        assert json.loads(_score_json(tmp_path, ANSWER.encode(codec))) == expected, codec


def _score_json(tmp_path: Path, data: bytes) -> str:
    f = tmp_path / "a.md"
    f.write_bytes(data)
    result = runner.invoke(app, ["score", "fraud-detection", str(f), "--json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_answer_text_never_in_error_output(tmp_path: Path) -> None:
    p = tmp_path / "secret.md"
    p.write_bytes(b"my secret answer\x00")
    result = runner.invoke(app, ["score", "fraud-detection", str(p)])
    assert "my secret answer" not in result.output


def test_save_records_a_session(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    result = runner.invoke(app, ["score", "fraud-detection", str(f), "--save", "--json"])
    assert result.exit_code == 0
    sid = json.loads(result.stdout)["session"]
    hist = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert [h["id"] for h in hist] == [sid] and hist[0]["kind"] == "file"
    review = runner.invoke(app, ["review", sid])
    assert "Velocity features per card." in review.stdout
    # the same answer saved again is not a second session; a changed one is
    again = runner.invoke(app, ["score", "fraud-detection", str(f), "--save"])
    assert f"The same answer is already saved as session {sid}." in again.stdout
    f.write_text(ANSWER + "\nAlso alert on decline-rate spikes.\n")
    changed = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--save", "--json"]).stdout)
    assert changed["session"] != sid
    assert len(json.loads(runner.invoke(app, ["history", "--json"]).stdout)) == 2


def test_an_empty_answer_is_scored_but_not_saved(tmp_path: Path) -> None:
    f = tmp_path / "empty.md"
    f.write_text("## Clarify\n\n")
    result = runner.invoke(app, ["score", "fraud-detection", str(f), "--save"])
    assert result.exit_code == 0
    assert "Not saved: an empty answer is no practice session." in result.stdout
    data = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--save", "--json"]).stdout)
    assert data["score"] == 0 and "session" not in data
    assert json.loads(runner.invoke(app, ["history", "--json"]).stdout) == []


def test_a_practised_question_whose_bank_is_not_read_is_explained(tmp_path: Path) -> None:
    bank_dir = tmp_path / "mybank"
    (bank_dir / "questions").mkdir(parents=True)
    (bank_dir / "rubrics").mkdir()
    root = Path(__file__).resolve().parent.parent
    for folder in ("questions", "rubrics"):
        src = (root / folder / "fraud-detection.yaml").read_text()
        (bank_dir / folder / "my-fraud.yaml").write_text(src.replace("fraud-detection", "my-fraud"))
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    saved = runner.invoke(app, ["score", "my-fraud", str(f), "--bank", str(bank_dir), "--save"])
    assert saved.exit_code == 0, saved.output
    result = runner.invoke(app, ["score", "my-fraud", str(f)])  # --bank forgotten
    assert result.exit_code == 2
    assert "is in none of the banks read, though your history has 1 session on it" in result.output
    assert "--bank DIR" in result.output


def test_history_shows_whole_question_ids_at_80_columns(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(ANSWER)
    sid = json.loads(runner.invoke(app, ["score", "ecommerce-search-ranking", str(f), "--save", "--json"]).stdout)[
        "session"
    ]
    narrow = runner.invoke(app, ["history"], env={"COLUMNS": "80"}).stdout.splitlines()
    row = next(line for line in narrow if line.startswith("1 "))
    assert "ecommerce-search-ranking" in row and sid not in row, "the id column gives way to the question"
    assert all(len(line) <= 80 and not line.endswith(" ") for line in narrow)
    wide = runner.invoke(app, ["history"], env={"COLUMNS": "120"}).stdout
    assert sid in wide and not any(line.endswith(" ") for line in wide.splitlines())
    # on a small screen the question stays whole; kind, rating and level give way first
    for cols in (50, 64):
        small = runner.invoke(app, ["history"], env={"COLUMNS": str(cols)}).stdout.splitlines()
        row = next(line for line in small if line.startswith("1 "))
        assert "ecommerce-search-ranking" in row and all(len(line) <= cols for line in small), small
    # an answer file was never self-scored: its self column says so
    listing = runner.invoke(app, ["history"], env={"COLUMNS": "90"}).stdout.splitlines()
    row = next(line for line in listing if line.startswith("1 "))
    assert row.split()[4:7] == ["file", "12%", "-"], row  # kind, auto, self


def test_save_keeps_every_word_of_the_file(tmp_path: Path) -> None:
    """Text before the first heading, or a file with no stage headings at all, is kept."""
    for text, words in (
        ("Card payments, 2k TPS.\n\n## Data\nChargebacks as labels.", ["Card payments", "Chargebacks"]),
        ("Just one paragraph about velocity features.", ["velocity features"]),
    ):
        f = tmp_path / "a.md"
        f.write_text(text)
        result = runner.invoke(app, ["score", "fraud-detection", str(f), "--save", "--json"])
        sid = json.loads(result.stdout)["session"]
        review = runner.invoke(app, ["review", sid]).stdout
        assert all(w in review for w in words), review


def test_review_reads_cleanly_at_80_columns(tmp_path: Path) -> None:
    """A saved session's transcript: the reply marked as the candidate's, reference bullets
    hanging under their text, no line padded with trailing spaces."""
    f = tmp_path / "a.md"
    f.write_text("## Clarify\nCard payments, 2k TPS at peak.\n\n## Data\nChargebacks as labels.\n")
    sid = json.loads(runner.invoke(app, ["score", "fraud-detection", str(f), "--save", "--json"]).stdout)["session"]
    out = runner.invoke(app, ["review", sid], env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert all(not line.endswith(" ") for line in lines)
    bullet = next(k for k, line in enumerate(lines) if line.startswith("- ") and len(line) > 70)
    assert lines[bullet + 1].startswith("  ") and lines[bullet + 1][2] != " "


def test_stats_and_next_after_one_saved_answer(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("## Clarify\nCard payments, 2k TPS at peak.\n")
    runner.invoke(app, ["score", "fraud-detection", str(f), "--save"])
    lines = runner.invoke(app, ["stats"], env={"COLUMNS": "80"}).stdout.splitlines()
    assert lines[0].startswith("1 session · streak 1 day")
    missed = next(k for k, line in enumerate(lines) if line.startswith("  1/1  "))
    assert lines[missed + 1].startswith("       ") and lines[missed + 1][7] != " "
    out = runner.invoke(app, ["next"], env={"COLUMNS": "80"}).stdout
    assert "Start it with: mlsd drill " in out and not any(line.endswith(" ") for line in out.splitlines())
