"""The drill state machine with a fake clock and a scripted prompter: no sleeping."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console

from mlsd_drill import bank, drills, report, session
from mlsd_drill.errors import MlsdError
from mlsd_drill.runner import Drill, DrillReport, ListOutcome, Paused, StageOutcome, StageView
from mlsd_drill.session import DraftStore, DrillState, new_state


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Step:
    """One scripted answer box: type `text` over `seconds`, then end it with `how`."""

    text: str
    seconds: float = 60.0
    how: str = "submit"
    drafts: int = 3  # how many draft callbacks happen while typing
    hints: int = 0  # hints opened with Ctrl-T


@dataclass
class ScriptedPrompter:
    clock: FakeClock
    steps: list[Step]
    pause_answers: list[bool] = field(default_factory=list)
    untick: set[str] = field(default_factory=set)
    tick: set[str] = field(default_factory=set)
    rating_value: int = 3
    suggested: list[int] = field(default_factory=list)
    views: list[StageView] = field(default_factory=list)
    finals: list[DrillReport] = field(default_factory=list)

    def intro(self, question, state) -> None:  # type: ignore[no-untyped-def]
        pass

    def stage(
        self, view: StageView, clock: Callable[[], float], on_draft: Callable[[str], None]
    ) -> StageOutcome:
        self.views.append(view)
        step = self.steps.pop(0)
        text = view.text + step.text
        for k in range(step.drafts):
            self.clock.advance(step.seconds / (step.drafts + 1))
            on_draft(text[: len(view.text) + (k + 1) * len(step.text) // (step.drafts + 1)])
        self.clock.advance(step.seconds / (step.drafts + 1))
        return StageOutcome(text=text, how=step.how, hints_shown=step.hints)

    def confirm_pause(self) -> bool:
        return self.pause_answers.pop(0)

    def auto_result(self, result, state) -> None:  # type: ignore[no-untyped-def]
        pass

    # per self-scoring list: "done", or "interrupt" / "hangup" after ticking `tick` and untick-ing `untick`
    list_ends: list[str] = field(default_factory=list)
    lists: list[tuple[str, set[str]]] = field(default_factory=list)  # (stage, ticks offered)
    opened_at: list[str | None] = field(default_factory=list)  # the item each list opened on
    shown: list[list[str]] = field(default_factory=list)  # each list's item ids, in order
    # the item the pointer is left on when a list ends (the list's last item when None)
    point_to: str | None = None

    def self_score_list(self, stage, n, total, rows, ticked, on_hangup, at=None):  # type: ignore[no-untyped-def]
        self.lists.append((stage, set(ticked)))
        self.opened_at.append(at)
        self.shown.append([r.item.id for r in rows])
        ids = {r.item.id for r in rows}
        picked = ((set(ticked) | self.tick) - self.untick) & ids
        pointed = self.point_to if self.point_to in ids else rows[-1].item.id
        return ListOutcome(frozenset(picked), self.list_ends.pop(0) if self.list_ends else "done", pointed)

    def final(self, report: DrillReport) -> None:
        self.finals.append(report)

    def rating(self, suggested: int) -> int:
        self.suggested.append(suggested)
        return self.rating_value

    notices: list[str] = field(default_factory=list)

    def notice(self, text: str) -> None:
        self.notices.append(text)


FULL = [
    Step("We are the issuer; p99 latency under 100 ms; fraud is 0.1% of traffic."),
    Step("About 300 ms of the one second budget."),
    Step("Labels from chargebacks arrive 30-90 days late. Velocity features per card."),
    Step("Declined transactions get no label, so keep a small random holdout."),
    Step("Baseline logistic regression, then GBDT; PR-AUC offline."),
    Step("Recall at a fixed false positive rate."),
    Step("Shadow mode, then an A/B test; fall back to rules on timeout."),
    Step("Cache card features in an online feature store."),
    Step("PSI drift on features; retrain weekly."),
    Step("Alert on decline-rate spikes."),
]


def make(tmp_path: Path, steps: list[Step], **kw) -> tuple[Drill, ScriptedPrompter, FakeClock, DraftStore]:  # type: ignore[no-untyped-def]
    b = bank.load()
    q = b.questions["fraud-detection"]
    clock = FakeClock()
    prompter = ScriptedPrompter(clock, steps)
    store = DraftStore(tmp_path / "drafts")
    state = new_state(q, [q.bank], **kw)
    return (
        Drill(q, b.rubric_for(q.id), state, prompter, store, clock, random.Random(1)),
        prompter,
        clock,
        store,
    )


def test_full_drill_scores_and_self_scores(tmp_path: Path) -> None:
    d, p, _, _ = make(tmp_path, list(FULL))
    p.untick = {"velocity-features"}
    rep = d.run()
    assert rep.auto.percent > 0
    auto = {r.item.id: r.hit for r in rep.auto.items}
    mine = {r.item.id: r.hit for r in rep.self_.items}
    assert auto["velocity-features"] and not mine["velocity-features"]
    assert rep.self_.percent < rep.auto.percent
    assert rep.rating == 3
    assert [v.stage for v in p.views] == [
        "clarify",
        "clarify",
        "data",
        "data",
        "model",
        "model",
        "serve",
        "serve",
        "monitor",
        "monitor",
    ]
    assert [v.followup for v in p.views] == [False, True] * 5
    # follow-up replies count towards the stage's answer
    assert "random holdout" in rep.state.stages[1].answer_text


def test_times_and_overtime_are_recorded(tmp_path: Path) -> None:
    steps = list(FULL)
    steps[0] = Step("clarify text", seconds=7 * 60)  # budget is 5 minutes
    d, _, _, _ = make(tmp_path, steps)
    rep = d.run()
    clarify = rep.state.stages[0]
    assert clarify.elapsed == pytest.approx(420)
    assert clarify.overtime == pytest.approx(120)
    assert rep.state.stages[1].overtime == 0


def test_simulated_45_minute_drill_does_not_drift(tmp_path: Path) -> None:
    # 45 minutes of typing in the five main boxes plus 10 minutes of follow-ups,
    # with a draft callback every second
    minutes = [5, 10, 15, 10, 5]
    steps = []
    for m in minutes:
        steps.append(Step("x", seconds=m * 60, drafts=m * 60 - 1))
        steps.append(Step("y", seconds=120, drafts=119))
    d, _, clock, _ = make(tmp_path, steps)
    start = clock()
    rep = d.run()
    assert abs(rep.state.total_elapsed - (clock() - start)) < 1.0
    assert abs(rep.state.total_elapsed - 55 * 60) < 1.0


def test_the_interview_clock_counts_the_follow_ups_in_its_budget(tmp_path: Path) -> None:
    # every box ends exactly on its own budget: the interview ends exactly on time too
    d, p, clock, _ = make(tmp_path, [], minutes=1, strict=True)
    budgets: list[float] = []

    def on_time(view, clock_, on_draft):  # type: ignore[no-untyped-def]
        p.views.append(view)
        budgets.append(view.budget)
        clock.advance(view.budget)
        return StageOutcome("x", "submit")

    p.stage = on_time  # type: ignore[method-assign]
    d.run()
    assert [v.followup for v in p.views] == [False, True] * 5
    assert all(b == int(b) for b in budgets), "whole seconds, so every clock shows the same budget"
    assert sum(budgets[::2]) == pytest.approx(60, abs=2)
    last = p.views[-1]
    assert last.interview_budget == pytest.approx(sum(budgets))
    assert last.interview_budget - last.interview_spent - last.budget == pytest.approx(0)


def test_minutes_scales_budgets(tmp_path: Path) -> None:
    d, p, _, _ = make(tmp_path, list(FULL), minutes=9)
    d.run()
    budgets = [v.budget for v in p.views if not v.followup]
    assert budgets == pytest.approx([60, 120, 180, 120, 60])
    assert sum(budgets) == pytest.approx(540)
    # a follow-up is typed: it keeps a minute however short the drill (two minutes scaled to 9 of
    # 45 would be 24 s); at full length it has two
    assert [v.budget for v in p.views if v.followup] == pytest.approx([60] * 5)
    d2, p2, _, _ = make(tmp_path / "full", list(FULL))
    d2.run()
    assert [v.budget for v in p2.views if v.followup] == pytest.approx([120] * 5)


def test_strict_timeout_is_recorded(tmp_path: Path) -> None:
    steps = list(FULL)
    # the deadline submits the box a tick of the clock late: that is no overtime
    steps[0] = Step("partial answ", seconds=300.2, how="timeout")
    d, _, _, _ = make(tmp_path, steps, strict=True)
    rep = d.run()
    assert rep.state.stages[0].auto_submitted
    assert rep.state.stages[0].text == "partial answ"
    assert rep.state.stages[0].overtime == 0


def test_a_strict_stage_held_open_by_the_editor_past_its_deadline_ran_over(tmp_path: Path) -> None:
    steps = list(FULL)
    steps[0] = Step("written in vi", seconds=309, how="timeout")  # the deadline waited for the editor
    d, _, _, _ = make(tmp_path, steps, strict=True)
    assert d.run().state.stages[0].overtime == pytest.approx(9)


def test_the_result_keeps_stage_and_follow_up_times_apart(tmp_path: Path) -> None:
    steps = list(FULL)
    steps[0] = Step("clarify text", seconds=6 * 60)  # budget 5 minutes
    steps[1] = Step("reply", seconds=40)  # its follow-up
    d, _, _, _ = make(tmp_path, steps)
    rec = drills.to_record(d.run())
    clarify = rec.stages[0]
    assert (clarify["elapsed"], clarify["budget"], clarify["overtime"]) == pytest.approx((360, 300, 60))
    assert clarify["followup_elapsed"] == pytest.approx(40)
    out = io.StringIO()
    console = Console(file=out, width=100)
    for part in report.session_result(rec):
        console.print(part)
    text = out.getvalue()
    row = next(line for line in text.splitlines() if line.startswith("Clarify"))
    assert row.split()[-3:] == ["06:00", "05:00", "+01:00"]
    assert "the 5 follow-ups took" in text


def test_ctrl_c_saves_and_resume_continues_with_text_and_time(tmp_path: Path) -> None:
    steps = [FULL[0], FULL[1], Step("Labels from charge", seconds=90, how="interrupt")]
    d, p, clock, store = make(tmp_path, steps)
    p.pause_answers = [True]
    with pytest.raises(Paused):
        d.run()
    saved = store.unfinished()
    assert len(saved) == 1
    st = saved[0]
    assert st.status == "paused"
    assert st.current == 1
    assert st.stages[1].text == "Labels from charge"
    assert st.stages[1].elapsed == pytest.approx(90)

    # resume: the same stage, with the text and the time already used
    b = bank.load()
    q = b.questions["fraud-detection"]
    p2 = ScriptedPrompter(clock, [Step("backs; velocity features."), *list(FULL[3:])])
    d2 = Drill(q, b.rubric_for(q.id), st, p2, store, clock, random.Random(1))
    rep = d2.run()
    first = p2.views[0]
    assert first.stage == "data" and first.text == "Labels from charge" and first.already == pytest.approx(90)
    assert rep.state.stages[1].text == "Labels from chargebacks; velocity features."
    assert rep.state.stages[1].elapsed == pytest.approx(150)


def test_self_scoring_ticks_survive_ctrl_c_and_a_closed_terminal(tmp_path: Path) -> None:
    d, p, clock, store = make(tmp_path, list(FULL))
    p.tick = {"risk-appetite-policy"}  # a clarify item ticked by hand, in list 1
    p.untick = {"velocity-features"}  # a data item unticked by hand, in list 2
    p.list_ends = ["done", "interrupt", "hangup"]  # list 2: Ctrl-C, carry on; then the terminal closes
    p.pause_answers = [False]
    with pytest.raises(Paused):
        d.run()
    assert [stage for stage, _ in p.lists] == ["clarify", "data", "data"]
    assert "velocity-features" not in p.lists[2][1], "carrying on after Ctrl-C keeps the list's ticks"
    last_data = p.shown[1][-1]
    assert p.opened_at == [None, None, last_data], "carrying on after Ctrl-C opens the list where it was left"
    saved = store.unfinished()[0]
    assert saved.status == "paused" and saved.self_done == ["clarify"]
    assert "risk-appetite-policy" in saved.self_ticks["clarify"]
    assert "velocity-features" not in saved.self_ticks["data"]

    # resume: list 1 is not asked again, list 2 opens with its ticks, the result keeps both
    b = bank.load()
    q = b.questions["fraud-detection"]
    p2 = ScriptedPrompter(clock, [])
    rep = Drill(q, b.rubric_for(q.id), saved, p2, store, clock, random.Random(1)).run()
    assert p2.lists[0][0] == "data" and "velocity-features" not in p2.lists[0][1]
    assert p2.opened_at[0] == last_data, "a resumed list opens where the closed terminal left it"
    mine = {r.item.id: r.hit for r in rep.self_.items}
    assert mine["risk-appetite-policy"] and not mine["velocity-features"]


def test_ctrl_c_then_carry_on_keeps_the_text(tmp_path: Path) -> None:
    steps = [Step("half", seconds=30, how="interrupt"), Step(" and the rest"), *list(FULL[1:])]
    d, p, _, _ = make(tmp_path, steps)
    p.pause_answers = [False]
    rep = d.run()
    assert rep.state.stages[0].text == "half and the rest"
    assert rep.state.stages[0].elapsed == pytest.approx(90)


def test_drafts_are_written_while_typing(tmp_path: Path) -> None:
    class Crash(Exception):
        pass

    d, p, _, store = make(tmp_path, [Step("typing away at the clarify stage", seconds=10, drafts=4)])
    real = p.stage

    def crash_after(view, clock, on_draft):  # type: ignore[no-untyped-def]
        real(view, clock, on_draft)
        raise Crash  # the process dies before the stage is submitted

    p.stage = crash_after  # type: ignore[method-assign]
    with pytest.raises(Crash):
        d.run()
    st: DrillState = store.unfinished()[0]
    assert st.stages[0].text.startswith("typing away")
    assert not st.stages[0].done


def test_record_puts_the_drill_in_history_and_schedules_it(tmp_path: Path) -> None:
    from mlsd_drill.history import History

    d, _, _, _ = make(tmp_path, list(FULL))
    d.store = drills.drafts()
    rep = d.run()
    sid, due = drills.record(rep)
    assert due is not None and "comes back" not in drills.when(due)
    with History() as h:
        rec = h.load(sid)
        assert rec.question_id == "fraud-detection" and rec.rating == 3
        assert rec.stages[1]["followup_ask"]
        assert "fraud-detection" in h.cards()
    assert drills.drafts().unfinished() == []


def test_hints_opened_are_kept_and_shown_with_the_result(tmp_path: Path) -> None:
    """A point made after a hint was nudged: the review says where hints were opened."""
    from mlsd_drill.history import History

    steps = list(FULL)
    steps[2] = Step(FULL[2].text, hints=1)  # data
    steps[4] = Step(FULL[4].text, hints=2)  # model
    d, _, _, _ = make(tmp_path, steps)
    d.store = drills.drafts()
    sid, _ = drills.record(d.run())
    with History() as h:
        rec = h.load(sid)
    assert [s["hints_shown"] for s in rec.stages] == [0, 1, 2, 0, 0]
    out = io.StringIO()
    for part in report.session_result(rec):
        Console(file=out, width=100).print(part)
    assert "You opened 3 hints: 1 in data, 2 in model." in out.getvalue()
    assert "You opened 3 hints: 1 in data, 2 in model." in report.export_markdown(rec)


def test_a_disk_that_refuses_never_ends_the_drill(tmp_path: Path) -> None:
    d, p, _, _ = make(tmp_path, list(FULL))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    d.store = DraftStore(blocker / "drafts")  # cannot be created: every save fails
    rep = d.run()
    assert rep.auto.percent > 0  # the drill went on to the end, text intact
    assert rep.state.stages[4].text.startswith("PSI drift")
    assert len(p.notices) == 1 and "kept in memory" in p.notices[0]


def test_rescued_drill_can_be_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from mlsd_drill.cli import app

    d, _, _, _ = make(tmp_path, list(FULL))
    rep = d.run()
    monkeypatch.chdir(tmp_path)
    target = drills.rescue(rep)
    assert target.exists()
    result = CliRunner().invoke(app, ["import", str(target)])
    assert "imported 1 session(s)" in result.stdout


def test_choosing_the_question() -> None:
    b = bank.load()
    rng = random.Random(3)
    q, reason = drills.choose_question(b, drills.DrillOptions(question_id="eta-prediction"), rng)
    assert q.id == "eta-prediction" and reason is None
    q, reason = drills.choose_question(b, drills.DrillOptions(tags=("fraud",)), rng)
    assert "fraud" in q.tags and reason == "picked at random"
    q, reason = drills.choose_question(b, drills.DrillOptions(next_pick=True, random_pick=True), rng)
    assert reason and "random" not in reason  # --next asks the scheduler
    with pytest.raises(MlsdError, match="--minutes 0: give a number of minutes above 0"):
        drills.choose_question(b, drills.DrillOptions(minutes=0), rng)
    # filters that match nothing, and a question named beside --random, are named back
    with pytest.raises(MlsdError, match="no question is tagged 'nosuch'"):
        drills.choose_question(b, drills.DrillOptions(tags=("fraud", "nosuch")), rng)
    with pytest.raises(MlsdError, match="no question matches --tag ads --difficulty easy"):
        drills.choose_question(b, drills.DrillOptions(tags=("ads",), difficulty="easy"), rng)
    with pytest.raises(MlsdError, match="--random picks the question: leave out eta-prediction or --random"):
        drills.choose_question(b, drills.DrillOptions(question_id="eta-prediction", random_pick=True), rng)


def test_a_drill_saved_elsewhere_can_be_resumed_from_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, _, _, _ = make(tmp_path, [FULL[0], Step("half", how="interrupt")])
    d.p.pause_answers = [True]  # type: ignore[attr-defined]
    with pytest.raises(Paused) as paused:
        d.run()
    monkeypatch.chdir(tmp_path)
    where = drills.save_elsewhere(paused.value.state)
    state, _, note = drills.resumable(str(where))
    assert state.id == paused.value.state.id and state.stages[0].text == FULL[0].text
    assert note is None  # the copy in the data folder is older: this one supersedes it


def test_resuming_an_old_copy_of_a_drill_keeps_the_later_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy kept outside the data folder, resumed after the drill went on in the data
    folder (or was finished), goes on as a new drill: neither text is overwritten."""
    import json

    d, _, _, _ = make(tmp_path, [FULL[0], Step("half", how="interrupt")])
    d.p.pause_answers = [True]  # type: ignore[attr-defined]
    with pytest.raises(Paused) as paused:
        d.run()
    monkeypatch.chdir(tmp_path)
    old = paused.value.state
    copy = drills.save_elsewhere(old)  # e.g. a backup the user made
    home = drills.drafts()
    later = session.from_json(json.loads(copy.read_text(encoding="utf-8")))
    later.stages[1].text = "went on after the copy was made"  # in the data folder
    home.save(later)
    state, _, note = drills.resumable(str(copy))
    assert state.id != old.id and note and f"Drill {old.id}" in note and "later copy" in note
    assert state.stages[0].text == FULL[0].text  # the copy's own text, under a new id
    assert home.load(old.id).stages[1].text == "went on after the copy was made"  # untouched
    # a copy of a drill the history already holds finished goes on as a new drill too
    home.remove(old.id)
    from mlsd_drill.history import History
    from tests.test_history import record

    with History() as h:
        h.add_session(record(old.id))
    state, _, note = drills.resumable(str(copy))
    assert state.id != old.id and note and "history holds it finished" in note
    # a file elsewhere that is no saved drill: named, and no --discard offered (it reaches the data folder only)
    junk = tmp_path / "notes.json"
    junk.write_text('{"id": 3}', encoding="utf-8")
    with pytest.raises(MlsdError, match=r"notes\.json: cannot read the saved drill \(id should be text, not 3\); it is not"):
        drills.resumable(str(junk))


def test_unfinished_drills_can_be_listed_and_thrown_away() -> None:
    from typer.testing import CliRunner

    from mlsd_drill.cli import app

    runner = CliRunner()
    b = bank.load()
    store = drills.drafts()
    kept, dropped = (new_state(b.questions[q], [b.questions[q].bank]) for q in ("eta-prediction", "fraud-detection"))
    kept.stages[0].text, kept.stages[0].done = "Where is the ETA shown?", True
    dropped.stages[0].text = "two words"
    for st in (kept, dropped):
        assert store.save(st)
    listing = runner.invoke(app, ["resume", "--list"], env={"COLUMNS": "80"})
    assert listing.exit_code == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith(kept.id))
    assert row.split()[1:4] == ["eta-prediction", "data", "5"]  # stopped at data, 5 words typed
    narrow = runner.invoke(app, ["resume", "--list"], env={"COLUMNS": "50"}).stdout.splitlines()
    assert any(line.split()[:2] == [kept.id, "eta-prediction"] for line in narrow), narrow  # the id whole
    # at a terminal a drill with text goes only after a yes: "no" keeps it
    shown: list[dict] = []  # type: ignore[type-arg]
    assert drills.discard(dropped.id[:4], lambda row: shown.append(row) or False) is None
    assert shown[0]["words"] == 2 and dropped.id in [st.id for st in store.unfinished()]
    gone = runner.invoke(app, ["resume", "--discard", dropped.id])  # not a terminal: no question
    assert gone.exit_code == 0 and f"Discarded drill {dropped.id} (fraud-detection, 2 words)" in gone.stdout
    assert [st.id for st in store.unfinished()] == [kept.id]
    again = runner.invoke(app, ["resume", "--discard", dropped.id])
    assert again.exit_code == 2 and f"no unfinished drill '{dropped.id}'" in again.stderr


def test_scaled_budgets_read_like_the_countdown() -> None:
    q = bank.load().questions["fraud-detection"]
    scaled = {s.name: s.minutes * 60 * 5 / 45 for s in q.stages}
    text = report.stage_budget(q, scaled).plain
    assert "data 01:07" in text and "clarify 00:33" in text and "(total 5 min)" in text
    assert "clarify 5 min" in report.stage_budget(q).plain
    # one format for all stages, even where some come out whole
    six = report.stage_budget(q, {s.name: s.minutes * 60 * 6 / 45 for s in q.stages}).plain
    assert "model 02:00" in six and "(total 6 min)" in six


def test_a_damaged_draft_is_named_and_can_be_thrown_away() -> None:
    import json

    from typer.testing import CliRunner

    from mlsd_drill.cli import app

    runner = CliRunner()
    b = bank.load()
    store = drills.drafts()
    good = new_state(b.questions["eta-prediction"], [b.questions["eta-prediction"].bank])
    bad = new_state(b.questions["fraud-detection"], [b.questions["fraud-detection"].bank])
    assert store.save(good) and store.save(bad)
    data = json.loads(store.path(bad.id).read_text())
    data["stages"][1]["text"] = None  # edited or damaged by hand
    store.path(bad.id).write_text(json.dumps(data))
    (store.folder / "junk.json").write_text("{not json")
    listing = runner.invoke(app, ["resume", "--list"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0 and good.id in listing.stdout
    assert f"Drill {bad.id} cannot be read (stages[2].text should be text, not null)" in listing.stdout
    assert "Drill junk cannot be read (not JSON)" in listing.stdout
    # resuming it by a prefix of its id names the field, and says how to be rid of it
    assert drills.resumable()[0].id == good.id  # the last good one still resumes
    with pytest.raises(MlsdError, match=r"stages\[2\]\.text should be text, not null\); `mlsd resume --discard"):
        drills.resumable(bad.id[:6])
    assert runner.invoke(app, ["resume", "--discard", bad.id[:6]]).exit_code == 0
    assert runner.invoke(app, ["resume", "--discard", "junk"]).exit_code == 0
    assert not store.path(bad.id).exists() and [r["id"] for r in drills.unfinished_rows()] == [good.id]
    both = runner.invoke(app, ["resume", "--list", "--discard", good.id])
    assert both.exit_code == 2 and "leave out --discard" in both.stderr


def test_the_rating_offered_first_follows_the_self_score(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from mlsd_drill.runner import suggested_rating

    assert [suggested_rating(p) for p in (2, 30, 60, 90, 100)] == [1, 2, 3, 3, 3]
    d, p, _, _ = make(tmp_path, [Step("no idea")] * 10)
    rep = d.run()
    assert rep.self_.percent < 25 and p.suggested == [1]  # a weak drill does not default to "good"
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    assert drills.when(now + timedelta(days=3, hours=2), now) == "in about 3 days"
    assert drills.when(now + timedelta(hours=22), now) == "tomorrow"
    assert drills.when(now + timedelta(minutes=10), now) == "within the hour"


def test_the_result_shows_overtime_as_time_used_minus_budget() -> None:
    from types import SimpleNamespace

    # a record from before whole-second budgets: 16.6 s used of 13.3 s reads 00:17 - 00:13 = +00:04
    stage = {"stage": "clarify", "auto_pct": 50.0, "self_pct": 50.0, "elapsed": 16.6, "budget": 13.33}
    stage["overtime"] = stage["elapsed"] - stage["budget"]
    rec = SimpleNamespace(
        title="t",
        kind="drill",
        stages=[stage],
        auto_score=50.0,
        self_score=50.0,
        level=None,
        items=[],
        minutes=None,
        strict=False,
    )
    out = io.StringIO()
    for part in report.session_result(rec):
        Console(file=out, width=100).print(part)
    row = next(line for line in out.getvalue().splitlines() if "Clarify" in line)
    assert "00:17" in row and "00:13" in row and "+00:04" in row


def test_the_result_names_corrections_and_stages_cut_off_by_strict_timing() -> None:
    from types import SimpleNamespace

    def stage(name: str, cut: bool) -> dict:  # type: ignore[type-arg]
        return {"stage": name, "auto_pct": 50.0, "self_pct": 50.0, "elapsed": 60.0, "budget": 60.0,
                "overtime": 0.0, "auto_submitted": cut}  # fmt: skip

    def item(iid: str, auto: bool, self_: bool) -> dict:  # type: ignore[type-arg]
        return {"id": iid, "stage": "data", "text": f"point {iid}", "why": "because", "weight": 2,
                "level": "mid", "auto_hit": auto, "self_hit": self_}  # fmt: skip

    rec = SimpleNamespace(
        title="t",
        kind="drill",
        stages=[stage("clarify", True), stage("data", False)],
        auto_score=50.0,
        self_score=50.0,
        level=None,
        items=[item("a", False, True), item("b", True, False), item("c", False, False)],
        minutes=5.0,
        strict=True,
    )
    out = io.StringIO()
    for part in report.session_result(rec):
        Console(file=out, width=100).print(part)
    text = out.getvalue()
    row = next(line for line in text.splitlines() if "Clarify" in line)
    assert "time up" in row
    assert "Timed to 5 minutes in all. Strict: 1 of 2 stages was submitted when its time ran out." in text
    rated = io.StringIO()
    for part in report.session_result(SimpleNamespace(**{**vars(rec), "rating": 2})):
        Console(file=rated, width=100).print(part)
    assert "You rated it 'hard'." in rated.getvalue()  # as `mlsd review` shows it
    assert "You ticked 1 the scorer missed" in text and "point a" in text
    assert "the scorer credited this; you unticked it" in text
    md = report.export_markdown(SimpleNamespace(**vars(rec), question_id="q", difficulty="easy", tags=[],
                                                ended_at="2026-11-22T10:00:00", rating=3))  # fmt: skip
    assert "- point a _(ticked by you)_" in md and "_(the scorer credited it; you unticked it)_" in md
    assert "| time up |" in md



def test_scaled_budgets_are_whole_seconds_that_add_up_to_the_minutes_asked_for() -> None:
    from mlsd_drill.session import whole_seconds

    raw = [m * 60 * 5 / 45 for m in (14, 10, 8, 8, 5)]  # --minutes 5 on a 45-minute question
    assert whole_seconds(raw) == [93, 67, 54, 53, 33] and sum(whole_seconds(raw)) == 300  # not 04:59
    assert whole_seconds([300.0, 600.0]) == [300, 600]
    assert whole_seconds([0.2, 0.2]) == [1, 1]  # every stage keeps a second
