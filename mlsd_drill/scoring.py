"""Rubric scoring: which expected points an answer makes, and where.

Pure code: `score(answer, rubric)` takes data and returns a `ScoreResult`.

How a signal phrase is found (see docs/bank-format.md):
- words are compared by their Snowball stems, small words ignored;
- compounds are equivalent to their parts (realtime / real-time / real time):
  a phrase is tried with every grouping of adjacent words joined, and the
  answer is indexed with adjacent words joined too;
- abbreviations are expanded both ways from `ABBREVIATIONS`;
- a one-letter typo is forgiven in longer words (same first letter, no digits,
  and only for words that are not themselves known words of the rubric);
- a mention the answer rejects ("no velocity features", "A/B testing is not
  needed") is not credited; `rejection.py` reads rejections, and a rejection
  cancels only the words it covers;
- a sentence copied from the question's own text (`given`: a pasted prompt, a hint
  typed back) makes no point.

Sentences, tokens and stems come from `text.py`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise, product

from mlsd_drill.model import (
    LEVELS,
    STAGES,
    Answer,
    Item,
    ItemResult,
    Rubric,
    ScoreResult,
)
from mlsd_drill.rejection import rejects
from mlsd_drill.text import (
    AVOID_CUES,
    COMMON_WORDS,
    HEDGES,
    NEGATION_BIGRAMS,
    NEGATION_CUES,
    NUMBER,
    Sentence,
    analyse,
    bank_vocabulary,
    figure_end,
    numberish,
    phrase_tokens,
    stem,
)

# Groups of phrases that mean the same thing in this field. Written as a reader
# would type them; normalised like any signal. Short forms that are also common
# English words ("map", "lr") are left out on purpose: they would credit
# answers that never made the point.
ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("ctr", "click through rate"),
    ("cvr", "conversion rate"),
    ("ab test", "ab", "split test", "online experiment", "online controlled experiment"),
    ("ann", "approximate nearest neighbour", "approximate nearest neighbor"),
    ("knn", "k nn", "k nearest neighbour", "k nearest neighbor"),
    ("auc", "area under curve"),
    ("roc auc", "auroc", "auc roc"),
    (
        "pr auc",
        "auprc",
        "auc pr",
        "precision recall auc",
        "area under precision recall curve",
        "area under pr curve",
        "average precision",
    ),
    ("ndcg", "normalized discounted cumulative gain", "normalised discounted cumulative gain"),
    ("mrr", "mean reciprocal rank"),
    (
        "gbdt",
        "gradient boosted decision tree",
        "gradient boosted tree",
        "gradient boosting",
        "xgboost",
        "lightgbm",
        "catboost",
        "boosted tree",
        "gbm",
    ),
    ("dnn", "deep neural network"),
    ("cnn", "convolutional neural network", "convnet"),
    ("gnn", "graph neural network"),
    ("llm", "large language model"),
    ("rag", "retrieval augmented generation"),
    ("qps", "queries per second", "requests per second", "rps"),
    ("p99", "99th percentile", "99th pct"),
    ("p95", "95th percentile", "95th pct"),
    ("p50", "median latency"),
    ("sla", "service level agreement"),
    ("slo", "service level objective"),
    ("psi", "population stability index"),
    ("kl divergence", "kullback leibler"),
    ("dau", "daily active users"),
    ("mau", "monthly active users"),
    ("tf idf", "term frequency inverse document frequency"),
    ("ocr", "optical character recognition"),
    ("pii", "personally identifiable information", "personal data"),
    ("fpr", "false positive rate"),
    ("tpr", "true positive rate"),
    ("fnr", "false negative rate"),
    ("ltr", "learning to rank"),
    ("mae", "mean absolute error"),
    ("rmse", "root mean squared error", "root mean square error"),
    ("mape", "mean absolute percentage error"),
    ("mse", "mean squared error"),
    ("eta", "estimated time of arrival"),
    ("ltv", "lifetime value", "clv"),
    ("nce", "normalized cross entropy", "normalised cross entropy"),
    ("log loss", "cross entropy loss", "binary cross entropy", "bce", "binary ce"),
    ("iou", "intersection over union"),
    ("vit", "vision transformer"),
    ("kpi", "key performance indicator"),
    ("ttl", "time to live"),
    ("e2e", "end to end"),
    ("k8s", "kubernetes"),
    ("ml", "machine learning"),
    ("nn", "neural network", "neural net"),
    ("mlp", "multilayer perceptron", "multi layer perceptron"),
    ("bm25", "okapi"),
    ("hnsw", "hierarchical navigable small world"),
    ("faiss", "ann index"),
    ("sgd", "stochastic gradient descent"),
    ("kd", "knowledge distillation"),
    ("dlq", "dead letter queue"),
    # plain-word equivalents people reach for under time pressure
    ("labels", "ground truth"),
    ("drift", "distribution shift", "data shift", "covariate shift", "dataset shift"),
    ("monitor", "track"),
    ("shadow mode", "dark launch", "shadow deployment"),
    ("candidate generation", "candidate retrieval", "retrieval stage"),
    ("temporal split", "time based split", "time split", "chronological split", "split by time", "out of time split"),
    ("cost sensitive", "class weights", "weighted loss"),
    ("feature crosses", "cross features", "feature interactions"),
    ("two tower", "2 tower", "twin tower", "dual encoder", "bi encoder"),
    ("near real time", "nrt"),
    ("email", "e mail"),
    ("hyperparameter tuning", "hyperparameter optimization", "hyperparameter search", "hparam tuning", "hpo"),
    ("multi task", "mtl"),
)

FUZZY_MIN_LEN = 6  # words shorter than this must be spelled right
MAX_JOIN_VARIANTS = 64
NEAR_SLACK = 2  # a phrase of n words also matches n words in any order within n + 2 words
FIGURE_GAP = 2  # "<number> per day" also matches a figure, two words, then "per day"

# Share of a level's rubric weight an answer must cover to meet that level; a
# level is met only when every level below it is met too.
LEVEL_THRESHOLDS = {"mid": 0.6, "senior": 0.6, "staff": 0.5}


Variant = tuple[str, ...]  # stems, each possibly the stem of joined words


@dataclass
class _Phrase:
    text: str
    variants: list[Variant]
    surfaces: dict[str, str] = field(default_factory=dict)  # word as written -> its stem
    words: frozenset[str] = frozenset()  # the phrase's own words (its own "not" rejects nothing)
    anchors: frozenset[str] = frozenset()  # stems one of which any match needs: none in an answer, no match
    near: list[Variant] = field(default_factory=list)  # word-by-word forms tried in any order
    by_first: dict[str, list[Variant]] = field(default_factory=dict)  # the variants, by their first stem
    negative: bool = False  # its point is a negation ("never get labels", "no refunds")


@dataclass
class _CompiledItem:
    item: Item
    signals: list[list[_Phrase]]
    parts: list[tuple[str, _CompiledItem]] = field(default_factory=list)  # each part, matched as an item
    negates: bool = False  # has a phrase whose point is a negation ("never get labels")


@dataclass
class Compiled:
    items: list[_CompiledItem]
    vocab: set[str] = field(default_factory=set)
    deletes: dict[str, set[str]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)  # typo target form -> signal stem
    heads: set[str] = field(default_factory=set)  # every proper prefix of a signal stem
    # word -> the signal stems it counts as, its forms that can begin a compound, and
    # whether it is a number in digits (which may begin a range, "100-150 ms")
    word_targets: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    fuzzy_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # two words written as one -> its stem, when that is a signal stem (else "")
    pair_stems: dict[str, str] = field(default_factory=dict)
    longest: int = 0  # longest typo target: a longer word cannot be one letter off any


def _partitions(words: list[str]) -> list[tuple[tuple[str, ...], Variant]]:
    """Every way to join adjacent words: [real, time, x] -> (real,time,x), (realtime,x), ...

    Returns (surface groups, stemmed groups) pairs.
    """
    n = len(words)
    if n == 0:
        return []
    out: list[tuple[tuple[str, ...], Variant]] = []
    for cuts in product((True, False), repeat=n - 1):
        if NUMBER in words and any(
            not cut and NUMBER in (words[i], words[i + 1]) for i, cut in enumerate(cuts)
        ):
            continue  # a figure joins no word
        groups: list[str] = []
        cur = words[0]
        for w, cut in zip(words[1:], cuts, strict=False):
            if cut:
                groups.append(cur)
                cur = w
            else:
                cur += w
        groups.append(cur)
        out.append((tuple(groups), tuple(stem(g) for g in groups)))
        if len(out) >= MAX_JOIN_VARIANTS:
            break
    return out


@lru_cache(maxsize=1)
def _abbrev_table() -> list[list[list[str]]]:
    return [[phrase_tokens(p) for p in group] for group in ABBREVIATIONS]


def _expand(words: list[str]) -> list[list[str]]:
    """The phrase, plus each variant with an abbreviation swapped for its equivalents."""
    out = [words]
    seen = {tuple(words)}
    for group in _abbrev_table():
        for member in group:
            m = len(member)
            for i in range(len(words) - m + 1):
                if words[i : i + m] != member:
                    continue
                for other in group:
                    if other is member:
                        continue
                    cand = words[:i] + other + words[i + m :]
                    if tuple(cand) not in seen:
                        seen.add(tuple(cand))
                        out.append(cand)
    return out


def alternatives(phrase: str) -> list[str]:
    """'goal|objective|aim' -> its alternatives; a phrase without '|' is its own only one."""
    return [a.strip() for a in phrase.split("|") if a.strip()]


def _compile_phrase(phrase: str) -> _Phrase:
    variants: list[Variant] = []
    near: list[Variant] = []
    seen: set[Variant] = set()
    surfaces: dict[str, str] = {}
    words_all: set[str] = set()
    for alt in alternatives(phrase):
        tokens = phrase_tokens(alt)
        words_all.update(tokens)
        for n, words in enumerate(_expand(tokens)):
            for k, (groups, v) in enumerate(_partitions(words)):
                surfaces.update(zip(groups, v, strict=False))
                if n == 0 and k == 0 and _may_reorder(v):
                    near.append(v)  # the phrase as written, word by word: tried in any order too
                if v not in seen:
                    seen.add(v)
                    variants.append(v)
    # a variant starts with its first stem; an any-order match needs its second too
    anchors = frozenset(v[0] for v in variants) | {v[1] for v in near}
    by_first: dict[str, list[Variant]] = {}
    for v in variants:
        by_first.setdefault(v[0], []).append(v)
    own = frozenset(words_all)
    return _Phrase(phrase, variants, surfaces, own, anchors, near, by_first, not NEGATION_CUES.isdisjoint(own))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


@lru_cache(maxsize=64)
def compile_rubric(rubric: Rubric) -> Compiled:
    def compiled(it: Item) -> _CompiledItem:
        signals = [[_compile_phrase(p) for p in sig] for sig in it.signals]
        return _CompiledItem(it, signals, negates=any(ph.negative for sig in signals for ph in sig))

    items = [compiled(it) for it in rubric.items]
    for ci in items:
        ci.parts = [
            (name, compiled(replace(ci.item, id=f"{ci.item.id}/{name}", signals=sigs, parts=())))
            for name, sigs in ci.item.parts
        ]
    every = items + [part for ci in items for _, part in ci.parts]
    c = Compiled(items)
    for ci in every:
        for sig in ci.signals:
            for ph in sig:
                for v in ph.variants:
                    c.vocab.update(v)
        for word in phrase_tokens(ci.item.text + " " + ci.item.why):
            c.known.add(stem(word))
    c.known |= c.vocab
    c.heads = {v[:k] for v in c.vocab for k in range(2, len(v))}
    # typo targets: every signal stem, and every signal word as written (a typo
    # can change what the stemmer strips: "calibraton" is one letter from
    # "calibration" but its stem is far from "calibr")
    forms: dict[str, str] = {s: s for s in c.vocab}
    for ci in every:
        for sig in ci.signals:
            for ph in sig:
                forms.update(ph.surfaces)
    for form, target in forms.items():
        if len(form) >= FUZZY_MIN_LEN - 1 and form.isalpha():
            for d in _deletes(form):
                c.deletes.setdefault(d, set()).add(form)
            c.targets[form] = target
            c.longest = max(c.longest, len(form))
    return c


def _fuzzy(c: Compiled, st: str, word: str) -> tuple[str, ...]:
    """Signal stems that a word (with stem `st`) is a one-letter typo of."""
    got = c.fuzzy_cache.get(word)
    if got is not None:
        return got
    found: set[str] = set()
    if (
        FUZZY_MIN_LEN <= len(word) <= c.longest + 1
        and word.isalpha()
        and st not in c.known
        and word not in COMMON_WORDS
        and st not in _COMMON_STEMS
        and word not in bank_vocabulary()
    ):
        from rapidfuzz.distance import OSA

        for form in (st, word):
            cands: set[str] = set()
            for d in _deletes(form):
                cands |= c.deletes.get(d, set())
            for cand in cands:
                if cand[0] == form[0] and OSA.distance(form, cand) == 1:
                    found.add(c.targets[cand])
    got = tuple(sorted(found))
    c.fuzzy_cache[word] = got
    return got


_COMMON_STEMS = frozenset(stem(w) for w in COMMON_WORDS)
# Words too light to anchor an any-order match.
_FUNCTION_STEMS = frozenset(
    stem(w)
    for w in "it we us they them do doe can will has have not no per via vs and or from into than "
    "out off up down over under all one two use".split()
)

# --------------------------------------------------------------------------- matching

# One stem's reading: the sentences without a rejecting word that hold it, then
# (sentence, span) where it is made and where it is turned down in the others.
_Single = tuple[set[int], list[tuple[int, tuple[int, int]]], list[tuple[int, tuple[int, int]]]]


class _Index(dict[str, dict[int, dict[int, tuple[int, ...]]]]):
    """stem -> sentence index -> content position -> lengths (in content words) of the
    entries there (2 for two words written as one compound, "fall back" for "fallback").

    Also the sentences that may reject something and, made when first asked for, each
    stem's sentences as the bits of an int (the sentences holding several stems are one
    AND) and each one-word reading (`single`).
    """

    def __init__(self, sentences: list[Sentence]) -> None:
        super().__init__()
        self.sentences = sentences
        self.masks: dict[str, int] = {}
        self.bits = [1 << si for si in range(len(sentences))]
        self.cued = {si for si, sent in enumerate(sentences) if sent.has_cue}  # may reject something
        self.singles: dict[str, _Single] = {}

    def single(self, st: str) -> _Single:
        """Where one stem is made: the sentences without any rejecting word, then its spans
        in the other sentences, those it is made in and those that turn it down. Many
        phrases of a rubric share a one-word alternative ("latency"): each is read once."""
        got = self.singles.get(st)
        if got is None:
            at = self[st]
            good: list[tuple[int, tuple[int, int]]] = []
            bad: list[tuple[int, tuple[int, int]]] = []
            for si in at.keys() & self.cued:
                sent = self.sentences[si]
                for p, lengths in at[si].items():
                    for ln in lengths:
                        (bad if rejects(sent, p, p + ln) else good).append((si, (p, p + ln)))
            got = self.singles[st] = (at.keys() - self.cued, good, bad)
        return got

    def sentence_bits(self, st: str) -> int:
        bits = self.masks.get(st)
        if bits is None:
            bits = self.masks[st] = sum(map(self.bits.__getitem__, self.get(st, ())))
        return bits

_ONE = (1,)
_RANGE = (1, 2)


def _build_index(c: Compiled, sentences: list[Sentence]) -> _Index:
    index = _Index(sentences)
    read = c.word_targets
    pairs = c.pair_stems
    figures = NUMBER in c.vocab
    for si, sent in enumerate(sentences):
        stems = sent.stems
        words = sent.content_words
        last = len(stems) - 1
        for p, st in enumerate(stems):
            w = words[p]
            got = read.get(w)
            if got is None:
                got = read[w] = _read_word(c, w, st, figures)
            if got is _NOTHING:
                continue  # a word in no signal
            targets, firsts, digits = got
            span: tuple[int, ...] = _ONE
            if (  # a range, "100-150 ms", is said of each end: its first number spans it
                digits
                and p < last
                and words[p + 1].isdecimal()
                and sent.clause[sent.content[p]] == sent.clause[sent.content[p + 1]]
            ):
                span = _RANGE
            for t in targets:  # distinct stems: each stands at most once at (si, p)
                if t == NUMBER:  # a figure, "50 k" or "thirty thousand", stands at its first word
                    if p == 0 or not numberish(words[p - 1]):
                        end = figure_end(words, p)
                        if end > p:
                            index.setdefault(NUMBER, {}).setdefault(si, {})[p] = (end - p,)
                    continue
                at = index.get(t)
                if at is None:
                    index[t] = {si: {p: span}}
                else:
                    row = at.get(si)
                    if row is None:
                        at[si] = {p: span}
                    else:
                        row[p] = span
            # two words written for one ("fall back" for "fallback"); a hedge ends none
            # ("label definitely" is no "labeldefinit(ion)"), nor does punctuation between
            # them ("no protection - control" is no "protectcontrol")
            if (
                firsts
                and p < last
                and words[p + 1] not in HEDGES
                and sent.clause[sent.content[p]] == sent.clause[sent.content[p + 1]]
            ):
                nxt = words[p + 1]
                for first in firsts:
                    pair = first + nxt
                    joined = pairs.get(pair)
                    if joined is None:
                        joined = stem(pair)
                        joined = pairs[pair] = joined if joined in c.vocab else ""
                    if joined:
                        row = index.setdefault(joined, {}).setdefault(si, {})
                        if 2 not in row.get(p, ()):
                            row[p] = (*row.get(p, ()), 2)
    return index


def _read_word(c: Compiled, w: str, st: str, figures: bool) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """What an answer's word can stand for: the signal stems it counts as (itself, the
    word it is a typo of, a figure), and the forms of it that can start two words
    written as one - only words that begin some signal stem can, and an inflected
    first word joins by its stem ("falls back", "rolled out" for "fallback", "rollout")."""
    targets = (st,) if st in c.vocab else _fuzzy(c, st, w)
    if figures and numberish(w):
        targets += (NUMBER,)
    firsts = tuple(f for f in ((w, st) if st != w else (w,)) if f in c.heads)
    return (targets, firsts, w.isdecimal()) if targets or firsts else _NOTHING


_NOTHING: tuple[tuple[str, ...], tuple[str, ...], bool] = ((), (), False)


def _shared_sentences(index: _Index, variant: Variant) -> list[int] | None:
    """Sentences holding every stem of the variant, in order (None when there are none)."""
    bits = -1
    masks = index.masks
    for st in variant:
        got = masks.get(st)
        bits &= index.sentence_bits(st) if got is None else got
        if not bits:
            return None
    out = []
    while bits:
        low = bits & -bits
        out.append(low.bit_length() - 1)
        bits ^= low
    return out


def _find(index: _Index, variant: Variant) -> list[tuple[int, int, int]]:
    """Occurrences (sentence, start, end) of a variant's stems in consecutive words."""
    sents = _shared_sentences(index, variant)
    if not sents:
        return []
    first = index[variant[0]]
    rest = [index[st] for st in variant[1:]]
    # after a figure, up to FIGURE_GAP words may name what it counts: "50k support chats a day"
    gap = FIGURE_GAP if variant[0] == NUMBER else 0
    hits: list[tuple[int, int, int]] = []
    for si in sents:
        for start, lengths in first[si].items():
            ends = {start + ln + g for ln in lengths for g in range(gap + 1)}
            for entries in rest:
                at = entries[si]
                nxt: set[int] = set()
                for e in ends:
                    for ln in at.get(e, ()):
                        nxt.add(e + ln)
                ends = nxt
                if not ends:
                    break
            for e in ends:
                hits.append((si, start, e))
    return hits


def _crosses_hard_break(sent: Sentence, s: int, e: int) -> bool:
    """Do content words [s, e) run across a semicolon, a spaced dash or an arrow?"""
    clause = sent.clause
    first, last = clause[sent.content[s]], clause[sent.content[e - 1]]
    return first != last and any(first < c <= last for c in sent.hard_breaks)


def _may_reorder(variant: Variant) -> bool:
    """Can this phrase also match with its words in another order?"""
    return (
        len(variant) > 1
        and len(set(variant)) == len(variant)
        # "model it as" must not match "the model ... retrain it"
        and not any(len(st) < 3 or st in _FUNCTION_STEMS for st in variant)
    )


def _near(
    index: _Index, variant: Variant, slack: int, skip: set[int] | None = None
) -> list[tuple[int, int, int]]:
    """Occurrences of all of a variant's stems, in any order, within a short span of one sentence.

    People write "labels are delayed" for "delayed labels" and "velocity of the
    card's transactions" for "transaction velocity"; a phrase also matches when
    its words stand within len(phrase) + slack words of each other.
    """
    common = _shared_sentences(index, variant)
    if not common:
        return []
    if skip:
        common = [si for si in common if si not in skip]
    per_stem = [index[st] for st in variant]
    width = len(variant) + slack
    hits: list[tuple[int, int, int]] = []
    for si in common:
        events = sorted(
            (pos, k) for k, d in enumerate(per_stem) for pos, lengths in d[si].items() if 1 in lengths
        )
        counts = [0] * len(variant)
        have = 0
        lo = 0
        for pos, k in events:
            if counts[k] == 0:
                have += 1
            counts[k] += 1
            while have == len(variant):
                start = events[lo][0]
                if pos - start + 1 <= width:
                    hits.append((si, start, pos + 1))
                k0 = events[lo][1]
                counts[k0] -= 1
                if counts[k0] == 0:
                    have -= 1
                lo += 1
    return hits


# Per phrase: sentences without any rejecting word where it is made; and, in
# sentences that hold such a word, the spans (content positions) where it is
# made and where it is rejected.
_Spans = dict[int, list[tuple[int, int]]]


class _Hits:
    __slots__ = ("bad", "clean", "good")

    def __init__(self, clean: set[int] | None = None, good: _Spans | None = None, bad: _Spans | None = None) -> None:
        self.clean: set[int] = set() if clean is None else clean
        self.good: _Spans = {} if good is None else good
        self.bad: _Spans = {} if bad is None else bad


_NO_HITS = _Hits()  # many phrases of a rubric stand nowhere in an answer: shared, never changed


def _phrase_hits(index: _Index, phrase: _Phrase, sentences: list[Sentence]) -> _Hits:
    if index.keys().isdisjoint(phrase.anchors):
        return _NO_HITS
    # made only once something is found: half the phrases read find nothing
    hits: _Hits | None = None

    for first, variants in phrase.by_first.items():
        at = index.get(first)
        if at is None:
            continue  # no variant starting with this stem can match
        for v in variants:
            if len(v) == 1:
                made, said, turned = index.single(first)
                if not (made or said or turned):
                    continue
                if hits is None:
                    hits = _Hits()
                hits.clean |= made
                for si, span in said:
                    hits.good.setdefault(si, []).append(span)
                for si, span in turned:
                    hits.bad.setdefault(si, []).append(span)
            elif v[-1] in index:  # cheap test before any search: both ends must stand somewhere
                for si, s, e in _find(index, v):
                    sent = sentences[si]
                    if sent.hard_breaks and _crosses_hard_break(sent, s, e):  # (most sentences have none)
                        continue  # "no protection - control keeps ..." is no "protect control"
                    if hits is None:
                        hits = _Hits()
                    if not sent.has_cue:  # no rejecting word anywhere in the sentence
                        hits.clean.add(si)
                    elif rejects(sent, s, e):
                        hits.bad.setdefault(si, []).append((s, e))
                    else:
                        hits.good.setdefault(si, []).append((s, e))
    for v0 in phrase.near:
        if v0[0] not in index or v0[1] not in index:
            continue
        # a sentence already making it needs no more
        for si, s, e in _near(index, v0, NEAR_SLACK, hits.clean if hits is not None else None):
            sent = sentences[si]
            if sent.clause[sent.content[s]] != sent.clause[sent.content[e - 1]]:
                continue  # words in another order must stand in one clause
            if hits is None:
                hits = _Hits()
            # "ROC AUC rather than PR AUC" is not "PR AUC" in another order: a span with
            # a rejection inside it is no match at all
            if sent.has_cue:
                inside = sent.words[sent.content[s] : sent.content[e - 1] + 1]
                if any(w in NEGATION_CUES or w in AVOID_CUES for w in inside if w not in phrase.words) or any(
                    f"{x} {y}" in NEGATION_BIGRAMS for x, y in pairwise(inside)
                ):
                    continue
                # words gathered from across a clause are too loose a reading to turn anything
                # down: "avoid point-in-time leakage by logging features" is no rejection of
                # "point in time features", nor of the logging it names
                if not rejects(sent, s, e):
                    hits.good.setdefault(si, []).append((s, e))
            else:
                hits.clean.add(si)
    return _NO_HITS if hits is None else hits


def _own_negations(sig: list[_Phrase], per_sig: list[_Hits], sentences: list[Sentence]) -> list[_Hits]:
    """A list signal whose point is a negation ([declined, never learn], [split, not at random]):
    the "never" that one phrase is made of does not turn down the others in its sentence."""
    negative = [ph.negative for ph in sig]
    out = []
    for neg, h in zip(negative, per_sig, strict=True):
        if neg or not h.bad:
            out.append(h)
            continue
        mended = _Hits(h.clean, dict(h.good), {})
        for si, spans in h.bad.items():
            sent = sentences[si]
            own = {
                sent.content[k]
                for n2, h2 in zip(negative, per_sig, strict=True)
                if n2
                for s, e in h2.good.get(si, []) + h2.bad.get(si, [])
                for k in range(s, e)
            }
            for span in spans:
                to = mended.good if own and not rejects(sent, *span, own) else mended.bad
                to.setdefault(si, []).append(span)
        out.append(mended)
    return out


def _negations_said(
    signals: list[list[_Phrase]], hits: list[list[_Hits]], sentences: list[Sentence]
) -> dict[int, set[int]]:
    """Per sentence, the words of the phrases found there whose point is a negation ("never
    get labels"): their "never" makes the point, and turns down no other signal's words."""
    said: dict[int, set[int]] = {}
    # hits may stop before the last signal, and a signal's hits at its first phrase found nowhere
    for sig, per_sig in zip(signals, hits, strict=False):
        for ph, h in zip(sig, per_sig, strict=False):
            if h.good and ph.negative:
                for si, spans in h.good.items():
                    content = sentences[si].content
                    said.setdefault(si, set()).update(content[k] for s, e in spans for k in range(s, e))
    return said


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    s, e = span
    return any(s < oe and os_ < e for os_, oe in others)


def _match_item(
    ci: _CompiledItem, index: _Index, sentences: list[Sentence], memo: dict[str, _Hits] | None = None
) -> tuple[tuple[list[int], int, int] | None, int | None]:
    """The best evidence (sentence indices, the signal that found them, and how many of
    the item's signals find it, counted up to two), if any; else a rejecting sentence, if any.

    Words that reject the item through one signal ("skip position-bias
    correction") are not evidence for it through another ("bias") either; the
    rest of that sentence still is ("the home feed only, not up next").
    """
    hits: list[list[_Hits]] = []
    complete: list[bool] = []  # False: a phrase of this list signal stands nowhere
    own = ci.item.stage
    memo = {} if memo is None else memo  # one phrase often stands in many list signals

    def phrase_hits(sig: list[_Phrase]) -> tuple[list[_Hits], bool]:
        """Each phrase's hits, up to the first phrase that stands nowhere (if any: False)."""
        per_sig = []
        for ph in sig:
            got = memo.get(ph.text)
            if got is None:
                memo[ph.text] = got = _phrase_hits(index, ph, sentences)
            per_sig.append(got)
            if not (got.clean or got.good or got.bad):
                return per_sig, False  # the rest of the list cannot make it match
        if len(sig) > 1 and any(ph.negative for ph in sig):
            per_sig = _own_negations(sig, per_sig, sentences)
        return per_sig, True

    for sig in ci.signals:
        per_sig, whole = phrase_hits(sig)
        hits.append(per_sig)
        complete.append(whole)
        # enough once a plain statement in the item's own stage makes the point: a
        # sentence without any rejecting word cannot be turned by another signal
        if len(sig) == 1 and any(sentences[si].stage == own for si in per_sig[0].clean):
            break
    rejected: _Spans = {}
    said = _negations_said(ci.signals, hits, sentences) if ci.negates else {}
    for per_sig in hits:
        for h in per_sig:
            for si, spans in h.bad.items():
                negating = said.get(si)
                if negating:  # "declined transactions never get a label" rejects no "label"
                    spans = [sp for sp in spans if rejects(sentences[si], *sp, negating)]
                rejected.setdefault(si, []).extend(spans)

    def shown() -> int | None:
        """The sentence to show as turning the point down: one that rejects a signal whole,
        every phrase of it. A rejected word that is only part of a list ("test" in [train,
        older, test]) is no verdict: "I'd skip a per-user A/B test" says nothing about a
        temporal split, nor "instead of only predicting the average" about [down, average]."""
        said_no: list[int] = []
        for per_sig, whole in zip(hits, complete, strict=True):
            if whole:
                said_no += set.intersection(*(set(h.bad) for h in per_sig))
        return min(said_no) if said_no else None

    def allowed(h: _Hits) -> Iterable[int]:
        """Sentences where the phrase stands and no rejection covers it."""
        yield from h.clean
        for si, spans in h.good.items():
            against = rejected.get(si)
            if not against or not all(_overlaps(sp, against) for sp in spans):
                yield si

    def rank(si: int, k: int, scattered: bool = False) -> tuple[bool, int, bool, int, int]:
        """One sentence making the whole point first (phrases gathered from several sentences
        are weaker evidence, wherever they stand), then evidence in the item's own stage (or
        under a broad heading, "## Approach", that may hold it), then a statement before a
        question ("Do we have velocity features?" is weaker evidence than the answer to it),
        then the earliest."""
        sent = sentences[si]
        return (scattered, 0 if sent.stage == own else 2 - sent.broad, sent.text.endswith("?"), si, k)

    def evidence(
        k: int, per_phrase: list[_Hits], whole: bool
    ) -> tuple[tuple[bool, int, bool, int, int], list[int]] | None:
        """Signal k's best evidence: its rank and its sentences."""
        if not whole:
            return None
        if len(per_phrase) == 1:
            found = [(rank(si, k), [si]) for si in allowed(per_phrase[0])]
            return min(found) if found else None
        # every phrase somewhere in one paragraph: paragraph -> the sentences making it
        by_para: list[dict[int, set[int]]] = []
        for h in per_phrase:
            paras: dict[int, set[int]] = {}
            for si in allowed(h):
                paras.setdefault(sentences[si].paragraph, set()).add(si)
            if not paras:
                return None
            by_para.append(paras)
        common = set(by_para[0])
        for paras in by_para[1:]:
            common &= paras.keys()
        best = None
        for para in common:
            # one sentence making the whole point is the evidence; else each phrase's first
            together = set.intersection(*(paras[para] for paras in by_para))
            sents = [min(together)] if together else sorted({min(paras[para]) for paras in by_para})
            key = rank(sents[0], k, len(sents) > 1)
            if best is None or key < best[0]:
                best = (key, sents)
        return best

    # prefer evidence written under the item's own stage, then the earliest sentence
    found = [e for k, per_phrase in enumerate(hits) if (e := evidence(k, per_phrase, complete[k]))]
    if not found:
        return None, shown() if rejected else None
    key, sents = min(found)
    ways = len(found)
    # a point made through one signal only is credited less surely: see whether one
    # of the signals left unread above makes it too (those already read for other items first)
    if ways < 2 and len(hits) < len(ci.signals):
        unread = sorted(
            range(len(hits), len(ci.signals)), key=lambda k: not all(ph.text in memo for ph in ci.signals[k])
        )
        for k in unread:
            if evidence(k, *phrase_hits(ci.signals[k])):
                ways += 1
                break
    return (sents, key[-1], min(ways, 2)), None  # a point made needs no rejection shown


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Scoring makes some hundred thousand short-lived lists, sets and tuples, none of
    them in a reference cycle: each is freed as soon as it is no longer used. The cycle
    collector would walk them over and over for nothing (5% of the work of scoring a
    long answer), so it waits until scoring is done."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def score(answer: Answer, rubric: Rubric, given: tuple[str, ...] = ()) -> ScoreResult:
    """Score an answer against a rubric (the question's items plus common ones). `given`:
    the question's own text (`Question.given`); sentences copied from it make no point."""
    with _no_cycle_collection():
        return _score(answer, rubric, given)


def _score(answer: Answer, rubric: Rubric, given: tuple[str, ...] = ()) -> ScoreResult:
    compiled = compile_rubric(rubric)
    sentences = analyse(
        [(s.stage, s.text) for s in answer.sections], {k for k, s in enumerate(answer.sections) if s.broad}
    )
    if given:
        sentences = _own_sentences(sentences, given)
    index = _build_index(compiled, sentences)
    results: list[ItemResult] = []
    memo: dict[str, _Hits] = {}
    for ci in compiled.items:
        found, rejected = _match_item(ci, index, sentences, memo)
        said_no = sentences[rejected].text if rejected is not None else None
        # a point made of parts is made when every part is, each anywhere in the answer
        made = (
            [(name, got) for name, part in ci.parts if (got := _match_item(part, index, sentences, memo)[0])]
            if ci.parts and (not found or found[2] < 2)
            else []
        )
        every_part = bool(ci.parts) and len(made) == len(ci.parts)
        if found:
            best, k, ways = found
            results.append(
                ItemResult(
                    ci.item,
                    True,
                    evidence=" ... ".join(sentences[i].text for i in best),
                    found_in=sentences[best[0]].stage,
                    signal=_as_found(ci.item.signals[k], [sentences[i] for i in best]),
                    # less sure: made through one signal only (unless every part is made too), or
                    # only under another stage's heading - each wrong about four times as often - unless
                    # that heading names its stage only broadly ("## Approach" in a design doc)
                    check=(ways < 2 and not every_part)
                    or (sentences[best[0]].stage not in (None, ci.item.stage) and not sentences[best[0]].broad),
                )
            )
        elif every_part:
            best = sorted({i for _, (sents, _, _) in made for i in sents})
            signals = [
                _as_found(part.item.signals[got[1]], [sentences[i] for i in got[0]])
                for (_, part), (_, got) in zip(ci.parts, made, strict=True)
            ]
            results.append(
                ItemResult(
                    ci.item,
                    True,
                    evidence=" ... ".join(sentences[i].text for i in best),
                    found_in=sentences[made[0][1][0][0]].stage,
                    signal=" & ".join(signals),
                    check=True,  # gathered from several places: worth a look
                )
            )
        else:
            results.append(ItemResult(ci.item, False, rejected=said_no, partly=tuple(name for name, _ in made)))
    return summarise(rubric.question, results, answer.word_count)


COPIED_RUN = 4  # content words in a row, the same as in the question's text: copied
COPIED_SHARE = 0.75  # a sentence this much copied is the question's, not the answer's
# ... when this many of its words are copied: a question echoed back ("Do we keep the
# unblurred originals?") is the candidate raising it, and a button's name quoted
# ("the 'report spam' and 'not spam' buttons") is the candidate's own sentence
COPIED_MIN = 8
COPIED_WHOLE = 6  # ... or all its words, in a sentence of at least this many


@lru_cache(maxsize=64)
def _runs_of(given: tuple[str, ...]) -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """The stems of the question's text, and every run of COPIED_RUN content words (stems)
    in one of its sentences."""
    stems: set[str] = set()
    runs: set[tuple[str, ...]] = set()
    for sent in analyse([(None, text) for text in given]):
        stems.update(sent.stems)
        runs.update(zip(*(sent.stems[k:] for k in range(COPIED_RUN)), strict=False))
    return frozenset(stems), frozenset(runs)


def _own_sentences(sentences: list[Sentence], given: tuple[str, ...]) -> list[Sentence]:
    """The sentences the candidate wrote: without those copied from the question's text
    (an answer file that opens with the prompt pasted in, a hint typed back), which would
    credit points the question states rather than the answer makes. A sentence that only
    quotes some of the question's words, or restates it in its own, stays."""
    stems_given, runs = _runs_of(given)
    own = []
    for sent in sentences:
        stems = sent.stems
        n = len(stems)
        need = min(n, max(COPIED_MIN, COPIED_SHARE * n))  # copied words that make it a copy
        if n >= COPIED_WHOLE and sum(map(stems_given.__contains__, stems)) >= need:
            copied: set[int] = set()
            for k in range(n - COPIED_RUN + 1):
                if tuple(stems[k : k + COPIED_RUN]) in runs:
                    copied.update(range(k, k + COPIED_RUN))
            if len(copied) >= need:
                continue
        own.append(sent)
    return own


def _as_found(signal: tuple[str, ...], evidence: list[Sentence]) -> str:
    """The signal that found a point, as the report shows it: of a phrase's alternatives
    ("retrain|retraining|refit|..."), the one whose words stand in the evidence; the whole
    phrase when none does plainly (a typo, a compound, a figure)."""
    stems = {st for sent in evidence for st in sent.stems}
    shown = []
    for phrase in signal:
        alts = _alternative_stems(phrase)
        if len(alts) > 1:
            plain = [a for a, need in alts if need <= stems]
            phrase = plain[0] if plain else phrase
        shown.append(phrase)
    return " + ".join(shown)


@lru_cache(maxsize=4096)
def _alternative_stems(phrase: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A phrase's alternatives, each with the stems of its words."""
    return tuple((a, frozenset(stem(w) for w in phrase_tokens(a))) for a in alternatives(phrase))


def summarise(
    question: str, results: list[ItemResult] | tuple[ItemResult, ...], words: int = 0
) -> ScoreResult:
    """Percentages and levels from per-item results (also used after self-scoring)."""
    total = sum(r.item.weight for r in results)
    got = sum(r.item.weight for r in results if r.hit)
    stages: dict[str, float] = {}
    for st in STAGES:
        w = [r for r in results if r.item.stage == st]
        tw = sum(r.item.weight for r in w)
        if tw:
            stages[st] = 100.0 * sum(r.item.weight for r in w if r.hit) / tw
    levels: dict[str, bool] = {}
    below_met = True
    for lv in LEVELS:
        w = [r for r in results if r.item.level == lv]
        tw = sum(r.item.weight for r in w)
        if not tw:  # a rubric without staff items cannot say an answer meets the staff bar
            levels[lv] = False
            continue
        met = below_met and sum(r.item.weight for r in w if r.hit) / tw >= LEVEL_THRESHOLDS[lv]
        levels[lv] = met
        below_met = met
    return ScoreResult(
        question=question,
        items=tuple(results),
        percent=100.0 * got / total if total else 0.0,
        stages=stages,
        levels=levels,
        words=words,
    )
