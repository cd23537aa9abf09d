"""Choosing questions from a loaded bank."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlsd_drill.errors import MlsdError, UnknownQuestion, closest
from mlsd_drill.model import DIFFICULTIES, Bank, Question


def select(bank: Bank, tags: Sequence[str] | None = None, difficulty: str | None = None) -> list[Question]:
    """Questions with every given tag and the given difficulty, sorted by id."""
    if difficulty is not None and difficulty.lower() not in DIFFICULTIES:
        raise MlsdError(f"unknown difficulty '{difficulty}': use easy, medium or hard")
    want = {t.lower() for t in tags or ()}
    out = []
    for q in sorted(bank.questions.values(), key=lambda q: q.id):
        if difficulty is not None and q.difficulty != difficulty.lower():
            continue
        if want and not want <= {t.lower() for t in q.tags}:
            continue
        out.append(q)
    return out


def no_match(bank: Bank, tags: Sequence[str] | None = None, difficulty: str | None = None) -> str:
    """Why no question matches the filters, naming them: a tag no question has, or the mix."""
    known = {t.lower() for q in bank.questions.values() for t in q.tags}
    unknown = [t for t in tags or () if t.lower() not in known]
    if unknown:
        close = closest(unknown[0].lower(), known)
        hint = f": did you mean '{close}'?" if close else ""
        return f"no question is tagged '{unknown[0]}'{hint}"
    asked = [f"--tag {t}" for t in tags or ()] + ([f"--difficulty {difficulty}"] if difficulty else [])
    return f"no question matches {' '.join(asked)}"


def get(bank: Bank, qid: str) -> Question:
    q = bank.questions.get(qid)
    if q is None:
        raise UnknownQuestion(qid, sorted(bank.questions))
    return q


def question_row(q: Question) -> dict[str, Any]:
    """A question as one row of `mlsd list --json`."""
    return {
        "id": q.id,
        "title": q.title,
        "difficulty": q.difficulty,
        "tags": list(q.tags),
        "minutes": q.total_minutes,
        "bank": str(q.bank) if q.bank else None,
    }
