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

from mlsd_drill.model import STAGES, Question

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
        if self.auto_submitted:
            return 0.0  # --strict ended it at the deadline; any fraction past is the clock's tick
        return max(0.0, self.elapsed - self.budget)

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


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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
    stages = [StageState(name=s.name, budget=s.minutes * 60.0 * scale) for s in question.stages]
    when = (started or utcnow()).isoformat(timespec="seconds")
    return DrillState(
        id=uuid.uuid4().hex[:12],
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


def from_json(data: dict[str, Any]) -> DrillState:
    stages = []
    for s in data["stages"]:
        fu = s.get("followup")
        stages.append(
            StageState(**{**s, "followup": FollowupState(**fu) if fu else None})  # type: ignore[arg-type]
        )
    fields = {k: v for k, v in data.items() if k != "stages"}
    return DrillState(stages=stages, **fields)


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
        if not self.folder.is_dir():
            return []
        out: list[tuple[float, DrillState]] = []
        for p in self.folder.glob("*.json"):
            try:
                st = from_json(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if st.status != "finished" and len(st.stages) == len(STAGES):
                out.append((p.stat().st_mtime, st))
        out.sort(key=lambda t: t[0], reverse=True)
        return [st for _, st in out]

    def remove(self, drill_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(drill_id).unlink()
