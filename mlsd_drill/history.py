"""The practice history: a SQLite database in the user data folder.

Schema changes are ordered migrations, each recorded in `schema_migrations`
(and in `PRAGMA user_version`). The database runs in WAL mode with a busy
timeout, and every write is one short IMMEDIATE transaction, so two drills
finishing at the same moment are both recorded.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mlsd_drill import fields, paths
from mlsd_drill.errors import HistoryError, NotFound
from mlsd_drill.model import RAN_OVER_SECONDS, STAGES, Question, ScoreResult

BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: list[str] = [
    # 1: sessions, per-stage answers, per-item results, scheduling cards
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        question_id TEXT NOT NULL,
        title TEXT NOT NULL,
        tags TEXT NOT NULL,              -- JSON list
        difficulty TEXT NOT NULL,
        kind TEXT NOT NULL,              -- drill | file
        started_at TEXT NOT NULL,        -- ISO 8601 UTC
        ended_at TEXT NOT NULL,
        auto_score REAL NOT NULL,
        self_score REAL NOT NULL,
        level TEXT,
        rating INTEGER,
        strict INTEGER NOT NULL DEFAULT 0,
        minutes REAL,
        words INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_by_time ON sessions (ended_at);
    CREATE INDEX sessions_by_question ON sessions (question_id, ended_at);
    CREATE TABLE stages (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        answer TEXT NOT NULL,
        budget REAL,
        elapsed REAL,
        overtime REAL,
        auto_pct REAL,
        self_pct REAL,
        followup_ask TEXT,
        followup_reply TEXT,
        auto_submitted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, stage)
    );
    CREATE TABLE items (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        text TEXT NOT NULL,
        why TEXT NOT NULL,
        weight INTEGER NOT NULL,
        level TEXT NOT NULL,
        auto_hit INTEGER NOT NULL,
        self_hit INTEGER NOT NULL,
        evidence TEXT,
        found_in TEXT,
        PRIMARY KEY (session_id, item_id)
    );
    CREATE INDEX items_missed ON items (self_hit, item_id);
    CREATE TABLE cards (
        question_id TEXT PRIMARY KEY,
        card TEXT NOT NULL,              -- fsrs Card.to_json()
        due TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: running tallies, so `mlsd stats` reads a few rows instead of every item ever scored
    """
    CREATE TABLE item_tally (
        item_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        stage TEXT NOT NULL,
        missed INTEGER NOT NULL,
        seen INTEGER NOT NULL
    );
    INSERT INTO item_tally
        SELECT item_id, MAX(text), MAX(stage), SUM(1 - self_hit), COUNT(*) FROM items GROUP BY item_id;
    CREATE INDEX item_tally_missed ON item_tally (missed DESC, seen DESC);
    CREATE TABLE stage_tally (
        stage TEXT PRIMARY KEY,
        scored INTEGER NOT NULL,         -- sessions with a self score for the stage
        sum_self REAL NOT NULL,
        timed INTEGER NOT NULL,          -- timed drills
        sum_elapsed REAL NOT NULL,
        sum_budget REAL NOT NULL,
        sum_overtime REAL NOT NULL,
        over INTEGER NOT NULL            -- timed drills that ran over
    );
    INSERT INTO stage_tally
        SELECT st.stage,
               SUM(st.self_pct IS NOT NULL), COALESCE(SUM(st.self_pct), 0),
               SUM(se.kind = 'drill' AND st.elapsed IS NOT NULL),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.elapsed END), 0),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' AND st.elapsed IS NOT NULL THEN st.budget END), 0),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.overtime END), 0),
               SUM(se.kind = 'drill' AND st.overtime > 0)
        FROM stages st JOIN sessions se ON se.id = st.session_id GROUP BY st.stage;
    """,
    # 3: an item is its id and its text - two questions may each have a "simple-baseline"
    # of their own, while the shared (common) items read the same everywhere
    """
    DROP TABLE item_tally;
    CREATE TABLE item_tally (
        item_id TEXT NOT NULL,
        text TEXT NOT NULL,
        stage TEXT NOT NULL,
        missed INTEGER NOT NULL,
        seen INTEGER NOT NULL,
        PRIMARY KEY (item_id, text)
    );
    INSERT INTO item_tally
        SELECT item_id, text, MAX(stage), SUM(1 - self_hit), COUNT(*) FROM items GROUP BY item_id, text;
    CREATE INDEX item_tally_missed ON item_tally (missed DESC, seen DESC);
    """,
    # 4: a stage's time is its own, as its budget and overtime are; the follow-up's time is
    # kept beside it (NULL for sessions from before, whose elapsed included it). A stage
    # "ran over" by a second or more, as reports show it (a --strict stage ends at its
    # deadline, give or take a tick of the clock).
    f"""
    ALTER TABLE stages ADD COLUMN followup_elapsed REAL;
    DELETE FROM stage_tally;
    INSERT INTO stage_tally
        SELECT st.stage,
               SUM(st.self_pct IS NOT NULL), COALESCE(SUM(st.self_pct), 0),
               SUM(se.kind = 'drill' AND st.elapsed IS NOT NULL),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.elapsed END), 0),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' AND st.elapsed IS NOT NULL THEN st.budget END), 0),
               COALESCE(SUM(CASE WHEN se.kind = 'drill' THEN st.overtime END), 0),
               SUM(se.kind = 'drill' AND st.overtime >= {RAN_OVER_SECONDS})
        FROM stages st JOIN sessions se ON se.id = st.session_id GROUP BY st.stage;
    """,
    # 5: stats counts the stages --strict submitted at their deadline (only drills have them)
    """
    CREATE INDEX IF NOT EXISTS stages_cut_off ON stages (stage) WHERE auto_submitted = 1;
    """,
    # 6: when each point was last missed: among points missed as often, stats shows the
    # recent ones first (eight "1 of 1" points of the oldest drill hid the newest drill's)
    """
    ALTER TABLE item_tally ADD COLUMN last_missed TEXT;
    UPDATE item_tally SET last_missed = (
        SELECT MAX(se.ended_at) FROM items i JOIN sessions se ON se.id = i.session_id
        WHERE i.item_id = item_tally.item_id AND i.text = item_tally.text AND i.self_hit = 0
    );
    """,
    # 7: how many of a stage's hints the candidate opened (an interviewer notices a nudge)
    """
    ALTER TABLE stages ADD COLUMN hints_shown INTEGER NOT NULL DEFAULT 0;
    """,
    # 8: stats counts the timed drills in which a stage's hints were opened
    """
    ALTER TABLE stage_tally ADD COLUMN hinted INTEGER NOT NULL DEFAULT 0;
    UPDATE stage_tally SET hinted = (
        SELECT COUNT(*) FROM stages st JOIN sessions se ON se.id = st.session_id
        WHERE st.stage = stage_tally.stage AND se.kind = 'drill' AND st.elapsed IS NOT NULL AND st.hints_shown > 0
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class History:
    """An open history database. Use as a context manager or call close()."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.history_db()
        self.conn = self._open()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ opening

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise HistoryError(f"{self.path.parent}: cannot create the data folder ({e.strerror})") from None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as e:
            raise HistoryError(f"{self.path}: cannot open the history database ({e})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise HistoryError(
                    f"{self.path}: written by a newer mlsd (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade mlsd-drill to read it"
                )
            conn.execute("PRAGMA journal_mode = WAL")
            self._migrate(conn, version)
        except sqlite3.OperationalError as e:
            conn.close()
            if "locked" in str(e) or "busy" in str(e):
                raise HistoryError(
                    f"{self.path}: another mlsd is using the history database; try again in a moment"
                ) from None
            raise self._corrupt(e) from None
        except sqlite3.DatabaseError as e:
            conn.close()
            raise self._corrupt(e) from None
        conn.row_factory = sqlite3.Row
        return conn

    def _corrupt(self, e: Exception) -> HistoryError:
        backup = self.path.with_name(self.path.name + ".corrupt-backup")
        note = ""
        try:
            if not backup.exists():
                shutil.copy2(self.path, backup)
            note = f"; a copy is kept at {backup}"
        except OSError:
            pass
        return HistoryError(
            f"{self.path}: the history database is damaged ({e}); it was left untouched{note}. "
            "Move it aside to start a new history"
        )

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == 0:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            for number in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (number, _now()))
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise HistoryError(f"{self.path}: the history database is busy ({e}); try again") from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ writing

    def add_session(self, record: SessionRecord) -> str:
        with self.transaction() as c:
            self._insert(c, record)
        return record.id

    def _insert(self, c: sqlite3.Connection, r: SessionRecord) -> None:
        c.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                r.id,
                r.question_id,
                r.title,
                json.dumps(r.tags),
                r.difficulty,
                r.kind,
                r.started_at,
                r.ended_at,
                r.auto_score,
                r.self_score,
                r.level,
                r.rating,
                int(r.strict),
                r.minutes,
                r.words,
            ),
        )
        for s in r.stages:
            c.execute(
                "INSERT INTO stages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    r.id,
                    s["stage"],
                    s["answer"],
                    s.get("budget"),
                    s.get("elapsed"),
                    s.get("overtime"),
                    s.get("auto_pct"),
                    s.get("self_pct"),
                    s.get("followup_ask"),
                    s.get("followup_reply"),
                    int(bool(s.get("auto_submitted"))),
                    s.get("followup_elapsed"),
                    s.get("hints_shown") or 0,
                ),
            )
        for i in r.items:
            c.execute(
                "INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    r.id,
                    i["id"],
                    i["stage"],
                    i["text"],
                    i["why"],
                    i["weight"],
                    i["level"],
                    int(i["auto_hit"]),
                    int(i["self_hit"]),
                    i.get("evidence"),
                    i.get("found_in"),
                ),
            )
        self._tally(c, r)

    @staticmethod
    def _tally(c: sqlite3.Connection, r: SessionRecord) -> None:
        """Keep the running tallies of migration 2 in step with the rows just added."""
        for i in r.items:
            c.execute(
                "INSERT INTO item_tally VALUES (?,?,?,?,1,?) ON CONFLICT (item_id, text) DO UPDATE SET "
                "missed = missed + excluded.missed, seen = seen + 1, last_missed = CASE "
                "WHEN excluded.last_missed > COALESCE(last_missed, '') THEN excluded.last_missed ELSE last_missed END",
                (i["id"], i["text"], i["stage"], 0 if i["self_hit"] else 1, None if i["self_hit"] else r.ended_at),
            )
        timed = r.kind == "drill"
        for s in r.stages:
            has_time = timed and s.get("elapsed") is not None
            c.execute(
                "INSERT INTO stage_tally VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (stage) DO UPDATE SET "
                "scored = scored + excluded.scored, sum_self = sum_self + excluded.sum_self, "
                "timed = timed + excluded.timed, sum_elapsed = sum_elapsed + excluded.sum_elapsed, "
                "sum_budget = sum_budget + excluded.sum_budget, "
                "sum_overtime = sum_overtime + excluded.sum_overtime, over = over + excluded.over, "
                "hinted = hinted + excluded.hinted",
                (
                    s["stage"],
                    int(s.get("self_pct") is not None),
                    s.get("self_pct") or 0.0,
                    int(has_time),
                    (s.get("elapsed") or 0.0) if has_time else 0.0,
                    (s.get("budget") or 0.0) if has_time else 0.0,
                    (s.get("overtime") or 0.0) if has_time else 0.0,
                    int(has_time and (s.get("overtime") or 0) >= RAN_OVER_SECONDS),
                    int(has_time and (s.get("hints_shown") or 0) > 0),
                ),
            )

    def save_card(self, question_id: str, card_json: str, due: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO cards VALUES (?,?,?,?) ON CONFLICT (question_id) DO UPDATE SET "
                "card = excluded.card, due = excluded.due, updated_at = excluded.updated_at",
                (question_id, card_json, due, _now()),
            )

    # ------------------------------------------------------------------ reading

    def sessions(self, limit: int | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM sessions ORDER BY ended_at DESC, rowid DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return list(self.conn.execute(sql))

    def find(self, ref: str) -> str:
        """A session id from a full id, a unique prefix, or a number from `mlsd history` (1 = newest)."""
        # a number from `mlsd history`; past the end, a number of 4 digits or more may still
        # be the start of an id ("7827" of 7827fc3f4f18), a shorter one is a mistyped number
        if ref.isdigit() and len(ref) < 6:
            n = int(ref)
            row = None
            if n >= 1:
                row = self.conn.execute(
                    "SELECT id FROM sessions ORDER BY ended_at DESC, rowid DESC LIMIT 1 OFFSET ?", (n - 1,)
                ).fetchone()
            if row:
                return str(row["id"])
            if len(ref) < 4 or not self._by_prefix(ref):
                total = self.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
                if not total:
                    raise NotFound(f"no session {ref}: there are none yet; start one with `mlsd drill`")
                listed = "1 session" if total == 1 else f"{total} sessions, 1 = newest"
                raise NotFound(f"no session {ref}: `mlsd history` numbers {listed}")
        rows = self._by_prefix(ref)
        if len(rows) == 1:
            return str(rows[0]["id"])
        if len(rows) > 1:
            raise NotFound(f"session '{ref}' is ambiguous ({len(rows)} match); give more of the id")
        raise NotFound(f"no session '{ref}'; `mlsd history` lists them")

    def has(self, session_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def _by_prefix(self, ref: str) -> list[Any]:
        return list(self.conn.execute("SELECT id FROM sessions WHERE id LIKE ? || '%'", (ref,)))

    def load(self, session_id: str) -> SessionRecord:
        row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFound(f"no session '{session_id}'")
        stages = [
            dict(r) for r in self.conn.execute("SELECT * FROM stages WHERE session_id = ?", (session_id,))
        ]
        stages.sort(key=lambda s: STAGES.index(s["stage"]) if s["stage"] in STAGES else 99)
        items = []
        for r in self.conn.execute("SELECT * FROM items WHERE session_id = ? ORDER BY rowid", (session_id,)):
            d = dict(r)
            d["id"] = d.pop("item_id")
            d.pop("session_id")
            d["auto_hit"] = bool(d["auto_hit"])
            d["self_hit"] = bool(d["self_hit"])
            items.append(d)
        for s in stages:
            s.pop("session_id", None)
            s["auto_submitted"] = bool(s["auto_submitted"])
        return SessionRecord(
            id=row["id"],
            question_id=row["question_id"],
            title=row["title"],
            tags=json.loads(row["tags"]),
            difficulty=row["difficulty"],
            kind=row["kind"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            auto_score=row["auto_score"],
            self_score=row["self_score"],
            level=row["level"],
            rating=row["rating"],
            strict=bool(row["strict"]),
            minutes=row["minutes"],
            words=row["words"],
            stages=stages,
            items=items,
        )

    def all_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM sessions")}

    def cards(self) -> dict[str, sqlite3.Row]:
        return {r["question_id"]: r for r in self.conn.execute("SELECT * FROM cards")}

    def import_records(self, records: list[SessionRecord]) -> tuple[int, int]:
        """Add sessions not already present; returns (added, skipped)."""
        added = skipped = 0
        with self.transaction() as c:
            have = {r[0] for r in c.execute("SELECT id FROM sessions")}
            for r in records:
                if r.id in have:
                    skipped += 1
                    continue
                self._insert(c, r)
                have.add(r.id)
                added += 1
        return added, skipped


@dataclass
class SessionRecord:
    """One practice session as stored and exported (results as data)."""

    id: str
    question_id: str
    title: str
    tags: list[str]
    difficulty: str
    kind: str
    started_at: str
    ended_at: str
    auto_score: float
    self_score: float
    level: str | None
    rating: int | None
    strict: bool
    minutes: float | None
    words: int
    stages: list[dict[str, Any]]
    items: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionRecord:
        """A session from `mlsd export` JSON, every field checked: ValueError names the first wrong one."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        names = set(cls.__dataclass_fields__)
        missing = names - set(data)
        if missing:
            raise ValueError(f"missing {', '.join(sorted(missing))}")
        fields.check(data, _SESSION_FIELDS)
        for k in ("started_at", "ended_at"):
            try:
                datetime.fromisoformat(data[k])
            except ValueError:
                raise ValueError(f"{k} {data[k]!r} is not a date and time") from None
        for n, st in enumerate(data["stages"], 1):
            fields.check(st, _STAGE_FIELDS, f"stages[{n}].")
        for n, it in enumerate(data["items"], 1):
            fields.check(it, _ITEM_FIELDS, f"items[{n}].")
        return cls(**{k: data[k] for k in names})


# What `mlsd import` accepts in each field; anything else is refused with the field's name,
# before the history is touched.
_SESSION_FIELDS: fields.Spec = {
    "id": ("text", lambda v: fields.text(v) and v != "", False),
    "question_id": ("text", fields.text, False),
    "title": ("text", fields.text, False),
    "tags": ("a list of text", fields.list_of(fields.text), False),
    "difficulty": ("text", fields.text, False),
    "kind": ("drill or file", lambda v: v in ("drill", "file"), False),
    "started_at": ("text", fields.text, False),
    "ended_at": ("text", fields.text, False),
    "auto_score": ("a number", fields.number, False),
    "self_score": ("a number", fields.number, False),
    "level": ("text or null", fields.maybe(fields.text), False),
    "rating": ("1 to 4 or null", lambda v: v is None or (fields.whole(v) and 1 <= v <= 4), False),
    "strict": ("true or false", fields.flag, False),
    "minutes": ("a number or null", fields.maybe(fields.number), False),
    "words": ("a whole number", fields.whole, False),
    "stages": ("a list of stages", fields.list_of(fields.is_object), False),
    "items": ("a list of items", fields.list_of(fields.is_object), False),
}
_STAGE_FIELDS: fields.Spec = {
    "stage": ("a stage name", fields.stage, False),
    "answer": ("text", fields.text, False),
    **{
        k: ("a number or null", fields.maybe(fields.number), True)
        for k in ("budget", "elapsed", "overtime", "auto_pct", "self_pct", "followup_elapsed")
    },
    "followup_ask": ("text or null", fields.maybe(fields.text), True),
    "followup_reply": ("text or null", fields.maybe(fields.text), True),
    "auto_submitted": ("true or false", fields.flag, True),
    "hints_shown": ("a count (0 or more)", lambda v: fields.whole(v) and v >= 0, True),
}
_ITEM_FIELDS: fields.Spec = {
    "id": ("text", fields.text, False),
    "stage": ("a stage name", fields.stage, False),
    "text": ("text", fields.text, False),
    "why": ("text", fields.text, False),
    "weight": ("a whole number", fields.whole, False),
    "level": ("text", fields.text, False),
    "auto_hit": ("true or false", fields.flag, False),
    "self_hit": ("true or false", fields.flag, False),
    "evidence": ("text or null", fields.maybe(fields.text), True),
    "found_in": ("a stage name or null", fields.maybe(fields.stage), True),
}


def items_payload(auto: ScoreResult, self_: ScoreResult | None = None) -> list[dict[str, Any]]:
    mine = {r.item.id: r.hit for r in (self_ or auto).items}
    return [
        {
            "id": r.item.id,
            "stage": r.item.stage,
            "text": r.item.text,
            "why": r.item.why,
            "weight": r.item.weight,
            "level": r.item.level,
            "auto_hit": r.hit,
            "self_hit": mine.get(r.item.id, r.hit),
            "evidence": r.evidence,
            "found_in": r.found_in,
        }
        for r in auto.items
    ]


def record_scored_file(question: Question, text: str, result: ScoreResult) -> tuple[str, bool]:
    """`mlsd score --save`: keep a scored answer file as a session; returns its id and whether
    it is new (the same answer saved again for the same question is not a second session)."""
    from mlsd_drill.answer import parse_markdown

    answer = parse_markdown(text)
    now = _now()
    stages = []
    # text before the first stage heading is kept with the first stage, so the
    # saved session holds every word of the file
    intro = answer.stage_text(None)
    for st in STAGES:
        body = answer.stage_text(st)
        if intro and st == STAGES[0]:
            body = f"{intro}\n\n{body}" if body else intro
        stages.append(
            {
                "stage": st,
                "answer": body,
                "auto_pct": result.stages.get(st),
                "self_pct": result.stages.get(st),
            }
        )
    rec = SessionRecord(
        id=uuid.uuid4().hex[:12],
        question_id=question.id,
        title=question.title,
        tags=list(question.tags),
        difficulty=question.difficulty,
        kind="file",
        started_at=now,
        ended_at=now,
        auto_score=result.percent,
        self_score=result.percent,
        level=result.level,
        rating=None,
        strict=False,
        minutes=None,
        words=result.words,
        stages=stages,
        items=items_payload(result),
    )
    with History() as h:
        same = h.conn.execute(
            "SELECT id FROM sessions WHERE question_id = ? AND kind = 'file' ORDER BY ended_at DESC, rowid DESC LIMIT 1",
            (question.id,),
        ).fetchone()
        if same is not None:
            answers = {
                r["stage"]: r["answer"]
                for r in h.conn.execute(
                    "SELECT stage, answer FROM stages WHERE session_id = ?", (same["id"],)
                )
            }
            if answers == {s["stage"]: s["answer"] for s in stages}:
                return str(same["id"]), False
        return h.add_session(rec), True
