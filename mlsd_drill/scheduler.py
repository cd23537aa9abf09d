"""What to practise next: fsrs spaced repetition, one card per question.

The drill's 1-4 rating (again / hard / good / easy) is an fsrs review of the
question's card. When no card is due, the weakest tag (lowest average
self-score) decides, then questions not yet practised.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from mlsd_drill.history import History
from mlsd_drill.model import DIFFICULTIES, STAGE_TITLES, Bank, Question


def card_id(question_id: str) -> int:
    """A stable card id for a question (fsrs wants an int)."""
    return zlib.crc32(question_id.encode("utf-8")) + 1


def _scheduler() -> Any:
    from fsrs import Scheduler

    # practice is measured in days, not minutes: no intra-day learning steps
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def review(history: History, question_id: str, rating: int, when: datetime | None = None) -> datetime:
    """Record a 1-4 rating for a question; returns when it is next due."""
    from fsrs import Card, Rating

    when = when or datetime.now(timezone.utc)
    row = history.cards().get(question_id)
    card = Card.from_json(row["card"]) if row else Card(card_id=card_id(question_id))
    card, _ = _scheduler().review_card(card, Rating(rating), review_datetime=when)
    history.save_card(question_id, card.to_json(), card.due.isoformat())
    due: datetime = card.due
    return due


@dataclass(frozen=True)
class Recommendation:
    question: Question
    reason: str
    due: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question.id,
            "title": self.question.title,
            "reason": self.reason,
            "due": self.due,
        }


def pick_next(bank: Bank, history: History, now: datetime | None = None) -> Recommendation | None:
    now = now or datetime.now(timezone.utc)
    questions = bank.questions
    if not questions:
        return None
    cards = history.cards()
    due = sorted(
        (row["due"], qid) for qid, row in cards.items() if qid in questions and row["due"] <= now.isoformat()
    )
    if due:
        when, qid = due[0]
        return Recommendation(questions[qid], f"due for review since {when[:10]}", when)

    # averages of the bank's questions only: a session on a question from another bank
    # says nothing about these (and must not make a practised question look new)
    scores: dict[str, list[float]] = {}
    tag_scores: dict[str, list[float]] = {}  # per session, with the tags it was drilled under (as stats)
    for r in history.conn.execute("SELECT question_id, self_score, tags FROM sessions"):
        if r["question_id"] not in questions:
            continue
        scores.setdefault(r["question_id"], []).append(r["self_score"])
        for t in json.loads(r["tags"] or "[]"):
            tag_scores.setdefault(t, []).append(r["self_score"])
    order = {d: i for i, d in enumerate(DIFFICULTIES)}
    unseen = sorted(
        (q for q in questions.values() if q.id not in scores), key=lambda q: (order[q.difficulty], q.id)
    )
    if not scores:
        q = sorted(unseen, key=lambda q: (order[q.difficulty] != 1, order[q.difficulty], q.id))[0]
        return Recommendation(q, "not practised yet - a good first case study")
    stage = weakest_stage(history)
    stage_note = f"; weakest stage: {STAGE_TITLES[stage].lower()}" if stage else ""
    by_avg = sorted(tag_scores.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), kv[0]))
    for rank, (tag, values) in enumerate(by_avg):
        fresh = [q for q in unseen if tag in q.tags]
        if fresh:
            mean = sum(values) / len(values)
            which = (
                f"your weakest tag '{tag}' (avg {mean:.0f}%)"
                if rank == 0
                else f"'{tag}' (avg {mean:.0f}%), your weakest tag with questions not yet tried"
            )
            return Recommendation(fresh[0], f"new question in {which}{stage_note}")
    if unseen:
        return Recommendation(unseen[0], f"not practised yet{stage_note}")
    worst = min(scores, key=lambda qid: (sum(scores[qid]) / len(scores[qid]), qid))
    avg = sum(scores[worst]) / len(scores[worst])
    card = cards.get(worst)
    again = f"; due again {card['due'][:10]}" if card else ""
    return Recommendation(questions[worst], f"your lowest average ({avg:.0f}%){again}{stage_note}")


def weakest_stage(history: History) -> str | None:
    row = history.conn.execute(
        "SELECT stage, AVG(self_pct) AS avg FROM stages WHERE self_pct IS NOT NULL "
        "GROUP BY stage ORDER BY avg ASC LIMIT 1"
    ).fetchone()
    return str(row["stage"]) if row else None
