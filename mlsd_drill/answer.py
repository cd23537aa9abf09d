"""Answers as users write them: reading answer files and splitting Markdown into stage sections."""

from __future__ import annotations

import re
from typing import TextIO

from mlsd_drill.errors import AnswerError
from mlsd_drill.model import STAGES, Answer, Rubric, ScoreResult, Section

# Words in a heading that name a stage; the first stage word found wins, so
# "Data and features" is data and "Serving & monitoring" is serve.
STAGE_WORDS: dict[str, str] = {}
for _stage, _words in {
    "clarify": "clarify clarifying clarification clarifications requirement requirements "
    "scope scoping problem framing assumptions goals objectives questions",
    "data": "data dataset datasets feature features labels labelling labeling preprocessing",
    "model": "model models modelling modeling training evaluation algorithm algorithms "
    "approach architecture-model metrics offline",
    "serve": "serve serving deployment deploy deploying inference production system "
    "architecture online infrastructure",
    "monitor": "monitor monitoring maintenance observability iteration operations drift retraining alerting",
}.items():
    for _w in _words.split():
        STAGE_WORDS[_w] = _stage

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_WORD = re.compile(r"[a-z]+")


def stage_of_heading(title: str) -> str | None:
    for word in _WORD.findall(title.lower()):
        if word in STAGES:
            return str(word)
        if word in STAGE_WORDS:
            return STAGE_WORDS[word]
    return None


def parse_markdown(text: str) -> Answer:
    """Split a Markdown answer at headings that name a stage.

    Text before the first stage heading belongs to no stage; a heading that
    names no stage ("### Candidate generation") stays in the current stage.
    """
    sections: list[Section] = []
    stage: str | None = None
    buf: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def flush() -> None:
        body = "\n".join(buf).strip("\n")
        if body.strip():
            sections.append(Section(stage, body))
        buf.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEADING.match(line)
        heading = m.group(2) if m else None
        if (
            heading is None
            and line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not re.match(r"^\s{0,3}([-*+]|\d+[.)])\s", line)
        ):
            heading = line.strip()
            i += 1  # skip the underline
        if heading is not None:
            named = stage_of_heading(heading)
            if named is not None:
                flush()
                stage = named
            i += 1
            continue
        buf.append(line)
        i += 1
    flush()
    return Answer(tuple(sections))


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
    from mlsd_drill.scoring import score

    return score(parse_markdown(text), rubric)
