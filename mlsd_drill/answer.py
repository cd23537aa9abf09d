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
    "scope scoping problem framing assumptions goal goals objective objectives questions ask asks",
    "data": "data dataset datasets feature features labels labelling labeling preprocessing",
    "model": "model models modelling modeling training evaluation algorithm algorithms "
    "approach architecture-model metrics offline",
    "serve": "serve serving deployment deploy deploying inference production system "
    "architecture online infrastructure",
    "monitor": "monitor monitoring maintenance observability iteration operations drift retraining alerting",
}.items():
    for _w in _words.split():
        STAGE_WORDS[_w] = _stage

# Stage words that name a part of a design doc more than a stage of the interview: a
# design doc's "## Approach" holds the data and the model, its "## Architecture" the
# serving and often the model. A point found under such a heading is not flagged as made
# under another stage (of 32 found so in the labelled corpora, 30 were right).
BROAD_STAGE_WORDS = frozenset(
    "approach architecture evaluation metrics offline online system production infrastructure operations".split()
)

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
# Headings typed without Markdown marks: "**Data**", "Serving:", "3. Model",
# "Step 4 - Serving", "MONITORING", or a bare "clarify" in terse notes.
_NUMBERING = re.compile(
    r"^(?:\d{1,2}[.)]|[ivx]{1,4}[.)]|(?:step|part|stage|phase)\b\s*(?:\d{1,2}|[ivx]{1,4}\b)?\s*[:.)-]?)\s*",
    re.IGNORECASE,
)
# A title set off by rules or brackets: "-- Serving --", "[Serving]", "<< Serving >>"
_DECORATED = re.compile(r"^(?:-{2,}|={2,}|~{2,}|\[|<<)\s*(.*?)\s*(?:-{2,}|={2,}|~{2,}|\]|>>)$")
_BOLD = ("**", "__", "*", "_")  # bold, or italic ("*Serving*")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.IGNORECASE)  # pasted from a web page
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")  # at any depth: a list item may hold a code block
_LETTERS = re.compile(r"[^\W\d_]+")
_FILLER = frozenset("and the of step stage part my our".split())
MIN_BODY_WORDS = 8  # a heading's own words count only over a section with this much in it
MIN_HEADING_WORDS = 3  # content words (a Chinese character is one): "## Problem framing" names a topic
MAX_PSEUDO_WORDS = 6
_BARE_STAGE_WORDS = frozenset(
    "clarify clarifying clarification data model models modeling modelling serve serving deployment "
    "monitor monitoring and step stage part".split()
)


def stages_of_heading(title: str) -> list[str]:
    """Every stage a heading names, in the order it names them."""
    out: list[str] = []
    for word in _LETTERS.findall(title.lower()):
        named = word if word in STAGES else STAGE_WORDS.get(word)
        if named is not None and named not in out:
            out.append(named)
    return out


def names_stage_broadly(title: str) -> bool:
    """Does a heading name its stages only by broad words ("Approach", "System architecture",
    "Offline evaluation"), none of the stage's own ("Model", "Serving", "Training data")?"""
    words = [w for w in _LETTERS.findall(title.lower()) if w in STAGES or w in STAGE_WORDS]
    return bool(words) and all(w in BROAD_STAGE_WORDS for w in words)


def stage_of_heading(title: str) -> str | None:
    named = stages_of_heading(title)
    return named[0] if named else None


def _heading_at(lines: list[str], i: int) -> tuple[str, int, int] | None:
    """The heading starting at line i - (title, level, lines it takes) - or None."""
    m = _HEADING.match(lines[i])
    if m:
        return m.group(2), len(m.group(1)), 1
    if "<h" in lines[i] and (h := _HTML_HEADING.match(lines[i])):
        return h.group(2).strip(), int(h.group(1)), 1
    line = lines[i]
    if (
        line.strip()
        and i + 1 < len(lines)
        and _SETEXT.match(lines[i + 1])
        and not re.match(r"^\s{0,3}([-*+]|\d+[.)])\s", line)
    ):
        return line.strip(), 1 if lines[i + 1].lstrip().startswith("=") else 2, 2
    return None


def _pseudo_heading(line: str) -> tuple[str, int] | None:
    """The title of a line that stands as a heading without Markdown marks, and its
    kind as a level (bold, "#" without a space, numbered, capitals, "Label:", bare
    word: each kind its own level below Markdown's), or None.

    A short line that is a stage's name counts ("Serving:", "3. Model", "clarify"),
    and so does a bold line of its own, whatever it says ("**Keeping it working**");
    a line that goes on after its colon ("Serving: a REST endpoint"), ends a
    sentence ("Then monitoring.") or only mentions a stage ("velocity features per
    card") is text, not a heading.
    """
    if len(line) - len(line.lstrip(" ")) > 3 or line.startswith("\t"):
        return None  # indented: code or a list item's continuation
    stripped = line.strip()
    decorated = _DECORATED.match(stripped)
    title = decorated.group(1) if decorated else re.sub(r"^#{1,6}(?=\w)", "", stripped)  # "##Clarify": no space
    hashed = title != stripped and not decorated
    if not title or title.startswith(("-", "+", "#", ">", "|")):
        return None
    numbered = bool(_NUMBERING.match(title))
    title = _NUMBERING.sub("", title).rstrip(": ")
    bold = False
    for mark in _BOLD:
        if (
            len(title) > 2 * len(mark)
            and title.startswith(mark)
            and title.endswith(mark)
            and not title[len(mark)].isspace()  # "* item *" is a list item, not emphasis
        ):
            title = _NUMBERING.sub("", title[len(mark) : -len(mark)].strip()).rstrip(": ")  # "**1. Clarify**"
            bold = len(mark) == 2  # an italic line heads a stage only when it names one ("*Serving*")
            break
    if not title or any(ch in title for ch in ":.!?*`[]") or len(title.split()) > MAX_PSEUDO_WORDS + 4 * bold:
        return None
    if not bold and not (stages_of_heading(title) and _only_stage_words(title)):
        return None
    kinds = (bold, hashed, numbered, title.isupper(), stripped.endswith(":"), True)
    return title, -1 - kinds.index(True)


def _only_stage_words(title: str) -> bool:
    """Is a heading a stage's name and no more ("Data", "Training data", "3. Model and metrics")?"""
    return all(w in STAGE_WORDS or w in STAGES or w in _FILLER for w in _LETTERS.findall(title.lower()))


def _says_more_than_a_stage(title: str) -> bool:
    """Whether a heading carries words of its own ("Business goal", "Scope and
    assumptions"), not only a stage's name ("Serving", "3. Data and modelling")."""
    return any(w not in _BARE_STAGE_WORDS for w in _LETTERS.findall(title.lower()))


def _walk_stages(headings: list[tuple[str, int]]) -> list[str | None]:
    """The stage each heading opens, or None for a heading that stays in the current stage.

    Headings open stages at the stage level, the level most stage-naming headings
    stand at; elsewhere only a heading that is a stage's name and no more does
    ("# Data" among "## ..." stages), so a title ("# A fraud detection system")
    or a topic ("### Data quality" under Monitoring) stays where it is. A
    heading naming a stage opens it; one naming several ("Training data") opens
    the one that comes right after the stage before it. A heading naming only the
    stage already open stays, and so does one off the stage level that names the
    stage already open ("### Training data" under "## Data"); one at the stage level
    naming one earlier stage and no other goes back to it (a design doc's "## Evaluation"
    after "## Architecture").
    Headings in the candidate's own words ("What I'd ask first", "Keeping it
    working") at the stage level take the stages the walk skips, when exactly as
    many stages are skipped as such headings stand in the gap (so five headings at
    one level, none naming a stage, walk through all five).
    """
    named = [stages_of_heading(t) for t, _ in headings]
    levels = [lv for (_, lv), n in zip(headings, named, strict=True) if n]
    if not levels:
        # no heading names a stage: five headings at one level walk through the five
        by_level = [lv for _, lv in headings]
        five = [lv for lv in set(by_level) if by_level.count(lv) == len(STAGES)]
        if len(five) != 1:
            return [None] * len(headings)
        level = five[0]
    else:
        # the level whose headings name the most different stages (stage headings span the
        # interview; topics under them cluster in a few), the shallower on a tie
        spans: dict[int, set[str]] = {lv: set() for lv in levels}
        for (_, lv), n in zip(headings, named, strict=True):
            if n:
                spans[lv].update(n)
        level = min(spans, key=lambda lv: (-len(spans[lv]), lv))
    stays = "stays"  # a stage-level heading naming a stage that opens nothing new
    out: list[str | None] = []
    prev = -1  # index in STAGES of the stage open so far
    for (title, lv), n in zip(headings, named, strict=True):
        if not n or (lv != level and not _only_stage_words(title)):
            out.append(None)
            continue
        later = [st for st in n if STAGES.index(st) > prev]
        if not later and lv == level and len(n) == 1 and STAGES.index(n[0]) < prev:
            out.append(n[0])  # a design doc's "## Evaluation" after "## Architecture" goes back
            continue
        if not later or (lv != level and prev >= 0 and STAGES[prev] in n):
            out.append(stays)  # "### Training data" under Data; "## Serving and evaluation" moves on
            continue
        after = [st for st in later if STAGES.index(st) == prev + 1]
        pick = after[0] if after else later[0]
        out.append(pick)
        prev = STAGES.index(pick)
    # fill gaps: runs of stage-level headings naming no stage between named ones
    run: list[int] = []
    prev = -1
    for k, ((_, lv), st) in enumerate([*zip(headings, out, strict=True), (("", level), "end")]):
        if lv != level or st == stays:
            continue
        if st is None:
            run.append(k)
            continue
        nxt = len(STAGES) if st == "end" else STAGES.index(st)
        if run and nxt - prev - 1 == len(run):
            for j, idx in enumerate(run):
                out[idx] = STAGES[prev + 1 + j]
        run = []
        if st != "end":
            prev = max(prev, nxt)  # after going back, the gap still runs from the furthest stage
    return [None if st == stays else st for st in out]


def parse_markdown(text: str) -> Answer:
    """Split a Markdown answer at headings that name a stage.

    Text before the first stage heading belongs to no stage; a heading that
    names no stage ("### Candidate generation") stays in the current stage,
    unless it stands where the walk through the stages skips one (see
    `_walk_stages`).
    """
    lines = _plain(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    blocks = _blocks(lines, pseudo=False)
    if not any(stages_of_heading(h[0]) for h, _ in blocks[1:] if h is not None):
        # no Markdown heading names a stage: headings typed without marks, if there are some
        with_pseudo = _blocks(lines, pseudo=True)
        if sum(h is not None and h[1] < 0 for h, _ in with_pseudo) >= 2:
            blocks = with_pseudo
    opened = _walk_stages([h for h, _ in blocks[1:] if h is not None])
    sections: list[Section] = []
    stage: str | None = None
    broad = False
    buf: list[str] = []
    for (heading, body), st in zip(blocks, [None, *opened], strict=True):
        if heading is not None and st is not None:
            if "\n".join(buf).strip():
                sections.append(Section(stage, "\n".join(buf).strip("\n"), broad))
            buf = []
            stage = st
            broad = names_stage_broadly(heading[0])
        buf.extend(body)
    if "\n".join(buf).strip():
        sections.append(Section(stage, "\n".join(buf).strip("\n"), broad))
    return Answer(tuple(sections))


# Struck-through text is text taken back ("~~shadow mode~~"); a link reads as its words
# ("[quantile regression](https://...)" is "quantile regression"); a web address says nothing
# ("https://example.com/switchback-experiments" made three points).
_STRUCK = re.compile(r"~~(?=\S)[^\n]*?(?<=\S)~~")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_URL = re.compile(r"<?\b(?:https?://|www\.)[^\s<>()]*[^\s<>().,;:!?'\"]>?")


def _plain(text: str) -> str:
    # a one-character test first: it costs nothing, where a search for "~~" costs 25 us
    if "~" in text and "~~" in text:
        text = _STRUCK.sub("", text)
    if "]" in text and "](" in text:
        text = _LINK.sub(r"\1", text)
    if "://" in text or "www." in text:
        text = _URL.sub("", text)
    return text


def _blocks(lines: list[str], pseudo: bool) -> list[tuple[tuple[str, int] | None, list[str]]]:
    """The lines split at headings: (heading title and level, body lines), the first
    block with no heading. With `pseudo`, stage headings typed without Markdown
    marks count too, each kind at a level of its own above Markdown's."""
    blocks: list[tuple[tuple[str, int] | None, list[str]]] = [(None, [])]
    i = 0
    fence = ""  # the fence of the code block we are in: "# a comment" there is code, not a heading
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and (not fence or (m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence))):
            fence = "" if fence else m.group(1)
        if fence or m:
            blocks[-1][1].append(lines[i])
            i += 1
            continue
        found = _heading_at(lines, i)
        if found is None and pseudo and (typed := _pseudo_heading(lines[i])) is not None:
            found = (typed[0], typed[1], 1)
        if found is None:
            blocks[-1][1].append(lines[i])
            i += 1
            continue
        title, level, taken = found
        blocks.append(((title, level), []))
        i += taken
    from mlsd_drill.text import phrase_tokens

    for k, (heading, body) in enumerate(blocks):
        # a title that says more than a stage's name stays in the text, as a paragraph of its
        # own ("## First, what does success look like?" makes a point), over a section that
        # has something in it (a template's "## Serving and A/B testing" over "TBD" does not)
        if (
            heading is not None
            and _says_more_than_a_stage(heading[0])
            and len(phrase_tokens(heading[0])) >= MIN_HEADING_WORDS  # "Problem framing" is a title
            and sum(len(line.split()) for line in body) >= MIN_BODY_WORDS
        ):
            blocks[k] = (heading, ["", heading[0], "", *body])
    return blocks


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
    utf16 = _utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: binary, below
    if b"\x00" in data:
        raise AnswerError(f"{label}: binary file, not a text answer")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        where = "FILE" if label == "standard input" else label
        raise AnswerError(
            f"{label}: not UTF-8 text (from Latin-1 or Windows-1252, `iconv -f cp1252 -t utf-8 {where}` converts it)"
        ) from None


def _utf16(data: bytes) -> str | None:
    """The codec of a UTF-16 text (what Windows Notepad saves as "Unicode"), or None: a byte
    order mark, or the zero bytes of ASCII text standing at every other place."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def score_text(text: str, rubric: Rubric, given: tuple[str, ...] = ()) -> ScoreResult:
    """Score a Markdown answer; `given`: the question's own text (see `scoring.score`)."""
    from mlsd_drill.scoring import score

    return score(parse_markdown(text), rubric, given)
