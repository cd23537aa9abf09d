"""`mlsd list` without rich: a plain aligned table, so listing stays as fast as a bare Typer app.

The start-up benchmark holds `mlsd list` to 1.3x a minimal Typer command;
importing rich's console and table alone would take most of that margin.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence

from mlsd_drill.model import Question, clean

_COLOURS = {"easy": "32", "medium": "33", "hard": "31", "id": "36", "dim": "2", "bold": "1"}


def _use_colour(stream: object) -> bool:
    return (
        bool(getattr(stream, "isatty", lambda: False)())
        and "NO_COLOR" not in os.environ
        and os.environ.get("TERM") != "dumb"
    )


def _paint(text: str, key: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[key]}m{text}\x1b[0m" if colour and key in _COLOURS else text


def _cells(text: str) -> int:
    """Columns a string takes in a terminal: wide (Chinese, Japanese, Korean) characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def _wrap(text: str, width: int, whole: bool = False) -> list[str]:
    """textwrap.wrap by terminal columns: a run of wide characters with no spaces breaks anywhere.
    With `whole`, ASCII words are never split ("real-time" split as "real-" / "time" hid a tag
    from `mlsd list | grep real-time`)."""
    if text.isascii():
        return textwrap.wrap(text, width, break_on_hyphens=not whole, break_long_words=not whole)
    lines: list[str] = []
    line = ""
    for word in text.split():
        while _cells(word) > width:  # too long for any line: cut it
            room = width - _cells(line) - (1 if line else 0)
            cut = 0
            while cut < len(word) and _cells(word[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                lines.append(line)
                line = ""
                continue
            lines.append(f"{line} {word[:cut]}" if line else word[:cut])
            line, word = "", word[cut:]
        if not word:
            continue
        if line and _cells(line) + 1 + _cells(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def render(questions: Sequence[Question], width: int | None = None, colour: bool = False) -> str:
    """The table as text: id, title (wrapped), difficulty, tags (wrapped)."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    rows = [(clean(q.id), clean(q.title), q.difficulty, clean(", ".join(q.tags))) for q in questions]
    head = ("id", "title", "difficulty", "tags")
    w_id = max(len(head[0]), *(_cells(r[0]) for r in rows))
    w_diff = len(head[2])
    rest = width - w_id - w_diff - 6  # two spaces between four columns
    longest_tag = max((_cells(t) + 1 for q in questions for t in q.tags), default=8)
    w_tags = max(8, longest_tag, rest * 2 // 5)  # a tag is never split
    w_title = rest - w_tags
    if w_title < 20:
        return _stacked(rows, width, colour)  # no room for four columns side by side
    lines = [
        "  ".join(
            (
                _paint(head[0].ljust(w_id), "bold", colour),
                _paint(head[1].ljust(w_title), "bold", colour),
                _paint(head[2].ljust(w_diff), "bold", colour),
                _paint(head[3], "bold", colour),
            )
        )
    ]
    for qid, title, diff, tags in rows:
        t_lines = _wrap(title, w_title) or [""]
        g_lines = _wrap(tags, w_tags, whole=True) or [""]
        for k in range(max(len(t_lines), len(g_lines))):
            cells = (
                _paint(_pad(qid if k == 0 else "", w_id), "id", colour),
                _pad(t_lines[k] if k < len(t_lines) else "", w_title),
                _paint((diff if k == 0 else "").ljust(w_diff), diff, colour),
                _paint(g_lines[k] if k < len(g_lines) else "", "dim", colour),
            )
            lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _stacked(rows: list[tuple[str, str, str, str]], width: int, colour: bool) -> str:
    """A narrow terminal: each question as a block - id and difficulty, then its title and
    tags indented under it - rather than columns wider than the screen."""
    out: list[str] = []
    for qid, title, diff, tags in rows:
        out.append(f"{_paint(qid, 'id', colour)}  {_paint(diff, diff, colour)}")
        out += [f"  {line}" for line in _wrap(title, max(10, width - 2))]
        out += [f"  {_paint(line, 'dim', colour)}" for line in _wrap(tags, max(10, width - 2), whole=True)]
    return "\n".join(out) + "\n"


def print_table(questions: Iterable[Question]) -> None:
    qs = list(questions)
    colour = _use_colour(sys.stdout)
    if not qs:
        sys.stdout.write(_paint("No questions match.", "medium", colour) + "\n")
        return
    sys.stdout.write(render(qs, colour=colour))
    count = "1 question" if len(qs) == 1 else f"{len(qs)} questions"
    sys.stdout.write(_paint(f"\n{count}. Start one with: mlsd drill ID", "dim", colour) + "\n")
