"""Starting, resuming and recording drills: the core behind `mlsd drill` and `mlsd resume`."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from mlsd_drill import bank as bank_mod
from mlsd_drill import catalog, paths
from mlsd_drill.errors import MlsdError, NotFound
from mlsd_drill.history import History, SessionRecord, items_payload
from mlsd_drill.model import Bank, Question
from mlsd_drill.runner import Clock, Drill, DrillReport, Prompter
from mlsd_drill.session import DraftStore, DrillState, new_id, new_state


@dataclass(frozen=True)
class DrillOptions:
    question_id: str | None = None
    random_pick: bool = False
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    minutes: float | None = None
    strict: bool = False
    no_timer: bool = False
    next_pick: bool = False


def drafts() -> DraftStore:
    return DraftStore(paths.drafts_dir())


def choose_question(b: Bank, opts: DrillOptions, rng: random.Random) -> tuple[Question, str | None]:
    """The question to drill and, when it was picked for the user, why."""
    if opts.minutes is not None and not 0 < opts.minutes <= 600:
        raise MlsdError(f"--minutes {opts.minutes:g}: give a number of minutes above 0 and at most 600")
    if opts.question_id:
        picker = "--random" if opts.random_pick else "--next" if opts.next_pick else None
        if picker:
            raise MlsdError(f"{picker} picks the question: leave out {opts.question_id} or {picker}")
        return catalog.get(b, opts.question_id), None
    pool = catalog.select(b, tags=opts.tags, difficulty=opts.difficulty)
    if not pool:
        why = catalog.no_match(b, opts.tags, opts.difficulty)
        raise MlsdError(f"{why}{' ' if why.endswith('?') else '; '}`mlsd list` shows what there is")
    if not opts.next_pick and (opts.random_pick or opts.tags or opts.difficulty):
        return rng.choice(pool), "picked at random"
    from mlsd_drill import scheduler

    with History() as h:
        rec = scheduler.pick_next(b, h)
    if rec is None:
        return rng.choice(pool), "picked at random"
    return rec.question, rec.reason


@dataclass
class Started:
    drill: Drill
    reason: str | None  # why this question, when the user did not name one
    warnings: list[str]


def start(
    banks: list[Path] | None,
    opts: DrillOptions,
    prompter: Prompter,
    clock: Clock = time.monotonic,
    rng: random.Random | None = None,
) -> Started:
    rng = rng or random.Random()
    dirs = bank_mod.resolve_bank_dirs(banks)
    b = bank_mod.load(dirs)
    q, reason = choose_question(b, opts, rng)
    state = new_state(
        q, [q.bank] if q.bank else dirs, minutes=opts.minutes, strict=opts.strict, no_timer=opts.no_timer
    )
    drill = Drill(q, b.rubric_for(q.id), state, prompter, drafts(), clock, rng)
    return Started(drill, reason, b.warnings)


class Resumable(NamedTuple):
    state: DrillState
    others: int  # how many other unfinished drills wait (counted only when none is named)
    note: str | None = None  # what the user should know before it goes on


def resumable(drill_id: str | None = None) -> Resumable:
    """The drill to resume - the one named, or the last unfinished one - and how many other
    unfinished drills wait."""
    store = drafts()
    if drill_id and drill_id.endswith(".json") and Path(drill_id).is_file():
        # a drill saved outside the data folder when the disk refused it there
        store = DraftStore(Path(drill_id).parent)
        drill_id = Path(drill_id).stem
    if drill_id:
        found_id = _find(store, drill_id)
        try:
            state = store.load(found_id)
            if _same_folder(store, drafts()):
                return Resumable(state, 0)
            return _own_copy(state)
        except FileNotFoundError:
            raise NotFound(f"no unfinished drill '{drill_id}'") from None
        except ValueError as e:
            # --discard reaches only the data folder: a file elsewhere is the user's to delete
            then = f"`mlsd resume --discard {found_id}` throws it away" if _same_folder(store, drafts()) else (
                "it is not a drill mlsd can resume"
            )
            raise MlsdError(f"{store.path(found_id)}: cannot read the saved drill ({e}); {then}") from None
    found = store.unfinished()
    if not found:
        raise NotFound("no unfinished drill to resume; start one with `mlsd drill`")
    return Resumable(found[0], len(found) - 1)


def _same_folder(a: DraftStore, b: DraftStore) -> bool:
    try:
        return a.folder.resolve() == b.folder.resolve()
    except OSError:
        return False


def _own_copy(state: DrillState) -> Resumable:
    """A drill resumed from a file outside the data folder is saved into the data folder as
    it goes on, under its id. That file may be an old copy: when the data folder holds a
    copy of the same drill that is not older and says something else (or cannot be read),
    or the history holds it finished, the file goes on as a new drill rather than
    overwrite either."""
    home = drafts()
    clash = None
    try:
        there = home.load(state.id)
        if there.updated_at >= state.updated_at and (there.texts(), there.current) != (state.texts(), state.current):
            clash = f"{home.path(state.id)} holds a later copy of it"
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        clash = f"{home.path(state.id)} holds a copy of it that cannot be read"
    if clash is None:
        with History() as h:
            if h.has(state.id):
                clash = "the history holds it finished"
    if clash is None:
        return Resumable(state, 0)
    old, state.id = state.id, new_id()
    return Resumable(state, 0, f"Drill {old}: {clash}; this copy goes on as drill {state.id}, and that one is kept.")


def _find(store: DraftStore, ref: str) -> str:
    try:
        found = store.find(ref)
    except ValueError as e:
        raise MlsdError(str(e)) from None
    if found is None:
        raise NotFound(f"no unfinished drill '{ref}'; `mlsd resume --list` shows them")
    return found


def unfinished_rows() -> list[dict[str, Any]]:
    """The drills `mlsd resume` can continue, newest first, then any draft that cannot be
    read (with why), as rows to show (results as data)."""
    good, bad = drafts().scan()
    rows = []
    for st in good:
        at = st.current
        words = sum(len(s.text.split()) + len(s.followup.reply.split() if s.followup else []) for s in st.stages)
        rows.append(
            {
                "id": st.id,
                "question": st.question_id,
                "stage": st.stages[at].name if at < len(st.stages) else "scoring",
                "words": words,
                "updated_at": st.updated_at or st.started_at,
                "problem": None,
            }
        )
    for drill_id, why in bad:
        rows.append(
            {"id": drill_id, "question": "?", "stage": "unreadable", "words": 0, "updated_at": "", "problem": why}
        )
    return rows


def discard(drill_id: str, confirm: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any] | None:
    """Throw away a saved drill, readable or not, at the user's word; returns what it was
    (None when `confirm`, shown what it is, says to keep it)."""
    store = drafts()
    found = _find(store, drill_id)
    row = next((r for r in unfinished_rows() if r["id"] == found), None) or {"id": found, "question": "?", "words": 0}
    if confirm is not None and not confirm(row):
        return None
    store.remove(found)
    return row


def resume(state: DrillState, prompter: Prompter, clock: Clock = time.monotonic) -> Drill:
    dirs = [Path(p) for p in state.banks]
    missing = [d for d in dirs if not d.is_dir()]
    if missing:
        raise MlsdError(f"{missing[0]}: the bank of this drill is gone; cannot resume")
    b = bank_mod.load(dirs)
    q = catalog.get(b, state.question_id)
    return Drill(q, b.rubric_for(q.id), state, prompter, drafts(), clock)


def to_record(rep: DrillReport, ended: datetime | None = None) -> SessionRecord:
    """A finished drill as the session record the history keeps and reports show."""
    st = rep.state
    ended_at = (ended or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    stages: list[dict[str, Any]] = []
    for s in st.stages:
        stages.append(
            {
                "stage": s.name,
                "answer": s.text,
                "budget": s.budget,
                "elapsed": s.elapsed,
                "followup_elapsed": s.followup.elapsed if s.followup else None,
                "overtime": s.overtime,
                "auto_pct": rep.auto.stages.get(s.name),
                "self_pct": rep.self_.stages.get(s.name),
                "followup_ask": s.followup.ask if s.followup else None,
                "followup_reply": s.followup.reply if s.followup else None,
                "auto_submitted": s.auto_submitted,
                "hints_shown": s.hints_shown,
            }
        )
    q = rep.question
    return SessionRecord(
        id=st.id,
        question_id=q.id,
        title=q.title,
        tags=list(q.tags),
        difficulty=q.difficulty,
        kind="drill",
        started_at=st.started_at,
        ended_at=ended_at,
        auto_score=rep.auto.percent,
        self_score=rep.self_.percent,
        level=rep.self_.level,
        rating=rep.rating or None,
        strict=st.strict,
        minutes=st.minutes,
        words=rep.auto.words,
        stages=stages,
        items=items_payload(rep.auto, rep.self_),
    )


def record(rep: DrillReport, ended: datetime | None = None) -> tuple[str, datetime | None]:
    """Store a finished drill in the history, update its schedule, drop the draft; returns
    the session id and when the question is next due (None without a rating)."""
    from mlsd_drill import scheduler

    rec = to_record(rep, ended)
    due = None
    with History() as h:
        h.add_session(rec)
        if rep.rating:
            due = scheduler.review(h, rep.question.id, rep.rating)
    rep.state.status = "finished"
    drafts().remove(rep.state.id)
    return rec.id, due


def when(due: datetime, now: datetime | None = None) -> str:
    """'in about 3 days', 'tomorrow', 'within the hour' - how far off a due date is."""
    hours = (due - (now or datetime.now(timezone.utc))).total_seconds() / 3600
    if hours < 1:
        return "within the hour"
    if hours < 20:
        return f"in about {round(hours)} hour{'s' if round(hours) != 1 else ''}"
    days = max(1, round(hours / 24))
    return "tomorrow" if days == 1 else f"in about {days} days"


def rescue(rep: DrillReport) -> Path:
    """Write a finished drill where it can be found when the history cannot take it.

    In the export format, so `mlsd import` adds it to the history later: the
    draft folder first, else the current folder, else the temporary folder;
    returns the file written.
    """
    import tempfile

    from mlsd_drill.transfer import dump

    rec = to_record(rep)
    data = dump([rec])
    for folder in (paths.drafts_dir(), Path.cwd(), Path(tempfile.gettempdir())):
        target = folder / f"mlsd-session-{rec.id}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(data, encoding="utf-8")
            return target
        except OSError:
            continue
    raise MlsdError("could not write the drill anywhere; the disk may be full")


def save_elsewhere(state: DrillState) -> Path:
    """Save an interrupted drill outside the data folder (current, then temporary folder)."""
    import tempfile

    for folder in (Path.cwd(), Path(tempfile.gettempdir())):
        store = DraftStore(folder)
        if store.save(state):
            return store.path(state.id)
    raise MlsdError("could not save the drill anywhere; the disk may be full")
