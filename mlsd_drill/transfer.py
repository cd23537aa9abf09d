"""Export and import of sessions (`mlsd export`, `mlsd import`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlsd_drill.errors import MlsdError
from mlsd_drill.history import History, SessionRecord

DUMP_FORMAT = "mlsd-drill-history"
DUMP_VERSION = 1
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def dump(records: list[SessionRecord]) -> str:
    """Sessions in the export format that `mlsd import` reads."""
    data = {"format": DUMP_FORMAT, "version": DUMP_VERSION, "sessions": [r.to_json() for r in records]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def export(session: str | None, fmt: str | None, all_: bool) -> str:
    fmt = fmt or ("json" if all_ else "md")  # --all is JSON only: no need to say so
    if fmt not in ("md", "json"):
        raise MlsdError(f"unknown format '{fmt}': use md or json")
    with History() as h:
        if all_:
            if fmt != "json":
                raise MlsdError("--all exports JSON only: add --format json")
            return dump([h.load(r["id"]) for r in reversed(h.sessions())])
        if not session:
            raise MlsdError("name a session (see `mlsd history`) or use --all")
        rec = h.load(h.find(session))
    if fmt == "json":
        return json.dumps(rec.to_json(), indent=1, ensure_ascii=False) + "\n"
    from mlsd_drill.report import export_markdown

    return export_markdown(rec)


def import_file(path: Path) -> tuple[int, int]:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise MlsdError(f"{path}: too big to be an mlsd export")
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MlsdError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise MlsdError(f"{path}: cannot read ({e})") from None
    except json.JSONDecodeError as e:
        raise MlsdError(f"{path}:{e.lineno}: not JSON ({e.msg})") from None
    if isinstance(data, dict) and data.get("format") == DUMP_FORMAT:
        if data.get("version", 0) > DUMP_VERSION:
            raise MlsdError(f"{path}: written by a newer mlsd (export version {data['version']})")
        raw = data.get("sessions", [])
    elif isinstance(data, dict) and "question_id" in data:
        raw = [data]  # one session from `mlsd export SESSION --format json`
    else:
        raise MlsdError(f"{path}: not an mlsd export (expected `mlsd export --all --format json` output)")
    records = []
    for n, r in enumerate(raw, 1):
        try:
            records.append(SessionRecord.from_json(r))
        except (ValueError, TypeError, AttributeError) as e:
            raise MlsdError(f"{path}: session {n} is not valid ({e})") from None
    with History() as h:
        return h.import_records(records)
