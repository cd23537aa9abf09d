"""The data the rest of the tool passes around: plain, frozen dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# C0 controls except tab and newline, DEL, C1 controls, and bidirectional overrides
# that can make text read differently from what it is: refused in banks, and made
# visible wherever other text (an answer, an old file) reaches the terminal.
UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text safe to print: control characters and escape sequences made visible."""
    return UNSAFE_CHARS.sub(lambda m: repr(m.group())[1:-1], text)


STAGES: tuple[str, ...] = ("clarify", "data", "model", "serve", "monitor")
DEFAULT_MINUTES: dict[str, float] = {"clarify": 5, "data": 10, "model": 15, "serve": 10, "monitor": 5}
# A stage ran over when its overtime is at least this long (less is the clock's tick).
RAN_OVER_SECONDS = 1.0
STAGE_TITLES: dict[str, str] = {
    "clarify": "Clarify requirements and scale",
    "data": "Data and features",
    "model": "Model and metrics",
    "serve": "Serving",
    "monitor": "Monitoring and iteration",
}
DEFAULT_PROMPTS: dict[str, str] = {
    "clarify": "What do you need to know before designing? State the business goal, "
    "the users and scale, the latency budget and what success looks like.",
    "data": "Which data do you have, where do labels come from, and which features would you build?",
    "model": "Which model would you start with, which baseline must it beat, which loss, "
    "and how do you evaluate it offline?",
    "serve": "How do its predictions reach users or other systems - online or in batch - and how "
    "do you prove it works online: latency, online metrics and A/B testing?",
    "monitor": "How do you know it keeps working: monitoring, drift, retraining, feedback loops?",
}
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
LEVELS: tuple[str, ...] = ("mid", "senior", "staff")
# how a drill went, as the person rates it (the spaced-repetition grades)
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


@dataclass(frozen=True)
class StageSpec:
    name: str
    minutes: float
    prompt: str
    hints: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return STAGE_TITLES[self.name]


@dataclass(frozen=True)
class Followup:
    stage: str
    ask: str


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    prompt: str
    tags: tuple[str, ...]
    difficulty: str
    stages: tuple[StageSpec, ...]
    followups: tuple[Followup, ...] = ()
    reference: dict[str, str] = field(default_factory=dict)
    source: Path | None = None
    bank: Path | None = None

    @property
    def total_minutes(self) -> float:
        return sum(s.minutes for s in self.stages)

    def stage(self, name: str) -> StageSpec:
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def given(self) -> tuple[str, ...]:
        """Everything the candidate is told or shown: the title, the prompt, each stage's
        prompt and hints, the follow-ups. Copied back into an answer, it makes no point."""
        out = [self.title, self.prompt]
        for s in self.stages:
            out += [s.prompt, *s.hints]
        out += [f.ask for f in self.followups]
        return tuple(t for t in out if t)


# A signal is a tuple of phrases: one phrase must appear in one sentence; several
# phrases must all appear in the same paragraph.
Signal = tuple[str, ...]


@dataclass(frozen=True)
class Item:
    id: str
    stage: str
    text: str
    signals: tuple[Signal, ...]
    why: str
    weight: int = 1
    level: str = "mid"
    common: bool = False
    # common items this question's item stands for: the same point, said for this question
    replaces: tuple[str, ...] = ()
    # a point made of parts ("splits that mirror production and features as of prediction
    # time"): credited when every part is found, each anywhere; (name, signals) per part
    parts: tuple[tuple[str, tuple[Signal, ...]], ...] = ()


@dataclass(frozen=True)
class Rubric:
    question: str
    items: tuple[Item, ...]
    source: Path | None = None
    # common items left out because one of the question's own items makes the same point
    replaced: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file, at a line."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass
class Bank:
    """Questions and rubrics gathered from one or more bank folders."""

    questions: dict[str, Question] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    # items from each bank's rubrics/common.yaml, keyed by bank folder
    common: dict[Path, tuple[Item, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for authors: keys read as the format's own

    def rubric_for(self, qid: str) -> Rubric:
        """The question's rubric with its bank's common items appended."""
        q = self.questions[qid]
        own = self.rubrics.get(qid)
        items = list(own.items) if own else []
        replaced = {c for it in items for c in it.replaces}
        if q.bank is not None:
            items.extend(c for c in self.common.get(q.bank, ()) if c.id not in replaced)
        if not items:
            from mlsd_drill.errors import BankError

            where = f" in {q.bank}" if q.bank is not None else ""
            raise BankError(f"question '{qid}' has no rubric to score against: write rubrics/{qid}.yaml{where}")
        source = own.source if own else None
        return Rubric(question=qid, items=tuple(items), source=source, replaced=tuple(sorted(replaced)))


@dataclass(frozen=True)
class Section:
    """A piece of an answer, and the stage it was written under (None: no stage).

    `broad`: the stage was read off a heading that names it only broadly ("Approach",
    "Architecture", "Evaluation" in a design doc), which may well cover other stages too."""

    stage: str | None
    text: str
    broad: bool = False


@dataclass(frozen=True)
class Answer:
    sections: tuple[Section, ...]

    @classmethod
    def from_stages(cls, texts: dict[str, str]) -> Answer:
        return cls(tuple(Section(s, texts[s]) for s in STAGES if texts.get(s)))

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)

    def stage_text(self, stage: str | None) -> str:
        return "\n\n".join(s.text for s in self.sections if s.stage == stage)

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.sections)


@dataclass(frozen=True)
class ItemResult:
    item: Item
    hit: bool
    evidence: str | None = None  # the sentence(s) that earned the point
    found_in: str | None = None  # stage section the evidence was in (None: outside any)
    rejected: str | None = None  # a sentence that named the point only to reject it
    signal: str | None = None  # the rubric signal that found the evidence ("a + b" for a list)
    # credited through one of the item's signals only, or found only under another stage's
    # heading: such credits are wrong about four times as often as the rest
    # (benchmarks/scoring_quality.py), so they are worth a look
    check: bool = False
    # a missed point made of parts: the names of the parts the answer did make
    partly: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreResult:
    question: str
    items: tuple[ItemResult, ...]
    percent: float
    stages: dict[str, float]  # weighted percent per stage (stages with items only)
    levels: dict[str, bool]  # which levels the answer meets
    words: int = 0

    @property
    def level(self) -> str | None:
        """The highest level met, or None when even mid is not met."""
        met = [lv for lv in LEVELS if self.levels.get(lv)]
        return met[-1] if met else None

    @property
    def missed(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.items if not r.hit)

    @property
    def covered(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.items if r.hit)
