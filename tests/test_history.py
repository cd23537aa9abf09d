"""Practice history: storage, faults, export/import, stats and scheduling."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlsd_drill import bank, scheduler, stats
from mlsd_drill.cli import app
from mlsd_drill.errors import HistoryError
from mlsd_drill.history import SCHEMA_VERSION, History, SessionRecord

runner = CliRunner()


def record(
    sid: str,
    qid: str = "fraud-detection",
    score: float = 50.0,
    when: str = "2026-11-01T10:00:00+00:00",
    tags: list[str] | None = None,
    missed: tuple[str, ...] = ("a",),
) -> SessionRecord:
    stages = [
        {
            "stage": s,
            "answer": f"{s} text",
            "budget": 300.0,
            "elapsed": 360.0 if s == "data" else 200.0,
            "overtime": 60.0 if s == "data" else 0.0,
            "auto_pct": score,
            "self_pct": score - (10 if s == "serve" else 0),
            "followup_ask": None,
            "followup_reply": None,
            "auto_submitted": False,
        }
        for s in ("clarify", "data", "model", "serve", "monitor")
    ]
    items = [
        {
            "id": i,
            "stage": "data",
            "text": f"point {i}",
            "why": "because",
            "weight": 2,
            "level": "mid",
            "auto_hit": i not in missed,
            "self_hit": i not in missed,
            "evidence": None,
            "found_in": None,
        }
        for i in ("a", "b", "c")
    ]
    return SessionRecord(
        sid,
        qid,
        "Title",
        tags or ["fraud", "real-time"],
        "hard",
        "drill",
        when,
        when,
        score,
        score,
        "mid",
        3,
        False,
        None,
        100,
        stages,
        items,
    )


def test_schema_migrations_are_recorded(home: Path) -> None:
    with History() as h:
        rows = list(h.conn.execute("SELECT version FROM schema_migrations"))
        assert [r[0] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
        assert h.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (home / "history.sqlite3").exists()


def test_newer_database_is_refused(home: Path) -> None:
    home.mkdir(parents=True)
    conn = sqlite3.connect(home / "history.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    result = runner.invoke(app, ["history"])
    assert result.exit_code == 2
    assert "newer mlsd" in result.stderr and "history.sqlite3" in result.stderr


def test_corrupt_database_is_kept_and_named(home: Path) -> None:
    home.mkdir(parents=True)
    db = home / "history.sqlite3"
    junk = b"this is not a database at all" * 100
    db.write_bytes(junk)
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 2
    assert str(db) in result.stderr and "damaged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == junk  # never silently overwritten
    assert (home / "history.sqlite3.corrupt-backup").read_bytes() == junk


def _finish_one(args: tuple[str, str]) -> str:
    home, sid = args
    import os

    os.environ["MLSD_DRILL_HOME"] = home
    with History() as h:
        return h.add_session(record(sid))


def test_two_drills_finishing_together_are_both_recorded(home: Path) -> None:
    with History():
        pass  # create the schema first, as the first drill would
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        done = pool.map(_finish_one, [(str(home), f"s{i:03d}") for i in range(20)])
    assert len(done) == 20
    with History() as h:
        assert len(h.all_ids()) == 20


def test_export_import_round_trip_without_duplicates(home: Path, tmp_path: Path) -> None:
    hinted = record("bbb222", when="2026-11-02T10:00:00+00:00")
    hinted.stages[2]["hints_shown"] = 2
    with History() as h:
        h.add_session(record("aaa111"))  # as an export from before hints were kept: none given
        h.add_session(hinted)
    dump = tmp_path / "dump.json"
    result = runner.invoke(app, ["export", "--all", "-o", str(dump)])  # --all is JSON, no --format needed
    assert result.exit_code == 0
    assert len(json.loads(dump.read_text())["sessions"]) == 2
    assert runner.invoke(app, ["export", "--all", "--format", "md"]).exit_code == 2  # said explicitly: refused
    again = runner.invoke(app, ["import", str(dump)])
    assert "imported 0 session(s), skipped 2" in again.stdout
    (home / "history.sqlite3").unlink()
    for p in home.glob("history.sqlite3-*"):
        p.unlink()
    fresh = runner.invoke(app, ["import", str(dump)])
    assert "imported 2 session(s)" in fresh.stdout
    with History() as h:
        assert h.load("bbb222").stages[1]["overtime"] == 60.0
        assert [s["hints_shown"] for s in h.load("bbb222").stages] == [0, 0, 2, 0, 0]
        assert {s["hints_shown"] for s in h.load("aaa111").stages} == {0}


def test_import_rejects_other_json(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text('{"hello": 1}')
    result = runner.invoke(app, ["import", str(f)])
    assert result.exit_code == 2 and "not an mlsd export" in result.stderr


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("self_score",), "lots", 'self_score should be a number, not "lots"'),
        (("stages",), None, "stages should be a list of stages, not null"),
        (("rating",), 7, "rating should be 1 to 4 or null, not 7"),
        (("ended_at",), "yesterday", "ended_at 'yesterday' is not a date and time"),
        (("stages", 0, "elapsed"), "1m", 'stages[1].elapsed should be a number or null, not "1m"'),
        (("items", 2, "self_hit"), "yes", 'items[3].self_hit should be true or false, not "yes"'),
        (("items", 0, "stage"), "deploy", 'items[1].stage should be a stage name, not "deploy"'),
        (("stages", 2, "hints_shown"), -1, "stages[3].hints_shown should be a count (0 or more), not -1"),
    ],
)
def test_import_names_a_wrong_field_and_leaves_the_history_alone(  # type: ignore[no-untyped-def]
    home: Path, tmp_path: Path, path, value, message
) -> None:
    with History() as h:
        h.add_session(record("aaa111"))
        good = h.load("aaa111").to_json()
    bad = json.loads(json.dumps(good)) | {"id": "bbb222"}
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    f = tmp_path / "dump.json"
    f.write_text(json.dumps({"format": "mlsd-drill-history", "version": 1, "sessions": [good, bad]}))
    result = runner.invoke(app, ["import", str(f)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"mlsd: error: {f}: session 2 is not valid ({message})"
    assert runner.invoke(app, ["history"]).exit_code == 0
    assert len(json.loads(runner.invoke(app, ["history", "--json"]).stdout)) == 1


def test_export_markdown_is_readable(home: Path) -> None:
    with History() as h:
        h.add_session(record("ccc333"))
    result = runner.invoke(app, ["export", "1", "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Title")
    assert "## Missed (1)" in result.stdout and "point a" in result.stdout
    # the same times as the result table: the data stage ran a minute over, rating and timing named
    assert "| Data and features | 50% | 50% | 06:00 | 05:00 | +01:00 |" in result.stdout
    assert "| **overall** | **50%** | **50%** | 19:20 | 25:00 | +01:00 |" in result.stdout
    assert "- Rated: good" in result.stdout and "- Drill: the question's own timing" in result.stdout


def test_report_times_round_alike_and_markdown_keeps_line_breaks() -> None:
    from mlsd_drill.report import _md_lines, mmss

    assert mmss(12.5) == mmss(12.527) == "00:13"  # stats' rounded average and review's own time
    assert _md_lines("Under 50 ms.\nFreshness: hourly.\n\n- a\n- b") == "Under 50 ms.\\\nFreshness: hourly.\n\n- a\n- b"


def test_history_review_and_unknown_session(home: Path) -> None:
    with History() as h:
        h.add_session(record("old000", when="2026-10-01T10:00:00+00:00"))
        h.add_session(record("new999", when="2026-11-01T10:00:00+00:00"))
    data = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert [d["id"] for d in data] == ["new999", "old000"]
    assert "serve text" in runner.invoke(app, ["review", "2"]).stdout
    # no session named: the newest; after the misses and notes, the gist of the table again
    newest = runner.invoke(app, ["review"], env={"COLUMNS": "200"}).stdout
    assert "session new999" in newest
    assert newest.rstrip().splitlines()[-1].startswith("In short: 50% self-scored (50% by the scorer), ")
    bad = runner.invoke(app, ["review", "zzz"])
    assert bad.exit_code == 2 and "no session 'zzz'" in bad.stderr
    # a number is a place in `mlsd history`, never the start of an id: out of range is an error
    with History() as h:
        h.add_session(record("300aaa", when="2026-09-01T10:00:00+00:00"))
    for n in ("0", "4", "3000"):
        out = runner.invoke(app, ["review", n])
        assert out.exit_code == 2 and f"no session {n}: `mlsd history` numbers 3 sessions" in out.stderr
        assert runner.invoke(app, ["export", n]).exit_code == 2
    assert "300aaa" in runner.invoke(app, ["review", "3"]).stdout
    # ... but four digits or more past the end are the start of an id
    with History() as h:
        h.add_session(record("7827fc", when="2026-08-01T10:00:00+00:00"))
    assert "7827fc" in runner.invoke(app, ["review", "7827"]).stdout
    assert runner.invoke(app, ["review", "782"]).exit_code == 2


def test_stats(home: Path) -> None:
    today = datetime(2026, 11, 3, tzinfo=timezone.utc).date()
    with History() as h:
        for i, day in enumerate(("2026-10-20", "2026-11-01", "2026-11-02", "2026-11-03")):
            h.add_session(record(f"s{i}", score=40 + 10 * i, when=f"{day}T09:00:00+00:00"))
        s = stats.compute(h, today=today)
    assert s.sessions == 4
    assert [v for _, v in s.overall] == [40, 50, 60, 70]
    assert min(s.stage_avg, key=s.stage_avg.get) == "serve"
    assert s.missed_items[0]["id"] == "a" and s.missed_items[0]["missed"] == 4
    assert s.time["data"]["share_over"] == 1.0
    assert s.streak == 3 and s.best_streak == 3


@pytest.mark.parametrize("serve", [90.0, 100.0])
def test_stats_calls_no_stage_at_100_percent_weak(home: Path, serve: float) -> None:
    perfect = record("perfect", score=100, tags=["maps"], missed=())
    for st in perfect.stages:
        st["self_pct"] = serve if st["stage"] == "serve" else 100.0
    with History() as h:
        h.add_session(perfect)
    out = " ".join(runner.invoke(app, ["stats"], env={"COLUMNS": "100"}).stdout.split())
    if serve < 100:
        assert "Weakest stages: serving (90%)" in out  # the one weakness, alone
    else:
        assert "Weakest stages" not in out and "Every stage practised is at 100% so far." in out
        assert "Weakest tags" not in out

def test_stats_compares_drills_of_any_length_and_counts_strict_cut_offs(home: Path) -> None:
    long, short = record("long"), record("short", qid="eta-prediction", missed=("a", "b"))
    for st in short.stages:  # a five-minute strict drill: every stage 60 s, the data stage cut off
        st.update(budget=60.0, elapsed=60.0, overtime=0.0, auto_submitted=st["stage"] == "data")
    with History() as h:
        h.add_session(long)
        h.add_session(short)
        s = stats.compute(h)
        # 360 + 60 s used of 300 + 60 s: 117%, where the average budget (03:00) matches no drill
        assert s.time["data"]["used_share"] == round(420 / 360, 3)
        assert s.time["data"]["share_cut_off"] == 0.5 and s.time["clarify"]["share_cut_off"] == 0.0
        out = runner.invoke(app, ["stats"], env={"COLUMNS": "100"}).stdout
        assert "of budget" in out and "time up" in out and "117%" in out
        # "a" is missed 2 times in 5; a point seen once and missed once ranks above it
        for k in range(3):
            h.add_session(record(f"x{k}", qid="video-recommendations", missed=()))
        once = record("once", qid="people-you-may-know", missed=())
        once.items.append(dict(once.items[0], id="solo", text="point solo", auto_hit=False, self_hit=False))
        h.add_session(once)
        s = stats.compute(h)
    assert [(m["id"], m["missed"], m["seen"]) for m in s.missed_items][:3] == [("solo", 1, 1), ("a", 2, 6), ("b", 1, 6)]


def test_next_uses_fsrs_due_cards_then_weakest_tag(home: Path) -> None:
    b = bank.load()
    with History() as h:
        first = scheduler.pick_next(b, h)
        assert first is not None and "not practised" in first.reason
        h.add_session(
            record("x1", qid="fraud-detection", score=20, tags=list(b.questions["fraud-detection"].tags))
        )
        then = datetime(2026, 11, 1, tzinfo=timezone.utc)
        due = scheduler.review(h, "fraud-detection", 1, when=then)  # "again"
        assert due > then
        rec = scheduler.pick_next(b, h, now=due + timedelta(minutes=1))
        assert rec is not None and rec.question.id == "fraud-detection" and "due" in rec.reason
        later = scheduler.review(h, "fraud-detection", 4, when=due)  # "easy" pushes it out
        assert later - due > due - then
        rec = scheduler.pick_next(b, h, now=due + timedelta(minutes=2))
        assert rec is not None and rec.question.id != "fraud-detection"
        assert set(rec.question.tags) & set(b.questions["fraud-detection"].tags)


def test_next_judges_a_bank_by_its_own_questions(home: Path) -> None:
    from mlsd_drill.model import Bank

    full = bank.load()
    fraud = full.questions["fraud-detection"]
    only_fraud = Bank(questions={"fraud-detection": fraud}, rubrics=full.rubrics)
    with History() as h:
        h.add_session(record("f1", qid="fraud-detection", score=81, tags=list(fraud.tags)))
        h.add_session(record("a1", qid="ad-click-prediction", score=30, tags=["ads"]))
        scheduler.review(h, "fraud-detection", 3, when=datetime(2026, 11, 1, tzinfo=timezone.utc))
        rec = scheduler.pick_next(only_fraud, h, now=datetime(2026, 11, 2, tzinfo=timezone.utc))
    # practised, not due: not "not practised yet", whatever else the history holds
    assert rec is not None and rec.question.id == "fraud-detection"
    assert rec.reason.startswith("your lowest average (81%); due again 2026-11-")


def test_next_says_when_its_tag_is_not_the_weakest(home: Path) -> None:
    b = bank.load()
    weakest = "payments"  # fraud-detection is the only question with it, and it is practised
    assert [q for q in b.questions.values() if weakest in q.tags] == [b.questions["fraud-detection"]]
    with History() as h:
        h.add_session(record("f1", qid="fraud-detection", score=20, tags=[weakest]))
        h.add_session(record("v1", qid="video-recommendations", score=60, tags=["recommendation"]))
        rec = scheduler.pick_next(b, h)
    assert rec is not None and weakest not in rec.question.tags
    assert "'recommendation' (avg 60%), your weakest tag with questions not yet tried" in rec.reason


def test_busy_database_gives_a_message(home: Path) -> None:
    with History() as h:
        h.add_session(record("one"))
    blocker = sqlite3.connect(home / "history.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        import mlsd_drill.history as hist

        old = hist.BUSY_TIMEOUT_MS
        hist.BUSY_TIMEOUT_MS = 200
        try:
            with History() as h2, pytest.raises(HistoryError, match=r"busy|another mlsd"):
                h2.add_session(record("two"))
        finally:
            hist.BUSY_TIMEOUT_MS = old
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_stats_keeps_apart_two_questions_items_that_share_an_id(home: Path) -> None:
    """Two questions may each have an item "a" of their own; shared items read the same everywhere."""
    rag = record("r1", qid="rag-support-assistant")
    for i in rag.items:
        i["text"] = "rag " + i["text"]
    with History() as h:
        h.add_session(record("f1"))
        h.add_session(record("f2", missed=()))
    # take it back to how the version before the fix left it (tally by id alone, merged wrongly);
    # opening it again recounts the tally from the items
    conn = sqlite3.connect(home / "history.sqlite3", isolation_level=None)
    conn.executescript(
        "DROP TABLE item_tally; CREATE TABLE item_tally (item_id TEXT PRIMARY KEY, text TEXT NOT NULL, "
        "stage TEXT NOT NULL, missed INTEGER NOT NULL, seen INTEGER NOT NULL); "
        "INSERT INTO item_tally VALUES ('a', 'point a', 'data', 5, 9); "
        "ALTER TABLE stages DROP COLUMN followup_elapsed; ALTER TABLE stages DROP COLUMN hints_shown; "
        "ALTER TABLE stage_tally DROP COLUMN hinted; "
        "DELETE FROM schema_migrations WHERE version > 2; PRAGMA user_version = 2;"
    )
    conn.close()
    with History() as h:
        h.add_session(rag)
        got = {(m["id"], m["text"]): (m["missed"], m["seen"]) for m in stats.compute(h).missed_items}
        only_rag = stats.compute(h, questions={"rag-support-assistant"}).missed_items
    assert got == {("a", "point a"): (1, 2), ("a", "rag point a"): (1, 1)}
    assert [(m["text"], m["missed"]) for m in only_rag] == [("rag point a", 1)]


def test_a_stage_ran_over_only_by_a_second_or_more(home: Path) -> None:
    tick = record("t1")
    tick.stages[1]["overtime"] = 0.4  # what a --strict deadline used to leave
    with History() as h:
        h.add_session(tick)
        h.add_session(record("t2"))  # data ran 60 s over
        assert stats.compute(h).time["data"]["share_over"] == 0.5
        assert stats.compute(h, questions={"fraud-detection"}).time["data"]["share_over"] == 0.5


def test_stats_for_a_bank_counts_only_its_questions(home: Path, mini_bank: Path) -> None:
    with History() as h:
        h.add_session(record("f1", qid="fraud-detection", score=30))
        h.add_session(record("t1", qid="toy-ranker", score=80, tags=["ranking", "toy"]))
        whole = stats.compute(h)
        toy = stats.compute(h, questions={"toy-ranker"})
    assert whole.sessions == 2 and toy.sessions == 1
    assert set(toy.tag_avg) == {"ranking", "toy"}
    assert toy.missed_items[0]["missed"] == 1 and whole.missed_items[0]["missed"] == 2
    assert toy.time["data"]["share_over"] == 1.0
    result = runner.invoke(app, ["stats", "--bank", str(mini_bank), "--json"])
    assert json.loads(result.stdout)["sessions"] == 1


def test_among_points_missed_as_often_the_recent_ones_come_first(home: Path) -> None:
    old = record("f1", when="2026-10-01T10:00:00+00:00", missed=("a", "b", "c"))
    new = record("r1", qid="rag-support-assistant", when="2026-11-01T10:00:00+00:00", missed=("c",))
    for i in new.items:
        i["text"] = "rag " + i["text"]
    with History() as h:
        h.add_session(old)
        h.add_session(new)
        whole = [m["text"] for m in stats.compute(h).missed_items]
        both = [m["text"] for m in stats.compute(h, questions={"fraud-detection", "rag-support-assistant"}).missed_items]
    assert whole[0] == both[0] == "rag point c", "each missed 1 of 1: the newest drill's point leads"
    assert sorted(whole) == sorted(both) == ["point a", "point b", "point c", "rag point c"]


def test_stats_shows_in_which_stages_hints_were_opened(home: Path) -> None:
    hinted = record("h1")
    hinted.stages[1]["hints_shown"] = 2  # data
    with History() as h:
        h.add_session(hinted)
        h.add_session(record("h2", when="2026-11-02T10:00:00+00:00"))
        whole = stats.compute(h).time
        subset = stats.compute(h, questions={"fraud-detection"}).time
    assert whole["data"]["share_hinted"] == subset["data"]["share_hinted"] == 0.5
    assert whole["model"]["share_hinted"] == 0.0
    shown = " ".join(runner.invoke(app, ["stats"], env={"COLUMNS": "120"}).stdout.split())
    assert "ran over hints" in shown and "hints: drills in which you opened a hint in that stage" in shown
    # a history from before the tally kept hints: the first start after upgrading counts them
    conn = sqlite3.connect(home / "history.sqlite3", isolation_level=None)
    conn.executescript(
        "ALTER TABLE stage_tally DROP COLUMN hinted; "
        "DELETE FROM schema_migrations WHERE version > 7; PRAGMA user_version = 7;"
    )
    conn.close()
    with History() as h:
        assert stats.compute(h).time["data"]["share_hinted"] == 0.5


def test_stats_without_hints_has_no_hints_column(home: Path) -> None:
    with History() as h:
        h.add_session(record("n1"))
    assert "hints" not in runner.invoke(app, ["stats"], env={"COLUMNS": "120"}).stdout
