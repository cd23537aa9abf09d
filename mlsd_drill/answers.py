"""Reading answer files and scoring their text."""

from __future__ import annotations

from typing import TextIO

from mlsd_drill.answer import parse_markdown
from mlsd_drill.errors import AnswerError
from mlsd_drill.model import Rubric, ScoreResult
from mlsd_drill.scoring import score

MAX_ANSWER_BYTES = 1024 * 1024


def read_answer_file(name: str, stdin: TextIO) -> str:
    """The text of an answer file (`-` for standard input), or a clear AnswerError."""
    if name == "-":
        data = stdin.buffer.read(MAX_ANSWER_BYTES + 1) if hasattr(stdin, "buffer") else stdin.read().encode()
        label = "standard input"
    else:
        from pathlib import Path

        path = Path(name)
        label = name
        if not path.exists():
            raise AnswerError(f"{name}: no such file")
        if path.is_dir():
            raise AnswerError(f"{name}: is a folder, not an answer file")
        try:
            if path.stat().st_size > MAX_ANSWER_BYTES:
                raise AnswerError(f"{name}: file is over 1 MiB; answers are limited to 1 MiB")
            data = path.read_bytes()
        except OSError as e:
            raise AnswerError(f"{name}: cannot read ({e.strerror or e})") from None
    if len(data) > MAX_ANSWER_BYTES:
        raise AnswerError(f"{label}: over 1 MiB; answers are limited to 1 MiB")
    if b"\x00" in data:
        raise AnswerError(f"{label}: binary file, not a text answer")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswerError(f"{label}: not UTF-8 text") from None


def score_text(text: str, rubric: Rubric) -> ScoreResult:
    return score(parse_markdown(text), rubric)
