"""`mlsd stats` and `mlsd next` over a generated history of 10,000 sessions,
as whole commands (a fresh process each time, median of N), beside `mlsd --help`
as the start-up baseline measured in the same run.

Usage: python benchmarks/history_speed.py [SESSIONS] [RUNS]
Target: each at most 300 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(home: Path, n: int) -> None:
    os.environ["MLSD_DRILL_HOME"] = str(home)
    from mlsd_drill import bank, scheduler
    from mlsd_drill.history import History, SessionRecord

    b = bank.load([ROOT])
    qs = list(b.questions.values())
    rng = random.Random(3)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    records = []
    for i in range(n):
        q = rng.choice(qs)
        rub = b.rubric_for(q.id)
        when = (start + timedelta(minutes=55 * i)).isoformat(timespec="seconds")
        base = rng.uniform(20, 90)
        stages = [
            {
                "stage": s.name,
                "answer": "lorem " * 80,
                "budget": s.minutes * 60,
                "elapsed": s.minutes * 60 * rng.uniform(0.6, 1.4),
                "overtime": max(0.0, s.minutes * 60 * (rng.uniform(0.6, 1.4) - 1)),
                "auto_pct": base,
                "self_pct": base + rng.uniform(-10, 10),
                "followup_ask": "why?",
                "followup_reply": "because",
                "auto_submitted": False,
            }
            for s in q.stages
        ]
        items = [
            {
                "id": it.id,
                "stage": it.stage,
                "text": it.text,
                "why": it.why,
                "weight": it.weight,
                "level": it.level,
                "auto_hit": rng.random() < base / 100,
                "self_hit": rng.random() < base / 100,
                "evidence": None,
                "found_in": None,
            }
            for it in rub.items
        ]
        records.append(
            SessionRecord(
                f"gen{i:06d}",
                q.id,
                q.title,
                list(q.tags),
                q.difficulty,
                "drill",
                when,
                when,
                base,
                base,
                "mid",
                rng.randint(1, 4),
                False,
                None,
                400,
                stages,
                items,
            )
        )
    with History() as h:
        h.import_records(records)
        for q in qs:
            scheduler.review(h, q.id, rng.randint(1, 4), when=start + timedelta(days=400))


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    home = Path(tempfile.mkdtemp()) / "home"
    t = time.perf_counter()
    generate(home, n)
    print(
        f"generated {n:,} sessions in {time.perf_counter() - t:.1f} s "
        f"({(home / 'history.sqlite3').stat().st_size / 1e6:.0f} MB)"
    )
    env = dict(os.environ, MLSD_DRILL_HOME=str(home), COLUMNS="100")
    py = sys.executable
    cases = {
        "mlsd --help (baseline)": [py, "-m", "mlsd_drill", "--help"],
        "mlsd stats": [py, "-m", "mlsd_drill", "stats"],
        "mlsd next": [py, "-m", "mlsd_drill", "next"],
    }
    for cmd in cases.values():
        timed(cmd, env)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(runs):
        for k, cmd in cases.items():
            samples[k].append(timed(cmd, env))
    med = {k: statistics.median(v) for k, v in samples.items()}
    for k, v in med.items():
        print(f"{k:24} {v:7.1f} ms (median of {runs})")
    base = med["mlsd --help (baseline)"]
    for k in ("mlsd stats", "mlsd next"):
        print(f"{k}: {med[k]:.0f} ms, {med[k] / base:.2f}x start-up (target <= 300 ms)")


if __name__ == "__main__":
    main()
