"""Start-up time of `mlsd --help` and `mlsd list` against a minimal one-command
Typer app, measured side by side in the same run (interleaved, median of N).

Usage: python benchmarks/startup.py [RUNS]
Targets: `mlsd --help` <= 1.15x the minimal app; `mlsd list` <= 1.3x.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


app()
'''


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    tmp = Path(tempfile.mkdtemp())
    minimal = tmp / "minimal_app.py"
    minimal.write_text(MINIMAL)
    env = dict(os.environ, MLSD_DRILL_HOME=str(tmp / "home"), COLUMNS="100")
    py = sys.executable
    cases = {
        "minimal typer --help": [py, str(minimal), "--help"],
        "minimal typer hello": [py, str(minimal)],
        "mlsd --help": [py, "-m", "mlsd_drill", "--help"],
        "mlsd list": [py, "-m", "mlsd_drill", "list"],
    }
    for cmd in cases.values():  # warm the file cache
        timed(cmd, env)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(runs):
        for name, cmd in cases.items():  # interleaved, so load on the machine hits all alike
            samples[name].append(timed(cmd, env))
    med = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    for k, v in med.items():
        print(f"{k:24} {v:7.1f} ms (median of {runs})")
    print(
        f"ratio mlsd --help / minimal --help: {med['mlsd --help'] / med['minimal typer --help']:.2f}x (target <= 1.15x)"
    )
    print(
        f"ratio mlsd list / minimal hello:   {med['mlsd list'] / med['minimal typer hello']:.2f}x (target <= 1.30x)"
    )


if __name__ == "__main__":
    main()
