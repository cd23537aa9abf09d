"""Progress over time, computed from the history (results as data)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from mlsd_drill.history import History
from mlsd_drill.model import RAN_OVER_SECONDS, STAGES


@dataclass
class Stats:
    sessions: int = 0
    overall: list[tuple[str, float]] = field(default_factory=list)  # (ended_at, self score), oldest first
    per_stage: dict[str, list[float]] = field(default_factory=dict)  # self % per session, oldest first
    stage_avg: dict[str, float] = field(default_factory=dict)
    tag_avg: dict[str, tuple[float, int]] = field(default_factory=dict)  # tag -> (avg, sessions)
    missed_items: list[dict[str, Any]] = field(default_factory=list)
    time: dict[str, dict[str, float]] = field(
        default_factory=dict
    )  # stage -> avg elapsed, budget, overtime, share over, cut off, hinted
    streak: int = 0
    best_streak: int = 0
    last_practice: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "overall": [{"ended_at": t, "score": round(s, 1)} for t, s in self.overall],
            "stage_average": {k: round(v, 1) for k, v in self.stage_avg.items()},
            "tag_average": {k: {"score": round(v[0], 1), "sessions": v[1]} for k, v in self.tag_avg.items()},
            "missed_items": self.missed_items,
            "time": self.time,
            "streak_days": self.streak,
            "best_streak_days": self.best_streak,
            "last_practice": self.last_practice,
        }


def compute(
    h: History, today: date | None = None, trend_points: int = 40, questions: set[str] | None = None
) -> Stats:
    """Progress over the whole history, or over the sessions of `questions` only.

    The whole history reads the running tallies (fast at any size); a subset is
    aggregated from the session rows.
    """
    today = today or datetime.now(timezone.utc).date()
    s = Stats()
    where, args = "", []
    if questions is not None:
        where = f" WHERE question_id IN ({','.join('?' * len(questions))})"
        args = sorted(questions)
    rows = list(
        h.conn.execute(f"SELECT id, ended_at, self_score, tags FROM sessions{where} ORDER BY ended_at", args)
    )
    s.sessions = len(rows)
    if not rows:
        return s
    s.overall = [(r["ended_at"], r["self_score"]) for r in rows][-trend_points:]
    s.last_practice = rows[-1]["ended_at"]

    import json

    tags: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for t in json.loads(r["tags"]):
            tags[t].append(r["self_score"])
    s.tag_avg = {
        t: (sum(v) / len(v), len(v)) for t, v in sorted(tags.items(), key=lambda kv: sum(kv[1]) / len(kv[1]))
    }

    recent = [r["id"] for r in rows[-trend_points:]]
    marks = ",".join("?" * len(recent))
    per_stage: dict[str, list[float]] = defaultdict(list)
    by_session: dict[str, dict[str, float]] = defaultdict(dict)
    for r in h.conn.execute(
        f"SELECT session_id, stage, self_pct FROM stages WHERE session_id IN ({marks}) AND self_pct IS NOT NULL",
        recent,
    ):
        by_session[r["session_id"]][r["stage"]] = r["self_pct"]
    for sid in recent:  # oldest first
        for st, v in by_session[sid].items():
            per_stage[st].append(v)
    s.per_stage = {st: per_stage[st] for st in STAGES if per_stage.get(st)}

    tally = {r["stage"]: r for r in _stage_tally(h, where, args)}
    s.stage_avg = {
        st: tally[st]["sum_self"] / tally[st]["scored"]
        for st in STAGES
        if st in tally and tally[st]["scored"]
    }
    cut_off = _cut_off(h, where, args)
    for st in STAGES:
        t = tally.get(st)
        if t is None or not t["timed"]:
            continue
        n = t["timed"]
        s.time[st] = {
            "avg_elapsed": round(t["sum_elapsed"] / n, 1),
            "avg_budget": round(t["sum_budget"] / n, 1),
            # time used as a share of the budgets it had: drills of different --minutes compare
            "used_share": round(t["sum_elapsed"] / t["sum_budget"], 3) if t["sum_budget"] else 0.0,
            "avg_overtime": round(t["sum_overtime"] / n, 1),
            "share_over": round(t["over"] / n, 3),
            "share_cut_off": round(cut_off.get(st, 0) / n, 3),
            "share_hinted": round(t["hinted"] / n, 3),  # drills in which a hint was opened
        }
    s.missed_items = [
        {"id": r["item_id"], "text": r["text"], "stage": r["stage"], "missed": r["missed"], "seen": r["seen"]}
        for r in _item_tally(h, where, args)
    ]

    days = sorted({date.fromisoformat(r["ended_at"][:10]) for r in rows})
    best = run = 0
    prev: date | None = None
    for d in days:
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        best = max(best, run)
        prev = d
    s.best_streak = best
    s.streak = run if days and (today - days[-1]) <= timedelta(days=1) else 0
    return s


def _stage_tally(h: History, where: str, args: list[str]) -> list[Any]:
    if not where:
        return list(h.conn.execute("SELECT * FROM stage_tally"))
    return list(
        h.conn.execute(
            "SELECT st.stage AS stage, SUM(st.self_pct IS NOT NULL) AS scored, "
            "COALESCE(SUM(st.self_pct), 0) AS sum_self, "
            "SUM(se.kind = 'drill' AND st.elapsed IS NOT NULL) AS timed, "
            "COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.elapsed END), 0) AS sum_elapsed, "
            "COALESCE(SUM(CASE WHEN se.kind = 'drill' AND st.elapsed IS NOT NULL THEN st.budget END), 0) AS sum_budget, "
            "COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.overtime END), 0) AS sum_overtime, "
            f"SUM(se.kind = 'drill' AND st.overtime >= {RAN_OVER_SECONDS}) AS over, "
            "SUM(se.kind = 'drill' AND st.elapsed IS NOT NULL AND st.hints_shown > 0) AS hinted "
            f"FROM stages st JOIN sessions se ON se.id = st.session_id{where.replace('question_id', 'se.question_id')} "
            "GROUP BY st.stage",
            args,
        )
    )


def _cut_off(h: History, where: str, args: list[str]) -> dict[str, int]:
    """Per stage: how many drill stages --strict submitted when their time ran out (only drills
    have such stages; a partial index holds just those)."""
    if not where:
        rows = h.conn.execute("SELECT stage, COUNT(*) AS n FROM stages WHERE auto_submitted = 1 GROUP BY stage")
    else:
        where_sql = where.replace("question_id", "se.question_id").replace(" WHERE ", " AND ")
        rows = h.conn.execute(
            "SELECT st.stage AS stage, COUNT(*) AS n FROM stages st JOIN sessions se ON se.id = st.session_id "
            f"WHERE st.auto_submitted = 1{where_sql} GROUP BY st.stage",
            args,
        )
    return {r["stage"]: r["n"] for r in rows}


# the points missed most: by how often (1 of 1 above 1 of 5, softened so that one miss in one
# session does not outrank a point missed 4 times in 5), then by how many times, then the
# most recently missed first
_MISSED_ORDER = "ORDER BY missed * 1.0 / (seen + 1) DESC, missed DESC, seen DESC, last_missed DESC, item_id LIMIT 8"


def _item_tally(h: History, where: str, args: list[str]) -> list[Any]:
    if not where:
        return list(h.conn.execute(f"SELECT * FROM item_tally WHERE missed > 0 {_MISSED_ORDER}"))
    return list(
        h.conn.execute(
            "SELECT i.item_id AS item_id, i.text AS text, MAX(i.stage) AS stage, "
            "SUM(1 - i.self_hit) AS missed, COUNT(*) AS seen, "
            "MAX(CASE WHEN i.self_hit = 0 THEN se.ended_at END) AS last_missed "
            "FROM items i JOIN sessions se ON se.id = i.session_id"
            f"{where.replace('question_id', 'se.question_id')} GROUP BY i.item_id, i.text HAVING missed > 0 "
            + _MISSED_ORDER,
            args,
        )
    )
