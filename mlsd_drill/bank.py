"""Find, load and validate question banks.

A bank is a folder with `questions/<id>.yaml` and `rubrics/<id>.yaml` (see
docs/bank-format.md). Validation reports every problem with its file and
line; loading for use skips a broken file with a one-line warning instead of
failing the whole command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mlsd_drill import bankstyle, paths
from mlsd_drill.errors import BankError, closest
from mlsd_drill.model import (
    DEFAULT_MINUTES,
    DEFAULT_PROMPTS,
    DIFFICULTIES,
    LEVELS,
    STAGES,
    UNSAFE_CHARS,
    Bank,
    Followup,
    Item,
    Problem,
    Question,
    Rubric,
    Signal,
    StageSpec,
)
from mlsd_drill.yamlio import Located

if TYPE_CHECKING:
    from mlsd_drill.bankcache import BankCache

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit, in any alphabet
_PUNCT = ".,;:!?()[]{}'\"-"

QUESTION_KEYS = {"id", "title", "prompt", "tags", "difficulty", "stages", "followups", "reference", "rubric"}
QUESTION_REQUIRED = ("title", "prompt", "difficulty")  # the id is the file's name; tags may be left out
STAGE_KEYS = {"minutes", "prompt", "hints"}
FOLLOWUP_KEYS = {"stage", "ask"}
RUBRIC_KEYS = {"question", "items"}
ITEM_KEYS = {"id", "stage", "text", "weight", "level", "signals", "parts", "why", "replaces"}
ITEM_REQUIRED = ("stage", "text", "signals", "why")  # an id left out is made from the text
COMMON_FILE = "common.yaml"


# --------------------------------------------------------------------------- discovery


def default_bank_dirs() -> list[Path]:
    """The bundled bank, the user's bank (if present) and every `MLSD_BANKS` entry."""
    dirs = [paths.bundled_bank_dir()]
    user = paths.user_bank_dir()
    if (user / "questions").is_dir():
        dirs.append(user)
    for entry in os.environ.get("MLSD_BANKS", "").split(os.pathsep):
        if entry.strip():
            dirs.append(Path(entry.strip()).expanduser())
    return dirs


def resolve_bank_dirs(given: Sequence[Path] | None) -> list[Path]:
    """The banks a command reads: only those given with `--bank`, else the defaults."""
    dirs = list(given) if given else default_bank_dirs()
    out: list[Path] = []
    for d in dirs:
        d = d.expanduser()
        if d.name in ("questions", "rubrics") and not (d / "questions").is_dir():
            d = d.parent  # be kind to `--bank mybank/questions`
        if d.exists() and not d.is_dir():
            raise BankError(f"{d}: is a file; a bank is a folder holding questions/ and rubrics/")
        if not d.is_dir():
            raise BankError(f"{d}: no such bank folder")
        if not (d / "questions").is_dir() and not _yaml_files(d):
            raise BankError(
                f"{d}: not a bank (a bank folder holds questions/ and rubrics/, or question files with their rubrics)"
            )
        resolved = d.resolve()
        if resolved not in out:
            out.append(resolved)
    return out


def questions_dir(bank_dir: Path) -> Path:
    """Where a bank's question files are: its questions/ folder, or, in a bank without one,
    the bank folder itself (a folder of question files, each with its rubric inside)."""
    folder = bank_dir / "questions"
    return folder if folder.is_dir() else bank_dir


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


# --------------------------------------------------------------------------- checks


class _Checker:
    """Collects problems for one document."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        # one search of the whole file spares one per string when it is clean
        # (a backslash may be a YAML escape that produces a control character)
        self.clean = doc.text is not None and "\\" not in doc.text and not UNSAFE_CHARS.search(doc.text)
        for line, key in doc.duplicate_keys:
            self.problems.append(Problem(doc.file, line, f"duplicate key '{key}'"))

    def add(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), message))

    def mapping(
        self, value: Any, path: tuple[Any, ...], allowed: set[str], what: str, meant: dict[str, str] | None = None
    ) -> bool:
        """Is `value` a mapping of allowed keys? A key written another way that plainly means
        one of them ("Signals", "keywords" for "signals") is renamed to it in place, unless
        that key is there too."""
        if not isinstance(value, dict):
            self.add(path, f"{what} must be a mapping, not {_kind(value)}")
            return False
        if allowed.issuperset(value):
            return True  # (most mappings)
        for key in list(value):
            if key in allowed:
                continue
            name = bankstyle.key_meant(key, allowed, meant)
            if name and name not in value:
                value[name] = value.pop(key)
                self.doc.rename((*path, key), (*path, name))
                if str(key).strip().lower() != name:  # (a key in capitals is plainly the same key)
                    self.doc.read_as[str(key)] = name
            else:
                hint = f" (did you mean '{name}'?)" if name else _suggest(str(key), allowed)
                self.add((*path, key), f"unknown key '{key}' in {what}{hint}")
        return True

    def text(self, value: Any, path: tuple[Any, ...], name: str, *, one_line: bool = False) -> bool:
        if not isinstance(value, str):
            self.add(path, f"'{name}' must be text, not {_kind(value)}")
            return False
        if not value.strip():
            self.add(path, f"'{name}' is empty")
            return False
        bad = None if self.clean else UNSAFE_CHARS.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self.add(path, f"'{name}' contains a control character or escape sequence ({code})")
            return False
        if one_line and "\n" in value.strip():
            self.add(path, f"'{name}' must be one line")
            return False
        return True

    def stage(self, value: Any, path: tuple[Any, ...]) -> bool:
        if value not in STAGES:
            hint = _suggest(str(value), set(STAGES))
            self.add(path, f"unknown stage '{value}'{hint}; stages are {', '.join(STAGES)}")
            return False
        return True


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), f"a {type(value).__name__}")


def _suggest(word: str, options: Iterable[str]) -> str:
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""


def check_question(doc: Located) -> tuple[Question | None, list[Problem]]:
    q, _, problems = check_question_file(doc)
    return q, problems


def check_question_file(doc: Located) -> tuple[Question | None, Rubric | None, list[Problem]]:
    """A question file: the question, the rubric written inside it (`rubric:`, if any) and
    the problems. A problem anywhere in the file leaves both out: the file is one unit."""
    c = _Checker(doc)
    v = doc.value
    if not c.mapping(v, (), QUESTION_KEYS, "a question file", bankstyle.QUESTION_KEYS_MEANT):
        return None, None, c.problems
    bankstyle.tidy_question(v)
    for key in QUESTION_REQUIRED:
        if key not in v:
            c.add((), f"missing required key '{key}'")
    stem = doc.file.stem
    qid = v.get("id", stem)
    if "id" not in v and not SLUG.match(stem):
        c.add((), f"missing 'id': add one, or name the file as one, like 'churn-prediction.yaml', not '{doc.file.name}'")
    elif "id" in v:
        if not isinstance(qid, str):
            c.add(("id",), f"id {qid!r} must be text: put it in quotes")
        elif not SLUG.match(qid):
            c.add(("id",), f"id '{qid}' must be a lower-case slug like 'ad-click-prediction'")
        elif qid != stem:
            c.add(("id",), f"id '{qid}' must equal the file name '{stem}'")
    if "title" in v:
        c.text(v["title"], ("title",), "title", one_line=True)
    if "prompt" in v:
        c.text(v["prompt"], ("prompt",), "prompt")
    tags = v.get("tags")
    if "tags" in v:
        if not isinstance(tags, list):
            c.add(("tags",), f"'tags' must be a list, not {_kind(tags)}")
        else:
            for i, t in enumerate(tags):
                c.text(t, ("tags", i), "tag", one_line=True)
    if "difficulty" in v and v["difficulty"] not in DIFFICULTIES:
        c.add(("difficulty",), f"difficulty '{v['difficulty']}' must be one of easy, medium, hard")

    stage_specs: list[StageSpec] = []
    overrides = v.get("stages") or {}
    if "stages" in v and c.mapping(overrides, ("stages",), set(STAGES), "stages"):
        for name, spec in overrides.items():
            path = ("stages", name)
            if name not in STAGES:
                continue
            if not c.mapping(spec, path, STAGE_KEYS, f"stage '{name}'"):
                continue
            if "minutes" in spec:
                m = spec["minutes"]
                if isinstance(m, bool) or not isinstance(m, (int, float)) or not 0 < m <= 180:
                    c.add((*path, "minutes"), f"minutes must be a number from 0 to 180, not {m!r}")
            if "prompt" in spec:
                c.text(spec["prompt"], (*path, "prompt"), "prompt")
            if "hints" in spec:
                hints = spec["hints"]
                if not isinstance(hints, list):
                    c.add((*path, "hints"), f"'hints' must be a list, not {_kind(hints)}")
                else:
                    for i, h in enumerate(hints):
                        c.text(h, (*path, "hints", i), "hint")
    followups = v.get("followups")
    if "followups" in v:
        if not isinstance(followups, list):
            c.add(("followups",), f"'followups' must be a list, not {_kind(followups)}")
        else:
            for i, f in enumerate(followups):
                path = ("followups", i)
                if not c.mapping(f, path, FOLLOWUP_KEYS, "a follow-up"):
                    continue
                for key in ("stage", "ask"):
                    if key not in f:
                        c.add(path, f"follow-up is missing '{key}'")
                if "stage" in f:
                    c.stage(f["stage"], (*path, "stage"))
                if "ask" in f:
                    c.text(f["ask"], (*path, "ask"), "ask")
    reference = v.get("reference")
    if "reference" in v and c.mapping(reference, ("reference",), set(STAGES), "reference"):
        for name, note in reference.items():
            if name in STAGES:
                c.text(note, ("reference", name), f"reference.{name}")
    inline = _check_inline_rubric(c, v["rubric"], qid) if "rubric" in v else None

    if c.problems:
        return None, None, c.problems
    for name in STAGES:
        spec = overrides.get(name) or {}
        stage_specs.append(
            StageSpec(
                name=name,
                minutes=float(spec.get("minutes", DEFAULT_MINUTES[name])),
                prompt=str(spec.get("prompt", DEFAULT_PROMPTS[name])).strip(),
                hints=tuple(str(h).strip() for h in spec.get("hints", ())),
            )
        )
    question = Question(
        id=qid,
        title=v["title"].strip(),
        prompt=v["prompt"].strip(),
        tags=tuple(str(t).strip() for t in tags or ()),
        difficulty=v["difficulty"],
        stages=tuple(stage_specs),
        followups=tuple(Followup(f["stage"], f["ask"].strip()) for f in followups or ()),
        reference={k: s.strip() for k, s in (reference or {}).items()},
        source=doc.file,
    )
    return question, inline, c.problems


def _check_inline_rubric(c: _Checker, value: Any, qid: Any) -> Rubric | None:
    """A rubric written in its question's file: `rubric:` holding the list of items, or
    a mapping with `items:` as a rubric file has (its `question:` may be left out)."""
    path: tuple[Any, ...] = ("rubric",)
    bankstyle.gather_stages(c.doc, value, path)
    if isinstance(value, dict):
        if not c.mapping(value, path, RUBRIC_KEYS, "a rubric"):
            return None
        if "question" in value and value["question"] != qid:
            c.add((*path, "question"), f"the rubric in question '{qid}' names question '{value['question']}'")
        if "items" not in value:
            c.add(path, "missing required key 'items'")
            return None
        path, value = (*path, "items"), value["items"]
    items = _check_items(c, value, path, is_common=False)
    return Rubric(question=str(qid), items=tuple(items), source=c.doc.file) if items else None


def check_rubric(doc: Located) -> tuple[Rubric | None, list[Problem]]:
    """A rubric file. Its `question` may be left out (it is the file's name), and the file
    may be the list of items alone."""
    c = _Checker(doc)
    is_common = doc.file.name == COMMON_FILE
    if isinstance(doc.value, list):
        doc.value = {"items": doc.value}
        doc.rename((), ("items",))
    bankstyle.gather_stages(doc, doc.value, ())
    v = doc.value
    if not c.mapping(v, (), RUBRIC_KEYS, "a rubric file"):
        return None, c.problems
    if "items" not in v:
        c.add((), "missing required key 'items'")
    qid = v.setdefault("question", "*" if is_common else doc.file.stem)
    if is_common:
        if qid != "*":
            c.add(("question",), 'common.yaml must say question: "*"')
    elif not isinstance(qid, str):
        c.add(("question",), f"question {qid!r} must be text: put it in quotes")
    elif qid != doc.file.stem:
        c.add(("question",), f"question '{qid}' must equal the file name '{doc.file.stem}'")
    items = _check_items(c, v["items"], ("items",), is_common) if "items" in v else []
    if c.problems:
        return None, c.problems
    return Rubric(question=str(qid), items=tuple(items), source=doc.file), c.problems


def _check_items(c: _Checker, items_raw: Any, path: tuple[Any, ...], is_common: bool) -> list[Item]:
    """A rubric's items (at `path` in the file): the good ones; the problems go to `c`."""
    if not isinstance(items_raw, list) or not items_raw:
        c.add(path, f"'{path[-1]}' must be a non-empty list of rubric items")
        return []
    items: list[Item] = []
    seen: dict[str, int] = {}  # item id -> index of its first use
    # ids written out, which one made for an item without any must not take (looked for
    # only when some item has none: most banks write every id)
    taken: set[str] = set()
    if not all(isinstance(raw, dict) and "id" in raw for raw in items_raw):
        taken = {str(v) for raw in items_raw if isinstance(raw, dict) for k, v in raw.items() if bankstyle.key_meant(k, {"id"})}
    for i, raw in enumerate(items_raw):
        item = _check_item(c, raw, (*path, i), is_common, taken)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str):
            if raw_id in seen:
                first = c.doc.line((*path, seen[raw_id], "id"))
                c.add((*path, i, "id"), f"duplicate item id '{raw_id}' (first at line {first})")
                continue
            seen[raw_id] = i
        if item is not None:
            items.append(item)
    return items


def _only_small_words(phrase: str) -> str | None:
    """The first alternative of a phrase that holds no word matching reads ("by", "in the").
    The loader asks this of every phrase of every rubric, and banks repeat their phrases
    ("a/b test"), so answers are remembered."""
    try:
        return _SMALL_SEEN[phrase]
    except KeyError:
        pass
    from mlsd_drill.text import STOPWORDS, phrase_tokens

    found = None
    for alt in phrase.split("|"):
        for w in alt.lower().split():
            if w.strip(_PUNCT) not in STOPWORDS:
                break
        else:
            # small words that reading joins into one are a word ("as of" a point in time)
            if all(t in STOPWORDS for t in phrase_tokens(alt)):
                found = alt.strip()
                break
    if len(_SMALL_SEEN) < 100_000:
        _SMALL_SEEN[phrase] = found
    return found


_SMALL_SEEN: dict[str, str | None] = {}
# "<number>th", "x<number>": a figure glued to letters never matches
_GLUED_NUMBER = re.compile(r"[^\s|]<number>\S*|<number>[^\s|]+")


def _check_signals(c: _Checker, sig_raw: Any, path: tuple[Any, ...]) -> list[Signal]:
    """A list of signals (an item's, or one part's): each a phrase or a list of phrases."""
    signals: list[Signal] = []
    if not isinstance(sig_raw, list) or not sig_raw:
        c.add(path, f"'{path[-1]}' must be a non-empty list of signals")
    else:
        for j, s in enumerate(sig_raw):
            phrases = s if isinstance(s, list) else [s]
            # the common case, checked without building paths for messages
            if (
                phrases
                and c.clean
                and all(
                    type(p) is str
                    and all(_HAS_WORD.search(a) for a in p.split("|"))
                    and not _only_small_words(p)
                    and not ("<number>" in p and _GLUED_NUMBER.search(p))
                    for p in phrases
                )
            ):
                signals.append(tuple(p.strip() for p in phrases))
                continue
            spath = (*path, j)
            if not phrases:
                c.add(spath, "empty signal (an empty list matches nothing)")
                continue
            ok = True
            for k, phrase in enumerate(phrases):
                if isinstance(phrase, (int, float)) and not isinstance(phrase, bool):
                    # YAML has already rewritten it ("010" is 8, "1:1" is 61, "0.10" is 0.1)
                    c.add(spath, f"signal {phrase!r} was read as a number: put it in quotes to keep it as written")
                    ok = False
                elif not isinstance(phrase, str):
                    c.add(spath, f"a signal is a phrase or a list of phrases, not {_kind(phrase)}")
                    ok = False
                elif not all(_HAS_WORD.search(alt) for alt in phrase.split("|")):
                    c.add(spath, "empty signal or alternative (each needs at least one word)")
                    ok = False
                elif small := _only_small_words(phrase):
                    c.add(
                        spath,
                        f"signal {small!r} has only small words, which matching ignores "
                        "(so it never matches): name the idea",
                    )
                    ok = False
                elif glued := _GLUED_NUMBER.search(phrase):
                    c.add(
                        spath,
                        f"signal {phrase!r}: '<number>' must stand alone as a word, not {glued.group()!r} "
                        "(it never matches: '90th' and '2x' are not figures)",
                    )
                    ok = False
                elif not c.text(phrase, (*spath, k) if isinstance(s, list) else spath, "signal"):
                    ok = False
                else:
                    phrases[k] = phrase
            if ok:
                signals.append(tuple(str(p).strip() for p in phrases))
    return signals


def _check_item(c: _Checker, raw: Any, path: tuple[Any, ...], is_common: bool, taken: set[str]) -> Item | None:
    """One rubric item (`taken`: the ids in its list, for one made for it to avoid)."""
    if not c.mapping(raw, path, ITEM_KEYS, "a rubric item"):
        return None
    bankstyle.tidy_item(raw)
    if "id" not in raw and isinstance(raw.get("text"), str):
        raw["id"] = bankstyle.item_id(raw["text"], taken)
        taken.add(raw["id"])
    before = len(c.problems)
    for key in ITEM_REQUIRED:
        if key not in raw and not (key == "signals" and "parts" in raw):
            c.add(path, f"rubric item is missing '{key}'" + (" (or 'parts')" if key == "signals" else ""))
    iid = raw.get("id")
    if "id" in raw and not isinstance(iid, str):
        c.add((*path, "id"), f"item id {iid!r} must be text: put it in quotes")
    elif "id" in raw and not SLUG.match(iid):
        c.add((*path, "id"), f"item id '{iid}' must be a lower-case slug")
    if "stage" in raw:
        c.stage(raw["stage"], (*path, "stage"))
    if "text" in raw:
        c.text(raw["text"], (*path, "text"), "text")
    if "why" in raw:
        c.text(raw["why"], (*path, "why"), "why")
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or weight not in (1, 2, 3):
        c.add((*path, "weight"), f"weight must be 1, 2 or 3, not {weight!r}")
    level = raw.get("level", "mid")
    if level not in LEVELS:
        c.add((*path, "level"), f"level '{level}' must be one of mid, senior, staff")
    replaces = raw.get("replaces", [])
    replaces = [replaces] if isinstance(replaces, str) else replaces
    if is_common and "replaces" in raw:
        c.add(
            (*path, "replaces"),
            "an item of common.yaml replaces nothing: 'replaces' belongs in a question's rubric",
        )
    elif not isinstance(replaces, list) or not all(isinstance(r, str) and SLUG.match(r) for r in replaces):
        c.add((*path, "replaces"), "'replaces' must be the id of a common.yaml item, or a list of them")
    signals = _check_signals(c, raw["signals"], (*path, "signals")) if "signals" in raw else []
    parts: list[tuple[str, tuple[Signal, ...]]] = []
    if "parts" in raw:
        parts_raw = raw["parts"]
        if not isinstance(parts_raw, dict) or len(parts_raw) < 2:
            c.add((*path, "parts"), "'parts' must name at least two parts, each with its own signals")
        else:
            for name, part_signals in parts_raw.items():
                if c.text(name, (*path, "parts"), "part name"):
                    parts.append((name.strip(), tuple(_check_signals(c, part_signals, (*path, "parts", name)))))
    if len(c.problems) > before:
        return None
    return Item(
        id=iid,
        stage=raw["stage"],
        text=raw["text"].strip(),
        signals=tuple(signals),
        why=raw["why"].strip(),
        weight=int(weight),
        level=level,
        common=is_common,
        replaces=tuple(replaces),
        parts=tuple(parts),
    )


# --------------------------------------------------------------------------- loading


@dataclass
class QuestionEntry:
    """What reading one question file gave: the question, or why not."""

    question: Question | None
    problems: list[Problem]
    broken: str | None = None  # unreadable / not YAML: the one-line reason
    id_line: int = 1
    rubric: Rubric | None = None  # written in the question's file (never cached)
    read_as: dict[str, str] | None = None  # keys read as the format's own (not cached)
    item_line: Callable[[tuple[int, str]], int] | None = None  # (item, key) -> its line in that rubric


def _read_question(path: Path) -> QuestionEntry:
    try:
        doc, (q, r, probs) = _load_checked(path, check_question_file)
    except BankError as e:
        return QuestionEntry(None, [], broken=str(e))
    line = None
    if r is not None:  # where the checks made once the bank's common items are known point
        at = ("rubric", "items") if isinstance(doc.value.get("rubric"), dict) else ("rubric",)
        line = partial(_item_line, doc, at)
    return QuestionEntry(q, probs, id_line=doc.key_line("id"), rubric=r, item_line=line, read_as=doc.read_as)


def _load_checked(path: Path, check: Any) -> tuple[Located, Any]:
    """Load and check a file; a fast-read file with problems is read again with PyYAML,
    so problems always carry PyYAML's verdict and exact lines."""
    from mlsd_drill import yamlio

    doc = yamlio.load(path)
    result = check(doc)
    if result[-1] and doc.fast:
        doc = yamlio.load(path, fast=False)
        result = check(doc)
    return doc, result


def collect(
    dirs: Sequence[Path], *, rubrics: bool = True, cache: BankCache | None = None
) -> tuple[Bank, list[Problem], list[str]]:
    """Load every file of the banks in `dirs`.

    Returns the usable bank, every problem found (file:line) and the files that
    could not be used at all (unreadable, not YAML), as one-line messages.
    With a cache, question files unchanged since they were last read are not
    parsed again (`mlsd list` then never imports yaml).
    """
    bank = Bank()
    problems: list[Problem] = []
    broken: list[str] = []
    origin: dict[str, Path] = {}
    for d in dirs:
        inline: dict[str, QuestionEntry] = {}  # questions with their rubric in their own file
        for path in _yaml_files(questions_dir(d)):
            entry = cache.question(path) if cache is not None else None
            if entry is None:
                entry = _read_question(path)
                if cache is not None and entry.rubric is None:
                    cache.store(path, entry)
            if entry.broken:
                broken.append(entry.broken)
                continue
            _note_read_as(bank, path, entry.read_as)
            problems.extend(entry.problems)
            q = entry.question
            if q is None:
                continue
            if q.id in bank.questions:
                first = origin[q.id]
                problems.append(
                    Problem(path, entry.id_line, f"duplicate question id '{q.id}' (also in {first})")
                )
                continue
            origin[q.id] = path
            bank.questions[q.id] = _with_bank(q, d)
            if entry.rubric is not None:
                inline[q.id] = entry
        if not rubrics:
            continue
        # common.yaml first, so each question's items can be checked against it
        rubric_files = sorted(_yaml_files(d / "rubrics"), key=lambda p: p.name != COMMON_FILE)
        common_ids: set[str] = set()
        for path in rubric_files:
            try:
                doc, (r, probs) = _load_checked(path, check_rubric)
            except BankError as e:
                broken.append(str(e))
                continue
            problems.extend(probs)
            _note_read_as(bank, path, doc.read_as)
            named = doc.value.get("question") if isinstance(doc.value, dict) else None
            if path.name != COMMON_FILE and named in inline:
                message = f"question '{named}' has its rubric in {origin[named]} already"
                problems.append(Problem(path, doc.line(("question",)), message))
                continue
            if path.name != COMMON_FILE and isinstance(named, str):
                owner = bank.questions.get(named)
                exists = any((questions_dir(d) / f"{named}{ext}").is_file() for ext in (".yaml", ".yml"))
                if (owner is None and not exists) or (owner is not None and owner.bank != d):
                    where = "this bank" if owner is None else f"this bank (it is in {owner.bank})"
                    problems.append(
                        Problem(
                            path,
                            doc.line(("question",)),
                            f"rubric for question '{named}', which is not in {where}",
                        )
                    )
                    continue
            if r is None or (path.name != COMMON_FILE and r.question not in bank.questions):
                continue
            if path.name == COMMON_FILE:
                bank.common[d] = r.items
                common_ids = {i.id for i in r.items}
                continue
            _add_rubric(bank, problems, r, common_ids, partial(_item_line, doc, ("items",)))
        for entry in inline.values():
            assert entry.rubric is not None and entry.item_line is not None
            _add_rubric(bank, problems, entry.rubric, common_ids, entry.item_line)
    return bank, problems, broken


def _note_read_as(bank: Bank, path: Path, read_as: dict[str, str] | None) -> None:
    """Tell the author which of their keys were read as the format's own ("keywords" as
    "signals"): `mlsd bank validate` shows it as a note."""
    if read_as:
        said = ", ".join(f"'{k}' as '{v}'" for k, v in sorted(read_as.items()))
        bank.notes.append(f"{path}: read {said}")


def _item_line(doc: Located, items: tuple[str, ...], where: tuple[int, str]) -> int:
    """The line of a rubric item's key, where = (item index, key), in the list of items at
    path `items` of the file. Asked only for problems: a file read by the fast parser is
    parsed again to find lines."""
    return doc.line((*items, *where))


def _add_rubric(
    bank: Bank, problems: list[Problem], r: Rubric, common_ids: set[str], line: Callable[[tuple[int, str]], int]
) -> None:
    """Add a question's rubric to the bank, unless its items clash with its bank's common
    ones. `line((i, key))`: the line of item i's key in the rubric's file."""
    path = r.source or Path(r.question)
    clashes = [
        Problem(path, line((i, "id")), f"item id '{it.id}' is also in {COMMON_FILE}")
        for i, it in enumerate(r.items)
        if it.id in common_ids
    ]
    clashes += _check_replaces(path, r, common_ids, line)
    problems.extend(clashes)
    if not clashes:
        bank.rubrics[r.question] = r


def _check_replaces(
    path: Path, r: Rubric, common_ids: set[str], line_of: Callable[[tuple[int, str]], int]
) -> list[Problem]:
    """Each `replaces` names an item of the bank's common.yaml, and no common item is
    replaced twice (which of the two would stand for it?). In a bank without a common.yaml
    there is nothing to replace: a rubric copied from another bank works as it is."""
    out: list[Problem] = []
    by: dict[str, str] = {}
    for i, it in enumerate(r.items):
        said: list[str] = []
        for cid in sorted({c for c in it.replaces if it.replaces.count(c) > 1}):
            said.append(f"'{it.id}' lists '{cid}' twice in replaces")
        for cid in dict.fromkeys(it.replaces) if common_ids else ():
            if cid not in common_ids:
                said.append(f"'{it.id}' replaces '{cid}', which is not an item of {COMMON_FILE}{_suggest(cid, common_ids)}")
            elif cid in by:
                said.append(f"'{cid}' is replaced by both '{by[cid]}' and '{it.id}': keep one")
            else:
                by[cid] = it.id
        # (a file read by the fast parser is parsed again for its lines: only when needed)
        out += [Problem(path, line_of((i, "replaces")), message) for message in said]
    return out


def _with_bank(q: Question, bank_dir: Path) -> Question:
    from dataclasses import replace

    return replace(q, bank=bank_dir)


def load(dirs: Sequence[Path] | None = None, *, rubrics: bool = True) -> Bank:
    """Load banks for use: broken files are skipped, each with one warning line."""
    from mlsd_drill.bankcache import BankCache

    resolved = resolve_bank_dirs(dirs)
    cache = BankCache.open()
    bank, problems, broken = collect(resolved, rubrics=rubrics, cache=cache)
    cache.save()
    warned: set[Path] = set()
    for msg in broken:
        bank.warnings.append(f"skipped {msg}")
    for p in sorted(problems, key=lambda p: (str(p.file), p.line)):  # each file's first line first
        if p.file in warned:
            continue
        warned.add(p.file)
        more = sum(1 for x in problems if x.file == p.file) - 1
        extra = f" (+{more} more; run `mlsd bank validate`)" if more else ""
        bank.warnings.append(f"skipped {p}{extra}")
    return bank


# One of these alone as a signal credits almost any answer (docs/bank-format.md says so).
_GENERIC_WORDS = frozenset(
    "model models data feature features training train latency metric metrics user users score scores "
    "system test testing evaluation evaluate prediction predictions predict label labels pipeline service "
    "api accuracy item items ranking rank monitoring monitor log logs".split()
)


def _author_notes(bank: Bank) -> list[str]:
    """What is not wrong but is probably not what the author meant."""
    sources: list[tuple[Sequence[Item], Path | str, bool]] = []  # items, where, bank has common items
    for r in bank.rubrics.values():
        q = bank.questions.get(r.question)
        sources.append((r.items, r.source or r.question, q is not None and q.bank in bank.common))
    sources += [(items, d / "rubrics" / COMMON_FILE, True) for d, items in bank.common.items()]
    notes: list[str] = []
    for items, where, has_common in sources:
        for it in items:
            if it.replaces and not has_common:
                for cid in it.replaces:
                    notes.append(f"{where}: '{it.id}' replaces '{cid}', but this bank has no common.yaml: nothing is replaced")
            for sig in [*it.signals, *(s for _, sigs in it.parts for s in sigs)]:
                for w in [a.strip().lower() for a in sig[0].split("|")] if len(sig) == 1 else []:
                    if w in _GENERIC_WORDS:
                        notes.append(f"{where}: '{it.id}' has the signal '{w}', one common word that credits almost any answer")
    return notes


class Validation(NamedTuple):
    """What `mlsd bank validate` found: files read, problems (each a line), and notes: lines
    worth an author's eye that are not wrong."""

    files: int
    problems: list[str]
    notes: list[str]


def validate(paths_: Sequence[Path] | None) -> Validation:
    """Check banks: the number of files read, every problem as a line, and notes."""
    dirs = resolve_bank_dirs(paths_)
    bank, problems, broken = collect(dirs)
    notes: list[str] = []
    for q in bank.questions.values():
        if (
            q.bank is None
            or q.source is None
            or q.id in bank.rubrics  # (a rubric in the question's own file)
            or any((q.bank / "rubrics" / f"{q.id}{ext}").is_file() for ext in (".yaml", ".yml"))
        ):
            continue
        if q.bank not in bank.common:
            # no rubric file and no common items: nothing to score against
            problems.append(
                Problem(q.source, 1, f"no rubric: add one under 'rubric:', or write rubrics/{q.id}.yaml in {q.bank}")
            )
        else:
            n = len(bank.common[q.bank])
            notes.append(
                f"{q.source}: no rubrics/{q.id}.yaml, so it is scored on the "
                f"{n} common item{'' if n == 1 else 's'} only"
            )
    notes += bank.notes + _author_notes(bank)
    for d in dirs:
        for folder in (questions_dir(d), d / "rubrics"):
            for p in sorted(folder.iterdir()) if folder.is_dir() else ():
                # what an author put in the bank but the loader passes over (a folder of
                # question files may hold anything else besides)
                if p.is_dir() and folder != d:
                    problems.append(Problem(p, 0, "folders inside a bank's questions/ and rubrics/ are not read"))
                elif p.suffix.lower() in (".yaml", ".yml") and p.suffix not in (".yaml", ".yml"):
                    problems.append(Problem(p, 0, f"not read: name it {p.stem}{p.suffix.lower()}"))
                elif p.is_symlink() and not p.exists():
                    problems.append(Problem(p, 0, "a link to nothing"))
    n_files = sum(len(_yaml_files(questions_dir(d))) + len(_yaml_files(d / "rubrics")) for d in dirs)
    lines = sorted(broken) + [str(p) for p in sorted(problems, key=lambda p: (str(p.file), p.line))]
    return Validation(n_files, lines, sorted(notes))
