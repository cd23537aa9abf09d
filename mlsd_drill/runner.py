"""The drill: stages in order, a clock, follow-ups, scoring, self-scoring.

`Drill.run()` is a state machine over a `DrillState`. It talks to the person
only through a `Prompter` and reads time only from an injected monotonic
clock, so tests drive a whole 45-minute interview with scripted input and a
fake clock, without sleeping. The state is saved through the `DraftStore`
after every stage and on every draft callback, which is what makes Ctrl-C,
`mlsd resume` and a killed terminal safe.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from mlsd_drill.model import STAGES, Answer, ItemResult, Question, Rubric, ScoreResult
from mlsd_drill.scoring import score, summarise
from mlsd_drill.session import DraftStore, DrillState, FollowupState, StageState

FOLLOWUP_SECONDS = 120.0
DRAFT_EVERY = 1.0  # seconds between draft saves while typing (the promise is 2 s)

Clock = Callable[[], float]


@dataclass(frozen=True)
class StageView:
    """What the prompter needs to show one answer box."""

    question: Question
    stage: str
    index: int  # 0-based stage number
    title: str
    prompt: str
    hints: tuple[str, ...]
    budget: float  # seconds for this box
    already: float  # seconds already spent in this box (resume)
    interview_budget: float
    interview_spent: float  # seconds spent in the interview before this box opened
    text: str  # what was typed before (resume)
    strict: bool
    no_timer: bool
    followup: bool = False


@dataclass(frozen=True)
class StageOutcome:
    text: str
    how: str  # "submit" | "timeout" | "interrupt" | "hangup"
    used_editor: bool = False
    hints_shown: int = 0


class Prompter(Protocol):
    def intro(self, question: Question, state: DrillState) -> None: ...

    def stage(self, view: StageView, clock: Clock, on_draft: Callable[[str], None]) -> StageOutcome: ...

    def confirm_pause(self) -> bool:
        """Ctrl-C was pressed: True to save and quit, False to carry on."""
        ...

    def auto_result(self, result: ScoreResult, state: DrillState) -> None: ...

    def self_score_list(
        self,
        stage: str,
        n: int,
        total: int,
        rows: list[ItemResult],
        ticked: set[str],
        on_hangup: Callable[[set[str], str | None], None],
        at: str | None = None,
    ) -> ListOutcome:
        """One stage's checklist (list n of total), starting from the `ticked` item ids with
        the pointer on item `at` (the first when None); `on_hangup` gets the ticks and the
        pointed item of the moment if the terminal goes away."""
        ...

    def final(self, report: DrillReport) -> None: ...

    def rating(self, suggested: int) -> int: ...

    def notice(self, text: str) -> None:
        """A one-line warning that must not interrupt the drill."""
        ...


@dataclass(frozen=True)
class ListOutcome:
    picked: frozenset[str]  # the item ids ticked when the list ended, however it ended
    how: str  # "done" | "interrupt" (Ctrl-C) | "hangup" (the terminal went away)
    at: str | None = None  # the item under the pointer then: the list opens there again


@dataclass
class DrillReport:
    """Everything the end-of-drill screen and the history need."""

    question: Question
    state: DrillState
    auto: ScoreResult
    self_: ScoreResult
    rating: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


class Paused(Exception):
    """The person chose to save and quit; the state is on disk."""

    def __init__(self, state: DrillState) -> None:
        super().__init__(state.id)
        self.state = state


class Drill:
    def __init__(
        self,
        question: Question,
        rubric: Rubric,
        state: DrillState,
        prompter: Prompter,
        store: DraftStore,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.q = question
        self.rubric = rubric
        self.state = state
        self.p = prompter
        self.store = store
        self.clock = clock
        self.rng = rng or random.Random()
        self._warned: str | None = None

    # ------------------------------------------------------------------ stages

    def _view(self, st: StageState, index: int, *, followup: bool) -> StageView:
        spec = self.q.stage(st.name)
        if followup:
            assert st.followup is not None
            fu = st.followup
            return StageView(
                self.q,
                st.name,
                index,
                f"Follow-up on {spec.title.lower()}",
                fu.ask,
                (),
                fu.budget,
                fu.elapsed,
                interview_budget(self.q, self.state),
                self.state.total_elapsed - fu.elapsed,
                fu.reply,
                self.state.strict,
                self.state.no_timer,
                followup=True,
            )
        return StageView(
            self.q,
            st.name,
            index,
            spec.title,
            spec.prompt,
            spec.hints,
            st.budget,
            st.elapsed,
            interview_budget(self.q, self.state),
            self.state.total_elapsed - st.elapsed,
            st.text,
            self.state.strict,
            self.state.no_timer,
        )

    def _box(self, st: StageState, index: int, *, followup: bool) -> None:
        """Run one answer box until it is submitted (or the person pauses)."""
        while True:
            view = self._view(st, index, followup=followup)
            start = self.clock()
            base = view.already

            def on_draft(text: str, base: float = base, start: float = start) -> None:
                self._record(st, followup, text, base + (self.clock() - start))
                self.store.save(self.state)

            outcome = self.p.stage(view, self.clock, on_draft)
            self._record(st, followup, outcome.text, base + (self.clock() - start))
            if not followup:
                st.used_editor = st.used_editor or outcome.used_editor
                st.hints_shown = max(st.hints_shown, outcome.hints_shown)
            if outcome.how == "hangup":  # the terminal went away: keep everything, ask nothing
                self.state.status = "paused"
                self.store.save(self.state)
                raise Paused(self.state)
            if outcome.how == "interrupt":
                self.store.save(self.state)
                if self.p.confirm_pause():
                    self.state.status = "paused"
                    self.store.save(self.state)
                    raise Paused(self.state)
                continue  # back to the same box, text kept
            if followup:
                assert st.followup is not None
                st.followup.done = True
            else:
                st.done = True
                st.auto_submitted = outcome.how == "timeout"
            if not self.store.save(self.state) and self.store.error != self._warned:
                self._warned = self.store.error
                self.p.notice(
                    f"Could not save your answers to disk ({self.store.error}). They are kept in memory "
                    "and saving is retried after every stage."
                )
            return

    def _record(self, st: StageState, followup: bool, text: str, elapsed: float) -> None:
        if followup:
            assert st.followup is not None
            st.followup.reply = text
            st.followup.elapsed = elapsed
        else:
            st.text = text
            st.elapsed = elapsed

    def _pick_followup(self, st: StageState) -> None:
        asks = [f.ask for f in self.q.followups if f.stage == st.name]
        if not asks or st.followup is not None:
            return
        st.followup = FollowupState(ask=self.rng.choice(asks), budget=followup_budget(self.q, self.state))
        self.store.save(self.state)

    # ------------------------------------------------------------------ the whole drill

    def run(self) -> DrillReport:
        self.state.status = "running"
        self.store.save(self.state)
        self.p.intro(self.q, self.state)
        for i, st in enumerate(self.state.stages):
            if not st.done:
                self._box(st, i, followup=False)
            self._pick_followup(st)
            if st.followup is not None and not st.followup.done:
                self._box(st, i, followup=True)
        return self.finish()

    def _self_score(self, auto: ScoreResult) -> set[str]:
        """Item ids the person ticks, one list per stage, starting from the automatic ones.

        Every list's ticks are saved as they are confirmed, and a list left by Ctrl-C or a
        closed terminal keeps the ticks it had: `mlsd resume` opens it again with them.
        """
        ticked = {r.item.id for r in auto.items if r.hit}
        stages = [st for st in STAGES if any(r.item.stage == st for r in auto.items)]
        for n, st in enumerate(stages, 1):
            rows = [r for r in auto.items if r.item.stage == st]
            ids = {r.item.id for r in rows}
            saved = self.state.self_ticks.get(st)
            current = (set(saved) & ids) if saved is not None else ticked & ids
            if st in self.state.self_done:
                ticked = (ticked - ids) | current
                continue

            def keep(picked: set[str], at: str | None, st: str = st, ids: set[str] = ids) -> None:
                """The terminal is going away: save the ticks of the moment, before anything else."""
                self.state.self_ticks[st] = sorted(set(picked) & ids)
                self._point(st, at)
                self.state.status = "paused"
                self.store.save(self.state)

            while True:
                at = self.state.self_at.get(st)
                out = self.p.self_score_list(st, n, len(stages), rows, current, keep, at if at in ids else None)
                current = set(out.picked) & ids
                self.state.self_ticks[st] = sorted(current)
                self._point(st, out.at)
                if out.how == "done":
                    self.state.self_done.append(st)
                    self.store.save(self.state)
                    break
                self.store.save(self.state)
                if out.how == "hangup" or self.p.confirm_pause():
                    self.state.status = "paused"
                    self.store.save(self.state)
                    raise Paused(self.state)
            ticked = (ticked - ids) | current
        return ticked

    def _point(self, stage: str, at: str | None) -> None:
        """Remember where the pointer stood in a stage's list, to open it there again."""
        if at is not None:
            self.state.self_at[stage] = at

    def finish(self) -> DrillReport:
        answer = Answer.from_stages(self.state.texts())
        auto = score(answer, self.rubric, self.q.given)
        self.p.auto_result(auto, self.state)
        ticked = self._self_score(auto)
        self_ = apply_self_score(auto, ticked)
        report = DrillReport(self.q, self.state, auto, self_)
        self.p.final(report)
        report.rating = self.p.rating(suggested_rating(self_.percent))
        self.state.status = "finished"
        return report


# Typing is slower than talking: reading a follow-up and typing two sentences takes about a
# minute however short the drill (27 s at --minutes 10 ran every reply over time).
FOLLOWUP_MIN_SECONDS = 60


def followup_budget(q: Question, state: DrillState) -> float:
    """Seconds for one follow-up: two minutes, scaled with --minutes, never under a minute."""
    scale = (state.minutes / q.total_minutes) if state.minutes else 1.0
    return float(max(FOLLOWUP_MIN_SECONDS, round(FOLLOWUP_SECONDS * scale)))


def interview_budget(q: Question, state: DrillState) -> float:
    """The whole interview: every stage and the follow-up each stage with follow-ups asks."""
    asked = {f.stage for f in q.followups}
    followups = sum(
        st.followup.budget if st.followup is not None else followup_budget(q, state)
        for st in state.stages
        if st.name in asked or st.followup is not None
    )
    return state.total_budget + followups


def suggested_rating(percent: float) -> int:
    """The rating offered first, from the self-scored share of the rubric: a drill that covered
    a fifth of it should not default to "good". "Easy" is never offered first: it sends the
    question furthest away, so it takes a deliberate key, not an Enter pressed in passing."""
    return 1 if percent < 25 else 2 if percent < 50 else 3


def apply_self_score(auto: ScoreResult, ticked: set[str]) -> ScoreResult:
    """The result after the person ticked and unticked items by hand."""
    items: list[ItemResult] = []
    for r in auto.items:
        hit = r.item.id in ticked
        if hit == r.hit:
            items.append(r)
        else:
            items.append(
                ItemResult(r.item, hit, r.evidence if hit else None, r.found_in if hit else None, r.rejected)
            )
    return summarise(auto.question, items, auto.words)
