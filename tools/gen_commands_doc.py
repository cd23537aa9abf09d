"""Write docs/commands.md from the commands' own --help, so the two never drift apart.

Usage: python tools/gen_commands_doc.py [--check]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMANDS = [
    ["drill"],
    ["resume"],
    ["list"],
    ["show"],
    ["score"],
    ["history"],
    ["review"],
    ["export"],
    ["import"],
    ["stats"],
    ["next"],
    ["bank", "validate"],
    ["bank", "schema"],
]

HEAD = """# Command reference

Generated from `mlsd COMMAND --help` by `tools/gen_commands_doc.py`; a test
checks it is in step. Every command that reads questions takes `--bank DIR`
(repeatable; when given, only those banks are used). Exit codes: 0 success,
1 problems found (e.g. `bank validate`), 2 bad input (unknown id, unreadable
file, not a terminal), 130 interrupted (a drill saved for `mlsd resume`).
"""


def render() -> str:
    from typer.testing import CliRunner

    from mlsd_drill.cli import app

    os.environ["COLUMNS"] = "100"
    runner = CliRunner()
    parts = [HEAD]
    top = runner.invoke(app, ["--help"], prog_name="mlsd", terminal_width=100).stdout
    parts.append("## mlsd\n\n```text\n" + top.strip() + "\n```\n")
    for cmd in COMMANDS:
        out = runner.invoke(app, [*cmd, "--help"], prog_name="mlsd", terminal_width=100).stdout
        parts.append(f"## mlsd {' '.join(cmd)}\n\n```text\n" + out.strip() + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    target = ROOT / "docs" / "commands.md"
    text = render()
    if "--check" in sys.argv:
        return 0 if target.exists() and target.read_text() == text else 1
    target.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
