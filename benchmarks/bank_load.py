"""Loading and validating a generated bank of 1,000 questions (and their rubrics),
cold (YAML parsed) and warm (question index cached), beside the bundled bank.

Usage: python benchmarks/bank_load.py [N]
Target: 1,000 questions loaded and validated in under 1 second.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gen_bank import generate  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    tmp = Path(tempfile.mkdtemp())
    os.environ["MLSD_DRILL_HOME"] = str(tmp / "home")
    root = generate(tmp / "bank", n)
    from mlsd_drill import bank

    def run(fn) -> float:  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    import yaml

    files = sorted((root / "questions").glob("*.yaml")) + sorted((root / "rubrics").glob("*.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    baseline = [run(lambda: [yaml.load(f.read_text(), Loader=loader) for f in files]) for _ in range(3)]
    validate = [run(lambda: bank.validate([root])) for _ in range(3)]
    base, val = statistics.median(baseline), statistics.median(validate)
    print(f"baseline: PyYAML's C loader alone, no checks:           median {base:.2f} s")
    print(f"validate {n:,} questions + rubrics (every file parsed): median {val:.2f} s ({val / base:.2f}x)")
    cold = run(lambda: bank.load([root]))
    warm = [run(lambda: bank.load([root], rubrics=False)) for _ in range(3)]
    print(f"load for use, first time (parse, fill cache):            {cold:.2f} s")
    print(
        f"load questions for `mlsd list`, cache warm:               median {statistics.median(warm) * 1000:.0f} ms"
    )
    bundled = [run(lambda: bank.validate([ROOT])) for _ in range(5)]
    per_q = statistics.median(bundled) / 15
    print(
        f"bundled bank (15 questions, rich content): {statistics.median(bundled) * 1000:.0f} ms, {per_q * 1000:.1f} ms/question"
    )
    print(
        f"target: under 1 s for {n:,} questions -> {'met' if statistics.median(validate) < 1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
