"""The state of one drill, as data that can be saved and resumed.

A drill's state is written to `<data>/drafts/<id>.json` (atomically) whenever
a stage is submitted and while the user types, so that a crash, a closed
terminal or Ctrl-C loses at most the last couple of seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mlsd_drill import fields
from mlsd_drill.model import RAN_OVER_SECONDS, STAGES, Question

STATE_VERSION = 1


@dataclass
class FollowupState:
    ask: str
    reply: str = ""
    elapsed: float = 0.0
    budget: float = 120.0
    done: bool = False


@dataclass
class StageState:
    name: str
    budget: float  # seconds
    text: str = ""
    elapsed: float = 0.0  # seconds spent, across resumes
    done: bool = False
    auto_submitted: bool = False  # ended by --strict at the deadline
    used_editor: bool = False
    hints_shown: int = 0
    followup: FollowupState | None = None

    @property
    def overtime(self) -> float:
        over = max(0.0, self.elapsed - self.budget)
        # a --strict stage ends at its deadline, give or take the clock's tick, unless the
        # editor held it open past the deadline: that is overtime
        return 0.0 if self.auto_submitted and over < RAN_OVER_SECONDS else over

    @property
    def answer_text(self) -> str:
        """The stage's text with the follow-up reply, which counts for scoring too."""
        parts = [self.text.strip()]
        if self.followup and self.followup.reply.strip():
            parts.append(self.followup.reply.strip())
        return "\n\n".join(p for p in parts if p)


@dataclass
class DrillState:
    id: str
    question_id: str
    banks: list[str]  # bank folders the question was drawn from, for `mlsd resume`
    started_at: str  # ISO 8601, UTC
    stages: list[StageState]
    strict: bool = False
    no_timer: bool = False
    minutes: float | None = None
    status: str = "running"  # running | paused | finished
    updated_at: str = ""
    version: int = STATE_VERSION
    extra: dict[str, Any] = field(default_factory=dict)
    # self-scoring, list by list: the ids ticked in each stage's list so far, and the stages
    # whose lists were confirmed (a list left by Ctrl-C keeps its ticks for `mlsd resume`)
    self_ticks: dict[str, list[str]] = field(default_factory=dict)
    self_done: list[str] = field(default_factory=list)
    self_at: dict[str, str] = field(default_factory=dict)  # the item under the pointer when a list was left

    @property
    def current(self) -> int:
        """Index of the first stage not finished (len(stages) when all are)."""
        for i, st in enumerate(self.stages):
            if not st.done or (st.followup is not None and not st.followup.done):
                return i
        return len(self.stages)

    @property
    def total_budget(self) -> float:
        return sum(s.budget for s in self.stages)

    @property
    def total_elapsed(self) -> float:
        return sum(s.elapsed + (s.followup.elapsed if s.followup else 0.0) for s in self.stages)

    def texts(self) -> dict[str, str]:
        return {s.name: s.answer_text for s in self.stages}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def whole_seconds(raw: list[float]) -> list[int]:
    """Budgets in whole seconds (13.3 s read 00:14 on the countdown and 00:13 in the result)
    that add up to the whole rounded, as the intro announces it: --minutes 5 over stages of
    14, 10, 8, 8 and 5 minutes is 05:00 in all, not 04:59. Largest remainders get the spare
    seconds; every stage keeps at least one."""
    import math

    floors = [max(1, math.floor(x)) for x in raw]
    spare = round(sum(raw)) - sum(floors)
    for k in sorted(range(len(raw)), key=lambda k: floors[k] - raw[k])[: max(0, spare)]:
        floors[k] += 1
    return floors


def new_state(
    question: Question,
    banks: list[Path],
    *,
    minutes: float | None = None,
    strict: bool = False,
    no_timer: bool = False,
    started: datetime | None = None,
) -> DrillState:
    scale = minutes / question.total_minutes if minutes else 1.0
    raw = [s.minutes * 60.0 * scale for s in question.stages]
    stages = [
        StageState(name=s.name, budget=float(b)) for s, b in zip(question.stages, whole_seconds(raw), strict=True)
    ]
    when = (started or utcnow()).isoformat(timespec="seconds")
    return DrillState(
        id=new_id(),
        question_id=question.id,
        banks=[str(b) for b in banks],
        started_at=when,
        stages=stages,
        strict=strict,
        no_timer=no_timer,
        minutes=minutes,
        updated_at=when,
    )


def to_json(state: DrillState) -> dict[str, Any]:
    return asdict(state)


# What a saved drill must hold, field by field (see fields.py): a file edited or damaged by
# hand is refused with the field's name instead of failing halfway through a resume.
_FOLLOWUP_FIELDS: fields.Spec = {
    "ask": ("text", fields.text, False),
    "reply": ("text", fields.text, True),
    "elapsed": ("a number", fields.number, True),
    "budget": ("a number", fields.number, True),
    "done": ("true or false", fields.flag, True),
}
_STAGE_FIELDS: fields.Spec = {
    "name": ("a stage name", fields.stage, False),
    "budget": ("a number", fields.number, False),
    "text": ("text", fields.text, True),
    "elapsed": ("a number", fields.number, True),
    "done": ("true or false", fields.flag, True),
    "auto_submitted": ("true or false", fields.flag, True),
    "used_editor": ("true or false", fields.flag, True),
    "hints_shown": ("a whole number", fields.whole, True),
    "followup": ("a follow-up or null", fields.maybe(fields.is_object), True),
}
_DRILL_FIELDS: fields.Spec = {
    "id": ("text", lambda v: fields.text(v) and v != "", False),
    "question_id": ("text", fields.text, False),
    "banks": ("a list of folders", fields.list_of(fields.text), False),
    "started_at": ("text", fields.text, False),
    "stages": (
        "the five stages",
        lambda v: fields.list_of(fields.is_object)(v) and len(v) == len(STAGES),
        False,
    ),
    "strict": ("true or false", fields.flag, True),
    "no_timer": ("true or false", fields.flag, True),
    "minutes": ("a number or null", fields.maybe(fields.number), True),
    "status": ("running, paused or finished", lambda v: v in ("running", "paused", "finished"), True),
    "updated_at": ("text", fields.text, True),
    "version": ("a whole number", fields.whole, True),
    "extra": ("an object", fields.is_object, True),
    "self_ticks": (
        "stage names with lists of item ids",
        lambda v: fields.is_object(v)
        and all(fields.stage(k) and fields.list_of(fields.text)(x) for k, x in v.items()),
        True,
    ),
    "self_done": ("a list of stage names", fields.list_of(fields.stage), True),
    "self_at": (
        "stage names with item ids",
        lambda v: fields.is_object(v) and all(fields.stage(k) and fields.text(x) for k, x in v.items()),
        True,
    ),
}


def from_json(data: Any) -> DrillState:
    """A saved drill, every field checked: ValueError names the first wrong one."""
    fields.check(data, _DRILL_FIELDS)
    for n, s in enumerate(data["stages"], 1):
        fields.check(s, _STAGE_FIELDS, f"stages[{n}].")
        if s.get("followup"):
            fields.check(s["followup"], _FOLLOWUP_FIELDS, f"stages[{n}].followup.")
    known = set(DrillState.__dataclass_fields__)
    stages = []
    for s in data["stages"]:
        fu = s.get("followup")
        stages.append(
            StageState(
                **{k: v for k, v in s.items() if k in _STAGE_FIELDS and k != "followup"},
                followup=FollowupState(**{k: v for k, v in fu.items() if k in _FOLLOWUP_FIELDS}) if fu else None,
            )
        )
    rest = {k: v for k, v in data.items() if k != "stages" and k in known}
    return DrillState(stages=stages, **rest)


class DraftStore:
    """Drill states on disk, one JSON file each, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.error: str | None = None  # why the last save failed; cleared by the next good one

    def path(self, drill_id: str) -> Path:
        return self.folder / f"{drill_id}.json"

    def save(self, state: DrillState) -> bool:
        """Write the state; False (and `error` set) when the disk refuses.

        A failed save never ends a drill: the text stays in memory, the next
        save tries again, and the end of the drill falls back to another file.
        """
        state.updated_at = utcnow().isoformat(timespec="seconds")
        data = json.dumps(to_json(state), ensure_ascii=False, indent=1)
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path(state.id))
        except OSError as e:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self.error = f"{self.folder}: {e.strerror or e}"
            return False
        self.error = None
        return True

    def load(self, drill_id: str) -> DrillState:
        return from_json(json.loads(self.path(drill_id).read_text(encoding="utf-8")))

    def unfinished(self) -> list[DrillState]:
        """Drills that can be resumed, most recently touched first."""
        return self.scan()[0]

    def scan(self) -> tuple[list[DrillState], list[tuple[str, str]]]:
        """Drills that can be resumed, most recently touched first, and the drafts that
        cannot be read, as (id, why)."""
        if not self.folder.is_dir():
            return [], []
        out: list[tuple[float, DrillState]] = []
        bad: list[tuple[str, str]] = []
        for p in sorted(self.folder.glob("*.json")):
            try:
                st = from_json(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as e:
                bad.append((p.stem, f"cannot read it ({e.__class__.__name__})"))
                continue
            except ValueError as e:  # JSON that is not JSON is a ValueError too
                bad.append((p.stem, str(e) if not isinstance(e, json.JSONDecodeError) else "not JSON"))
                continue
            if st.status != "finished":
                out.append((p.stat().st_mtime, st))
        out.sort(key=lambda t: t[0], reverse=True)
        return [st for _, st in out], bad

    def find(self, ref: str) -> str | None:
        """The id of the saved drill `ref` names: its whole id or a prefix only it has."""
        if self.path(ref).is_file():
            return ref
        found = [p.stem for p in self.folder.glob("*.json") if p.stem.startswith(ref)] if self.folder.is_dir() else []
        if len(found) > 1:
            raise ValueError(f"drill '{ref}' is ambiguous ({len(found)} match); give more of the id")
        return found[0] if found else None

    def remove(self, drill_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(drill_id).unlink()
