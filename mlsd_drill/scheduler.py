"""What to practise next: fsrs spaced repetition, one card per question.

The drill's 1-4 rating (again / hard / good / easy) is an fsrs review of the
question's card. When no card is due, the weakest tag (lowest average
self-score) decides, then questions not yet practised.
"""

from __future__ import annotations

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

    per_q = {
        r["question_id"]: (r["avg"], r["n"])
        for r in history.conn.execute(
            "SELECT question_id, AVG(self_score) AS avg, COUNT(*) AS n FROM sessions GROUP BY question_id"
        )
    }
    unseen = [q for q in questions.values() if q.id not in per_q]
    order = {d: i for i, d in enumerate(DIFFICULTIES)}
    if per_q:
        tag_scores: dict[str, list[float]] = {}
        for qid, (avg, _n) in per_q.items():
            q = questions.get(qid)
            for t in q.tags if q else ():
                tag_scores.setdefault(t, []).append(avg)
        stage = weakest_stage(history)
        stage_note = f"; weakest stage: {STAGE_TITLES[stage].lower()}" if stage else ""
        for tag, scores in sorted(tag_scores.items(), key=lambda kv: sum(kv[1]) / len(kv[1])):
            mean = sum(scores) / len(scores)
            fresh = sorted((q for q in unseen if tag in q.tags), key=lambda q: (order[q.difficulty], q.id))
            if fresh:
                return Recommendation(
                    fresh[0], f"new question in your weakest tag '{tag}' (avg {mean:.0f}%){stage_note}"
                )
            # every question of the tag seen: the one with the lowest average, not yet due
            seen = sorted(
                (per_q[q.id][0], q.id) for q in questions.values() if tag in q.tags and q.id in per_q
            )
            if seen and len(tag_scores) == 1:
                return Recommendation(
                    questions[seen[0][1]], f"lowest score in '{tag}' ({seen[0][0]:.0f}%){stage_note}"
                )
        if unseen:
            q = sorted(unseen, key=lambda q: (order[q.difficulty], q.id))[0]
            return Recommendation(q, f"not practised yet{stage_note}")
        worst = min(per_q.items(), key=lambda kv: kv[1][0])
        if worst[0] in questions:
            return Recommendation(
                questions[worst[0]], f"your lowest average ({worst[1][0]:.0f}%){stage_note}"
            )
    q = sorted(
        unseen or questions.values(), key=lambda q: (order[q.difficulty] != 1, order[q.difficulty], q.id)
    )[0]
    return Recommendation(q, "not practised yet - a good first case study")


def weakest_stage(history: History) -> str | None:
    row = history.conn.execute(
        "SELECT stage, AVG(self_pct) AS avg FROM stages WHERE self_pct IS NOT NULL "
        "GROUP BY stage ORDER BY avg ASC LIMIT 1"
    ).fetchone()
    return str(row["stage"]) if row else None
