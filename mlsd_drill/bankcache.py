"""A cache of parsed question files, so listing questions does not re-read YAML.

One JSON file in the data folder maps each question file (by path) to its
modification time, size and what reading it gave. An entry is used only when
the file's mtime and size are unchanged and the cache was written by this
version of mlsd; anything unreadable about the cache itself is ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mlsd_drill import __version__, paths
from mlsd_drill.bank import QuestionEntry
from mlsd_drill.model import Followup, Problem, Question, StageSpec

CACHE_FORMAT = 4  # 2: questions read leniently (case, stage synonyms, quoted numbers); 3: stage names of several words; 4: rubrics in question files


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def _question_to_json(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": q.title,
        "prompt": q.prompt,
        "tags": list(q.tags),
        "difficulty": q.difficulty,
        "stages": [[s.name, s.minutes, s.prompt, list(s.hints)] for s in q.stages],
        "followups": [[f.stage, f.ask] for f in q.followups],
        "reference": q.reference,
    }


def _question_from_json(d: dict[str, Any], source: Path) -> Question:
    return Question(
        id=d["id"],
        title=d["title"],
        prompt=d["prompt"],
        tags=tuple(d["tags"]),
        difficulty=d["difficulty"],
        stages=tuple(StageSpec(n, float(m), p, tuple(h)) for n, m, p, h in d["stages"]),
        followups=tuple(Followup(s, a) for s, a in d["followups"]),
        reference=dict(d["reference"]),
        source=source,
    )


class BankCache:
    def __init__(self, file: Path | None, entries: dict[str, Any]) -> None:
        self.file = file
        self.entries = entries
        self.dirty = False

    @classmethod
    def open(cls) -> BankCache:
        file = paths.data_dir() / "cache" / "questions.json"
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and data.get("version") == __version__:
                return cls(file, data["entries"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return cls(file, {})

    def question(self, path: Path) -> QuestionEntry | None:
        e = self.entries.get(str(path))
        if not e or e.get("stamp") != _stamp(path):
            return None
        try:
            q = _question_from_json(e["q"], path) if e["q"] is not None else None
            probs = [Problem(path, line, msg) for line, msg in e["problems"]]
            return QuestionEntry(q, probs, broken=e["broken"], id_line=e["id_line"])
        except (KeyError, TypeError, ValueError):
            return None

    def store(self, path: Path, entry: QuestionEntry) -> None:
        stamp = _stamp(path)
        if stamp is None:
            return
        self.entries[str(path)] = {
            "stamp": stamp,
            "q": _question_to_json(entry.question) if entry.question else None,
            "problems": [[p.line, p.message] for p in entry.problems],
            "broken": entry.broken,
            "id_line": entry.id_line,
        }
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.file is None:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"format": CACHE_FORMAT, "version": __version__, "entries": self.entries}, f)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written only costs speed
        self.dirty = False
