"""Reading banks written in other styles: what an author plainly meant, as the format's own.

Authors write banks without reading docs/bank-format.md closely, or for other tools:
`Signals:` or `keywords:` for `signals`, `importance: High` for a weight, `L5` for a
level, "Model Serving" for a stage, items grouped under stage names, no item ids. These
functions rewrite such a document in place, before `bank.py` checks it, so the checks
see one format and report every problem at the author's own line.
"""

from __future__ import annotations

import re
from typing import Any

from mlsd_drill.model import STAGES
from mlsd_drill.yamlio import Located

# Keys other tools and other authors use for the format's own: read as it (and named in
# the problem when the format's own key is there too).
KEYS_MEANT = {
    **dict.fromkeys(
        ("keywords", "phrases", "patterns", "terms", "matches", "cues", "signal", "keyword", "look_for", "listen_for"),
        "signals",
    ),
    **dict.fromkeys(("description", "point", "criterion", "name", "check", "idea", "summary"), "text"),
    **dict.fromkeys(("rationale", "reason", "explanation", "why_it_matters"), "why"),
    **dict.fromkeys(("phase", "section"), "stage"),
    **dict.fromkeys(("importance", "priority"), "weight"),
    **dict.fromkeys(("seniority", "expected_from", "min_level", "minimum_level"), "level"),
    **dict.fromkeys(("points", "criteria", "checklist", "rubric"), "items"),
    **dict.fromkeys(("question_id", "qid"), "question"),
    **dict.fromkeys(("follow_ups", "follow-ups", "followup", "follow_up"), "followups"),
}
# ... and in a question file, the rubric written in it
QUESTION_KEYS_MEANT = {
    **KEYS_MEANT,
    **dict.fromkeys(("items", "points", "criteria", "checklist", "rubric_items"), "rubric"),
    **dict.fromkeys(("question", "description", "problem", "statement", "scenario", "interviewer_prompt"), "prompt"),
    **dict.fromkeys(("name", "question_title"), "title"),
    **dict.fromkeys(("topics", "tag", "labels"), "tags"),
}
# Values other authors write for the format's own, as words: what they plainly mean.
_WEIGHT_WORDS = {"low": 1, "medium": 2, "med": 2, "high": 3}
_LEVEL_WORDS = {
    **dict.fromkeys(("junior", "entry", "intermediate", "mid-level", "midlevel", "l4", "e4"), "mid"),
    **dict.fromkeys(("l5", "e5"), "senior"),
    **dict.fromkeys(("l6", "e6", "principal"), "staff"),
}
_DIFFICULTY_WORDS = {
    **dict.fromkeys(("beginner", "simple"), "easy"),
    **dict.fromkeys(("intermediate", "moderate"), "medium"),
    **dict.fromkeys(("advanced", "difficult"), "hard"),
}


# Stage words too broad to name one stage in a bank: an "Architecture" or "Metrics"
# stage may hold several, "Online" says where but not what.
_BROAD_STAGE_WORDS = frozenset(
    "approach architecture system online offline production infrastructure operations metrics questions ask".split()
)


def as_stage(value: Any) -> Any:
    """A stage as a bank author named it: "Serving", "Model Training", "Feature Engineering",
    "Model Serving" (the stage its words name, "model" giving way as a modifier). A name
    that names no stage plainly, or two ("Serving & Monitoring"), is left as written, for
    the checks to refuse."""
    if not isinstance(value, str):
        return value
    name = value.strip().lower()
    if name in STAGES:
        return name
    # the words answers' headings name stages by ("Serving", "monitoring", "Training")
    from mlsd_drill.answer import STAGE_WORDS

    named: list[tuple[str, str]] = []  # (word, stage it names)
    for word in re.findall(r"[a-z]+", name):
        stage = STAGE_WORDS.get(word)
        if stage is not None and word not in _BROAD_STAGE_WORDS:
            named.append((word, stage))
    stages = {stage for _, stage in named}
    if len(stages) == 2 and "model" in stages and any(w in ("model", "models") for w, _ in named):
        stages.discard("model")  # "Model Serving", "Model Monitoring"
    return stages.pop() if len(stages) == 1 else value


def key_meant(key: Any, allowed: set[str], meant: dict[str, str] | None = None) -> str:
    """The format's own key that `key` plainly means, or "": itself in another case
    ("Signals"), or what other authors call it ("keywords", `meant`, KEYS_MEANT by default)."""
    name = str(key).strip().lower()
    if name in allowed:
        return name
    name = (KEYS_MEANT if meant is None else meant).get(name.replace(" ", "_"), "")
    return name if name in allowed else ""


def _as_word(value: Any, meant: dict[str, Any] | None = None) -> Any:
    """"Medium" and "Senior " read as "medium" and "senior"; a word in `meant` ("L5") as
    the value it stands for ("senior")."""
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    return meant.get(word, word) if meant else word  # (text only: a list or mapping is no key)


def _as_list(value: Any) -> Any:
    """A list written as one line of text, "ranking, search" (commas between numbers,
    "1,000 qps", separate nothing)."""
    if isinstance(value, str) and re.search(r",(?!\d)|(?<!\d),", value):
        return [part for part in re.split(r"\s*(?:,(?!\d)|(?<!\d),)\s*", value) if part.strip()]
    return [value] if isinstance(value, str) else value


def as_number(value: Any) -> Any:
    """A number written in quotes ("3") reads as the number."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}(?:\.\d+)?\s*", value):
        return float(value) if "." in value else int(value)
    return value


def _stage_keys(mapping: Any) -> None:
    """Rename stage keys written another way ("Serving:") in place, unless that would clash."""
    if not isinstance(mapping, dict):
        return
    for key in list(mapping):
        name = as_stage(key)
        if name != key and name in STAGES and name not in mapping:
            mapping[name] = mapping.pop(key)


def tidy_question(v: Any) -> None:
    """Read what a bank author plainly meant - case, stage synonyms, quoted numbers -
    as the format's own values, before the checks (authors write banks in many styles)."""
    if not isinstance(v, dict):
        return
    if "difficulty" in v:
        v["difficulty"] = _as_word(v["difficulty"], _DIFFICULTY_WORDS)
    if isinstance(v.get("tags"), str):
        v["tags"] = _as_list(v["tags"])
    _stage_keys(v.get("reference"))
    stages = v.get("stages")
    if isinstance(stages, dict):
        _stage_keys(stages)
        for spec in stages.values():
            if isinstance(spec, dict) and "minutes" in spec:
                spec["minutes"] = as_number(spec["minutes"])
    followups = v.get("followups")
    for f in followups if isinstance(followups, list) else ():
        if isinstance(f, dict) and "stage" in f:
            f["stage"] = as_stage(f["stage"])


def tidy_item(raw: Any) -> None:
    if not isinstance(raw, dict):
        return
    if "stage" in raw:
        raw["stage"] = as_stage(raw["stage"])
    if "level" in raw:
        raw["level"] = _as_word(raw["level"], _LEVEL_WORDS)
    if "weight" in raw:
        weight = _as_word(raw["weight"])
        raw["weight"] = as_number(_WEIGHT_WORDS.get(weight, weight) if isinstance(weight, str) else weight)
    if isinstance(raw.get("signals"), str):  # one signal written without a list, or several in a line
        raw["signals"] = _as_list(raw["signals"])


def gather_stages(doc: Located, mapping: Any, path: tuple[Any, ...]) -> None:
    """A rubric written as its items grouped under stage names ("Data & features:" holding
    a list of items) is read as one list of items, each of the stage it stands under
    (unless it names its own). Done in place; the lines follow the items."""
    if not isinstance(mapping, dict) or "items" in mapping:
        return
    grouped = [k for k, v in mapping.items() if isinstance(v, list) and as_stage(k) in STAGES]
    if not grouped:
        return
    items: list[Any] = []
    for key in grouped:
        for i, raw in enumerate(mapping.pop(key)):
            if isinstance(raw, dict) and not any(key_meant(k, {"stage"}) for k in raw):  # "stage", "phase"...
                raw["stage"] = as_stage(key)
            doc.rename((*path, key, i), (*path, "items", len(items)))
            items.append(raw)
    mapping["items"] = items


def item_id(text: str, taken: set[str]) -> str:
    """An id for an item written without one, made from its text ("Names a latency budget"
    is `names-a-latency-budget`) and unlike the ids in `taken`. History keeps track of an
    item by its id: one written out survives edits to the text."""
    base = "-".join(re.findall(r"[a-z0-9]+", text.lower())[:6]) or "item"
    iid, k = base, 1
    while iid in taken:
        k += 1
        iid = f"{base}-{k}"
    return iid
