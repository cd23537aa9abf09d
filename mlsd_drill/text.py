"""Turning free text into sentences and normalised tokens for matching.

Pure functions, no I/O. The scorer matches rubric signals against the tokens
made here, so everything that makes matching forgiving about how people type
(case, punctuation, contractions, `a/b`, `w/o`, `precision@k`, British and
American spellings) lives in this module.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, cast

# Small words that carry no meaning inside a signal phrase ("precision at k" ==
# "precision@k" == "precision k"). Negation words are never in this set.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "was",
        "were",
        "our",
        "my",
        "your",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
    ]
)

# Words that reject what follows them ("no velocity features", "skip A/B tests").
NEGATION_CUES = frozenset(
    [
        "no",
        "not",
        "never",
        "without",
        "skip",
        "skipping",
        "skipped",
        "skips",
        "nor",
        "neither",
        "none",
        "nothing",
        "forget",
    ]
)
# How far back in its clause a cue reaches ("not worried about a feedback loop
# from declined transactions" rejects all of it).
NEGATION_REACH = 14
# "avoid multi-task heads" rejects; "avoid leakage" does not: the cue counts only
# when what follows is not itself a problem to be avoided (stems).
# ("shown but ignored" describes an impression: "ignored" is no cue.)
AVOID_CUES = frozenset({"avoid", "avoiding", "avoided", "avoids", "ignore", "ignoring"})
# Cues that can embrace a remedy ("no leakage", "without downtime", "avoid skew");
# "not", "skip", "ignore" dismiss whatever follows, problems included.
REMEDY_CUES = frozenset({"no", "without", "avoid", "avoiding", "avoided", "avoids", "zero"})
# Short cues reach only a few words: "no need for a fallback", "without history".
CUE_REACH = {"no": 4, "without": 3, "none": 3, "nothing": 3}
# "no leakage", "avoid training-serving skew", "without downtime" embrace a
# remedy: when a phrase ends in one of these (stems), a cue before it does not
# reject it. "no drift monitoring" still does: its last word is not a problem.
PROBLEM_STEMS = frozenset(
    "leak leakag overfit skew bias drift stale stalenes duplic duplicat loop outag downtim spike "
    "bottleneck hotspot clickbait bubbl echo cannib timeout contention collaps imbal "
    "imbalanc noisi nois error mistak bug failur incid risk harm toxic misinform spam fraud abus "
    "degrad decay starv overload exposur penalti churn hallucin doubl".split()
)
# "features don't leak", "scores never drift", "a retry doesn't double the
# count": "not" right before a problem (these words may stand between) states
# a remedy too.
NOT_REMEDY_GAP = frozenset("do does did be been get gets getting ever really actually".split())
# "skip a day between train and test" leaves a gap, it rejects nothing.
TIME_UNITS = frozenset("minute minutes hour hours day days week weeks month months year years".split())
# "click vs no click", "little or no history": an alternative, not a rejection.
ALTERNATIVE_WORDS = frozenset({"vs", "versus", "or"})
# Two-word cues; stored joined with a space.
NEGATION_BIGRAMS = frozenset(
    {
        "rather than",
        "instead of",
        "leave out",
        "leaving out",
        "no need",
        "no point",
        "no reason",
        "hold off",
        "holding off",
        "nobody needs",  # "nobody needs a feature store at this scale"
        "hardly worth",  # "hardly worth building a feature store"
        "barely worth",
        "skeptical of",  # "I'm skeptical of a feature store here"
        "skeptical about",
        "sceptical of",
        "sceptical about",
    }
)
# "we must not show offensive completions" states a requirement, it rejects nothing.
REQUIREMENT_WORDS = frozenset({"must", "should", "shall", "mustn", "shouldn"})
# "if no dates are chosen", "users with no history": a condition, not a rejection.
CONDITION_WORDS = frozenset({"if", "when", "whenever", "where", "with", "unless", "for"})
# "no more than 100 ms" is a constraint, not a rejection.
# ("without hurting revenue" and "don't tank conversion" guard a metric, they reject nothing.)
NOT_NEGATION_AFTER = frozenset(
    [
        "hurting",
        "harming",
        "hurt",
        "harm",
        "dropping",
        "losing",
        "breaking",
        "degrading",
        "sacrificing",
        "tanking",
        "tank",
        "compromising",
        "regressing",
        "more",
        "less",
        "fewer",
        "later",
        "longer",
        "earlier",
        "greater",
        "worse",
        "better",
        "only",
        "just",
        "matter",
        "doubt",
        "gram",
        "grams",
        "connection",
        "connections",
        "list",
        "lists",
        "help",
        "helps",
        "mean",
        "means",
        "tell",
        "tells",
        "optional",
        "substitute",  # "there's no substitute for an A/B test"
    ]
)
# Words that reject what comes before them ("A/B testing is not needed").
POST_NEGATED_WORDS = frozenset(
    [
        "care",  # "sold out: don't care for v1"
        "need",
        "needed",
        "necessary",
        "required",
        "worth",
        "useful",
        "important",
        "helpful",
        "relevant",
        "priority",
        "concern",
        "problem",
        "issue",
        "applicable",
        "matter",
        "matters",
        "build",
        "bother",
        "worry",
        "ours",
        "job",
        "pay",  # "a feature store doesn't pay off here"
    ]
)
# A cue after one of these, in its clause, sits inside a condition and rejects
# nothing: "if the scorer doesn't answer in time we show popular videos".
CONDITION_LEADS = frozenset({"if", "unless", "when", "whenever", "whether", "until"})
POST_REJECTIONS = frozenset(
    {
        "unnecessary",
        "overkill",
        "irrelevant",
        "unneeded",
        "pointless",
        "overthinking",
        "overengineering",
        "premature",
        "mistake",  # "a random split would be a mistake"
        "idea",  # "... is a bad idea"
        "overblown",
        "waste",
    }
)
# "per-card counters are too expensive": what is too costly is turned down.
TOO_WORDS = frozenset(
    "expensive costly complex complicated slow heavy risky fragile brittle hard much noisy".split()
)
# "... is a different team's problem": the point belongs elsewhere.
ELSEWHERE_WORDS = frozenset({"different", "another", "separate", "else"})
# "OCR can wait", "re-ranking is out for v1": the point is put off.
DEFER_WORDS = frozenset({"wait", "out"})
SUBJECTS = frozenset("i we you they he she it there this that our my then also".split())
CLAUSE_BREAK_WORDS = frozenset(
    [
        "but",
        "and",
        "so",
        "because",
        "while",
        "whereas",
        "although",
        "though",
        "however",
        "also",
        "plus",
        "which",
    ]
)

def _at_word(literal: str, rest: str = "") -> re.Pattern[str]:
    """The pattern `\\b` + literal + rest, written so that re looks for the literal first:
    a pattern opening with `\\b` is tried at every position of the text, which cost half
    a millisecond per rewrite on a 5,000-word answer (benchmarks/scoring_speed.py)."""
    lit = re.escape(literal)
    return re.compile(rf"{lit}(?<=\b{lit}){rest}")


# (literal that must be present, pattern, replacement): the literal test skips
# patterns that cannot match, which is most of them for most answers.
_CONTRACTIONS = [
    ("won't", _at_word("won't", r"\b"), "will not"),
    ("can't", _at_word("can't", r"\b"), "can not"),
    ("cannot", re.compile(r"cannot\b"), "can not"),
    ("shan't", _at_word("shan't", r"\b"), "shall not"),
    ("n't", re.compile(r"n't\b"), " not"),
    ("'", re.compile(r"'(?:d|ll|re|ve|m|s)\b"), "_pronoun"),  # we'd -> we, I'll -> i will
    ("'s", re.compile(r"'s\b"), ""),
]
_REWRITES = [
    (
        ("a /", "/ b"),
        _at_word("a", r"\s*/\s*b\b"),
        "ab",
    ),  # a / b test -> ab test ("a/b" is done by _swap_words)
    (("yes/", "yes /"), _at_word("yes", r"\s*/\s*no\b"), "binary"),  # a yes/no target is no rejection
    ("w/o", _at_word("w", r"\s*/\s*o\b"), "without"),
    # "features as of the authorization": a point in time, which the two stopwords alone
    # could not say (a signal "as of X" would be just "X")
    ("as of", _at_word("as of", r"\b"), "asof"),  # (opening with all of "as of": "as" alone is everywhere)
    ("as-of", _at_word("as-of", r"\b"), "asof"),
    ("w/", _at_word("w/", r"(?=\s)"), "with"),
    ("b/c", _at_word("b/c", r"\b"), "because"),
    ("@", re.compile(r"@(?<!\br@)(?<!\bp@)"), " at "),
    ("&", re.compile(r"&"), " and "),
    ("p-", re.compile(r"p-(?<=\bp-)(?=(?:50|90|95|99|999)\b)"), "p"),  # "tail latency at p-99"
    ("a-b", re.compile(r"a-b(?<=\ba-b)(?= test| testing| tests)"), "ab"),  # an "a-b test"
    # "churn = no renewal in 30 days": a definition, which the rejection rules can read as one
    ("=", re.compile(r"=(?<![=<>!]=)(?![=>])\s*(?=(?:no|not|never|without)\b)"), " i.e. "),
    ("%", re.compile(r"%"), " percent "),
    # an arrow ends a thought: -+> or =+> or →, written to open with one character so that
    # re finds it fast
    (("->", "=>", "\u2192"), re.compile(r"[-=\u2192](?:(?<=-)-*>|(?<==)=*>|(?<=\u2192))"), " ; "),
    (
        ("not-", "no-"),
        _at_word("no", r"(t?)-(?=[a-z])"),
        r"no\1",
    ),  # a "not-spam" rate, a "no-show": names, glued
    (" -", re.compile(r"-(?<=\s-)-*\s"), " ; "),  # a spaced dash separates clauses (the space before stays)
    (  # 6k/s, 500m/day, 1M/month
        "/",
        re.compile(r"/\s*(s|sec|second|d|day|h|hr|hour|min|minute|wk|week|mo|month|yr|year)\b"),
        "_rate",
    ),
    ("@", _at_word("r@"), "recall at "),  # R@P90, r@10
    ("@", _at_word("p@"), "precision at "),
    ("", re.compile(r"(\d)(ms|s|k|m|b|gb|tb|mb|qps|x)\b"), r"\1 \2"),
]
# Note-taking shorthand, expanded word by word ("neg downsample", "feats", "hist CTR").
# Ambiguous short forms (pos, adv, lr, dist, lat) are left alone or handled in context.
SHORTHAND = {
    "feat": "feature",
    "feats": "features",
    "emb": "embedding",
    "embs": "embeddings",
    "clf": "classifier",
    "calib": "calibration",
    "hist": "historical",
    "imp": "impression",
    "imps": "impressions",
    "impr": "impression",
    "imprs": "impressions",
    "req": "request",
    "reqs": "requests",
    "ctx": "context",
    "cand": "candidate",
    "cands": "candidates",
    "eval": "evaluation",
    "evals": "evaluations",
    "prob": "probability",
    "probs": "probabilities",
    "pred": "prediction",
    "preds": "predictions",
    "seq": "sequence",
    "txn": "transaction",
    "txns": "transactions",
    "acct": "account",
    "accts": "accounts",
    "msg": "message",
    "msgs": "messages",
    "docs": "documents",
    "auth": "authorization",
    "avg": "average",
    "thresh": "threshold",
    "agg": "aggregate",
    "aggs": "aggregates",
    "regr": "regression",
    "recs": "recommendations",
    "reco": "recommendation",
    "recos": "recommendations",
    "neg": "negative",
    "negs": "negatives",
    "perf": "performance",
    "prod": "production",
    "infra": "infrastructure",
    "approx": "approximate",
    "info": "information",
    "env": "environment",
    "mgmt": "management",
    "async": "asynchronous",
    "params": "parameters",
    "param": "parameter",
    "qry": "query",
    "usr": "user",
    "usrs": "users",
    "freq": "frequency",
    "hrs": "hours",
    "hr": "hour",
    "mins": "minutes",
    "secs": "seconds",
    "w": "with",
    "b4": "before",
    "thru": "through",
    "impt": "important",
    "dedupe": "deduplicate",
    "dims": "dimensions",
    "dim": "dimension",
    "vecs": "vectors",
    "vec": "vector",
    "cfg": "configuration",
    "stats": "statistics",
    "sim": "similarity",
    "bl": "baseline",
    "attrib": "attribution",
    "avail": "availability",
    "dyn": "dynamic",
    "enc": "encoder",
    "tok": "tokens",
    "toks": "tokens",
    "ckpt": "checkpoint",
    "attn": "attention",
    "ckpts": "checkpoints",
}
_SHORTHAND_KEYS = frozenset(SHORTHAND)
_CONTEXT_REWRITES: list[tuple[str | tuple[str, ...], re.Pattern[str], str]] = [
    (("pos ", "pos."), _at_word("pos", r"\.?\s+bias"), "position bias"),
    ("pos/", _at_word("pos", r"\s*/\s*neg\b"), "positive negative"),
    (
        (" lr", "\nlr", "(lr", "/lr", "lr ", "lr,", "lr;"),
        _at_word("lr", r"\b(?!\s*(?:schedule|decay|warm|=|of|\d))"),
        "logistic regression",
    ),
]

# curly quotes and dashes, typed as ASCII (str.replace for each: str.translate reads a
# non-ASCII text character by character, 2 ms on 5,000 words)
_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"))
# A word is a run of letters and digits in any alphabet. Chinese and Japanese
# characters are a word each, since those scripts write no spaces between words
# (a signal of several characters then matches them in a row); Korean does.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD_CHARS = rf"[{_CJK}]|[^\W_{_CJK}]+"
_TOKEN = re.compile(rf"{_WORD_CHARS}|[,;:()\[\]]")
_ANSWER_TOKEN = re.compile(rf'{_WORD_CHARS}|[,;:()\[\]"]')  # answers keep double quotes: "not spam" is a name
_ASCII_ANSWER_TOKEN = re.compile(r'[A-Za-z0-9]+|[,;:()\[\]"]')  # the same on ASCII text, faster
_CLAUSE_PUNCT = frozenset(",;:()[]")
_QUOTE_SPAN = 6  # a quote closed within this many words names something; a lone quote is ignored

# Hedges and sentence adverbs, which are not their root: "probably" is not a probability
# (nor a one-letter slip for it), "likely" not a like, "definitely" not a definition,
# "fairly" not fairness. Adverbs of manner keep their root: "split randomly" is a random split.
HEDGES = frozenset(
    "probably likely unlikely actually basically clearly mostly mainly hardly finally "
    "personally roughly surely fairly honestly ideally obviously definitely generally "
    "essentially literally presumably hopefully certainly apparently".split()
)

# Words that make a figure: "thirty thousand", "2 million", "tens of millions" ("50k" is
# "50 k" by then). A run of them counts as a number when it holds a digit or a scale word.
SCALE_WORDS = frozenset(
    "hundred hundreds thousand thousands million millions billion billions trillion trillions".split()
)
NUMBER_WORDS = SCALE_WORDS | frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety tens few several".split()
)
MULTIPLIERS = frozenset("k m b mm bn mn".split())  # after digits only: "50 k", "1 2 b"

# Everyday words one letter away from a term of the field ("retain" / "retrain",
# "store" / "score", "draft" / "drift"): spelled right, so never read as typos.
COMMON_WORDS = HEDGES | frozenset(
    [
        "retain",
        "retained",
        "retaining",
        "reply",
        "replies",
        "adding",
        "stable",
        "store",
        "stores",
        "stored",
        "taken",
        "share",
        "shared",
        "draft",
        "drafts",
        "clock",
        "clocks",
        "decay",
        "spare",
        "casual",
        "stale",
        "trait",
        "traits",
        "trail",
        "trails",
        "scare",
        "scope",
        "stone",
        "flesh",
        "enmity",
        "election",
        "fair",
        "fairly",
        "banking",
        "banker",
        "latter",
        "modal",
        "tress",
        "sore",
        "trees",
        "treat",
        "treats",
        "cause",
        "caused",
        "close",
        "closed",
        "clause",
        "plain",
        "plane",
        "plan",
        "plans",
        "place",
        "placed",
        "price",
        "priced",
        "pride",
        "prime",
        "crime",
        "crate",
        "create",
        "rate",
        "rated",
        "range",
        "ranged",
        "rank",
        "ranked",
        "later",
        "layer",
        "layers",
        "lapel",
        "libel",
        "level",
        "levels",
        "never",
        "lever",
        "cover",
        "covered",
        "hover",
        "mode",
        "modes",
        "node",
        "nodes",
        "noise",
        "nose",
        "noisy",
        "shard",
        "shark",
        "sharp",
        "spark",
        "spare",
        "spoke",
        "spike",
        "spiked",
        "scale",
        "scales",
        "stall",
        "stake",
        "state",
        "states",
        "stats",
        "start",
        "starts",
        "stark",
        "smart",
        "chart",
        "charts",
        "court",
        "count",
        "counts",
        "cold",
        "could",
        "bold",
        "sold",
        "hold",
        "train",
        "trains",
        "brain",
        "drain",
        "grain",
        "trait",
        "tracks",
        "track",
        "truck",
        "trick",
        "tried",
        "tired",
        "fired",
        "fixed",
        "mixed",
        "mined",
        "minded",
        "mind",
        "kind",
        "find",
        "fund",
        "funds",
        "fence",
        "dense",
        "sense",
        "tense",
        "tensor",
        "tenser",
        "sparse",
        "parse",
        "spares",
        "pares",
        "rises",
        "risks",
        "risky",
        "rusty",
        "dusty",
        "trust",
        "tryst",
        "sever",
        "severe",
        "serve",
        "nerve",
        "verve",
        "great",
        "greater",
        "treat",
        "cheat",
        "cheap",
        "chaos",
        "chose",
        "choose",
        "close",
        "clone",
        "clones",
        "alone",
        "phone",
        "phones",
    ]
)


@lru_cache(maxsize=1)
def bank_vocabulary() -> frozenset[str]:
    """Every word of the bundled bank's text (and COMMON_WORDS): correctly spelled
    words of the field and of everyday English, which are never read as typos.

    "classic" is not a slip for "classif(ication)", nor "sampling" for "simple".
    """
    from mlsd_drill import paths

    words: set[str] = set(COMMON_WORDS)
    root = paths.bundled_bank_dir()
    for folder in ("questions", "rubrics"):
        for p in sorted((root / folder).glob("*.yaml")):
            try:
                words.update(re.findall(r"[a-z]{4,}", p.read_text(encoding="utf-8").lower()))
            except OSError:
                continue
    return frozenset(words)


# British spellings, folded onto American ones before stemming (Snowball stems
# "optimize" to "optim" but leaves "optimise" as "optimis"): whole words first,
# then the regular endings -ise/-isation, -yse, -our, -re, -ence.
_SPELLING = {
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "programme": "program",
    "programmes": "programs",
    "cheque": "check",
    "grey": "gray",
    "dialogue": "dialog",
    "analogue": "analog",
    **{b + end: b[:-2] + "er" + end for b in ("centre", "metre", "litre", "fibre") for end in ("", "s")},
    "centred": "centered",
    "calibre": "caliber",
    **{b + end: b[:-3] + "nse" + end for b in ("licence", "defence", "offence") for end in ("", "s")},
}
_ISE = re.compile(r"^([a-z]{4,}?)is(e|es|ed|ing|ation|ations|ational|er|ers|able)$")
_YSE = re.compile(r"^([a-z]+)ys(e|es|ed|ing|er|ers)$")
# -ise words that are not the British spelling of an -ize word
_ISE_WORDS = frozenset(
    "precise concise promise premise surprise exercise expertise enterprise compromise franchise "
    "supervise comprise merchandise televise improvise treatise disguise paradise reprise apprise "
    "despise incise advertise chastise".split()
)
_OUR = tuple(
    "behaviour neighbour favour colour labour honour flavour harbour humour rumour savour "
    "endeavour vapour armour odour rigour vigour".split()
)


def american(word: str) -> str:
    """The American spelling of a British word ("optimise" -> "optimize"), else the word."""
    got = _SPELLING.get(word)
    if got is not None:
        return got
    m = _ISE.match(word)
    if (
        m
        and m.group(1)[-1] not in "aeiouw"  # raise, noise, cruise, pairwise
        and m.group(1) + "ise" not in _ISE_WORDS
    ):
        return f"{m.group(1)}iz{m.group(2)}"
    m = _YSE.match(word)
    if m and len(m.group(1)) >= 4:  # "analyse", "paralysing"; not "yse" alone
        return f"{m.group(1)}yz{m.group(2)}"
    if "our" in word:
        for b in _OUR:
            if word.startswith(b):
                return b[:-2] + "r" + word[len(b) :]
    return word


_RATE_UNITS = {
    "s": "second",
    "sec": "second",
    "d": "day",
    "h": "hour",
    "hr": "hour",
    "min": "minute",
    "wk": "week",
    "mo": "month",
    "yr": "year",
}


def _rate(m: re.Match[str]) -> str:
    """'6k/s' -> '6k per second', but only after a word ('and/or' is no rate)."""
    start = m.start()
    before = m.string[start - 1] if start else " "
    if not (before.isalnum() or (before == " " and start > 1 and m.string[start - 2].isalnum())):
        return m.group()
    unit = m.group(1)
    return f" per {_RATE_UNITS.get(unit, unit)}"


# Words before "a day" that make it a rate: a count of things ("chats", "50k", "a million") or
# of times ("twice"); not a duration ("under a second", "takes a day", "the lag is a day").
_RATE_AFTER = re.compile(r"(?:[a-z]{2,}s|\d|[kmb]|once|twice|hundred|thousand|million|billion)$")
_NOT_COUNTS = frozenset("is was has as this thus plus less takes across its".split())


_RATE_PHRASE = re.compile(r" (a|an|every) (?=(?:second|minute|hour|day|week|month|year)\b)")


def _per(m: re.Match[str]) -> str:
    """' a ' -> ' per ' after a count ("50k chats a day" -> "50k chats per day")."""
    head = m.string[max(0, m.start() - 12) : m.start()].split()
    word = head[-1] if head else ""
    return " per " if _RATE_AFTER.search(word) and word not in _NOT_COUNTS else m.group()


_PRONOUNS = ("i", "we", "you", "they", "he", "she", "it")


# Contractions after a pronoun with one reading: "I'll assume" is "I will assume".
# "'d" (had or would) and "'s" (is or has) are dropped.
_CONTRACTED = {"'ll": " will", "'ve": " have", "'re": " are", "'m": " am"}


def _pronoun(m: re.Match[str]) -> str:
    """Spell out or drop the contraction after a pronoun ("I'll" -> "i will", "we'd" -> "we");
    keep anything else."""
    head = m.string[max(0, m.start() - 5) : m.start()]
    word = re.split(r"[^a-z]", head)[-1]
    return _CONTRACTED.get(m.group(), "") if word in _PRONOUNS else m.group()


_CALLBACKS: dict[str, Any] = {"_rate": _rate, "_pronoun": _pronoun}


def _swap_words(s: str, old: str, new: str, letter_after: bool = False) -> str:
    """Replace `old` where it begins a word and ends one (or, with `letter_after`,
    where a letter follows it: "p(click").

    The same as a regex with word boundaries, but a plain search for a rare
    string: regexes that begin with a common letter ("a/b", "p(") scan slowly.
    """
    out: list[str] = []
    i = 0
    n = len(old)
    while (j := s.find(old, i)) >= 0:
        k = j + n
        nxt = s[k : k + 1]
        right = nxt.isalpha() if letter_after else not nxt.isalnum()
        out += (s[i:j], new if right and (j == 0 or not s[j - 1].isalnum()) else old)
        i = k
    out.append(s[i:])
    return "".join(out)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold_accents(s: str) -> str:
    """"naïve café résumé" -> "naive cafe resume": letters lose their accents, so a
    signal and an answer match whichever way either was typed.

    Only the runs of non-ASCII characters are folded, each distinct run once: going
    through every character of an answer took 5 ms on 5,000 words with a few arrows."""
    return _NON_ASCII.sub(_fold_run, s)


def _fold_run(m: re.Match[str]) -> str:
    return _fold(m.group())


@lru_cache(maxsize=4096)
def _fold(run: str) -> str:
    # decomposing and reordering never reach across an ASCII character, so a run
    # folds the same on its own as inside the whole text
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", run) if not unicodedata.combining(ch))


_NO_MARKS = ("\u274c", "\u2717", "\u2718", "\U0001f6ab", "\u26d4")  # ❌ ✗ ✘ 🚫 ⛔


def prenormalize(text: str) -> str:
    """Lower-case and rewrite the typing variants that tokenising would lose."""
    s = text.lower()
    if not s.isascii():
        for curly, plain in _QUOTES:
            if curly in s:
                s = s.replace(curly, plain)
        s = fold_accents(s)
    if "a/b" in s:
        s = _swap_words(s, "a/b", "ab")  # a/b test -> ab test
    for mark in _NO_MARKS:
        if mark in s:
            s = s.replace(mark, " no ")  # "Shadow mode ❌", a table cell "| ❌ |": turned down
    for p in ("p(", "p ("):
        if p in s:
            s = _swap_words(s, p, " probability of ( ", letter_after=True)  # P(click | shown)
    for literal, pattern, repl in (*_CONTRACTIONS, *_REWRITES, *_CONTEXT_REWRITES):
        if (literal in s) if isinstance(literal, str) else any(lit in s for lit in literal):
            s = pattern.sub(_CALLBACKS.get(repl, repl), s)
    return _RATE_PHRASE.sub(_per, s)


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


_STEM_CACHE: dict[str, str] = {}

# Words Snowball folds onto unrelated words in this field: "positive" and
# "position" both become "posit", "objective" becomes "object" (as in object
# detection), "personalization" becomes "person".
STEM_OVERRIDES = {
    **dict.fromkeys(("positive", "positives", "positively"), "positiv"),
    # a labeller is a person, not the label they give ("labellers disagree", "labels are late")
    **dict.fromkeys(("labeller", "labellers", "labeler", "labelers"), "labeller"),
    **dict.fromkeys(("objective", "objectives"), "objectiv"),
    # "labels are subjective" is not "subject to a cap" nor an email's subject line
    **dict.fromkeys(("subjective", "subjectively", "subjectivity"), "subjectiv"),
    # "the production model" is not "the product model", nor "production ranking" a "ranked
    # list of products"
    **dict.fromkeys(("production", "productions"), "production"),
    # "embed the query" is no past tense of "emb": it is the verb of "embedding"
    **dict.fromkeys(("embed", "embeds"), "embed"),
    **dict.fromkeys(
        (
            "personalization",
            "personalisation",
            "personalized",
            "personalised",
            "personalize",
            "personalise",
            "personalizing",
            "personalising",
            "personalizes",
            "personalises",
        ),
        "personaliz",
    ),
    **{w: w for w in HEDGES},
}


_IZE = re.compile(r"^[a-z]{3,}iz(?:e|es|ed|ing|ation|ations|ational|er|ers)$")


def _keep_ize(word: str, stemmed: str) -> str:
    """Snowball folds "normalize" onto "normal", "tokenization" onto "token" and
    "localization" onto "local"; an -ize word keeps its own stem ("normaliz"),
    shared by all its forms. "Randomized" stays "random": a random split and a
    randomized one are the same thing."""
    if _IZE.match(word) and not stemmed.endswith("iz") and stemmed != "random":
        return stemmed + "iz"
    return stemmed


_VOWELS = frozenset("aeiouy")


def _mend(word: str, stemmed: str) -> str:
    """Two forms Snowball leaves apart from their own word:
    - the plural of an acronym: "LLMs", "GBDTs", "GPUs", "KPIs" keep their "s" (Snowball
      drops it only after a vowel that does not stand just before it); a word of four
      letters or more whose part before the "s" has no vowel but its last letter is
      read as one, and loses it;
    - "imbalanced", "experienced", "referencing" keep their "-anc"/"-enc" where
      "imbalance", "experience", "reference" lose it: they take the stem of that noun."""
    if stemmed == word and len(word) >= 4 and word[-1] == "s" and _VOWELS.isdisjoint(word[:-2]):
        return word[:-1]
    if stemmed.endswith(("anc", "enc")) and word.endswith(("ed", "ing")):
        return cast(str, _stemmer().stemWord(stemmed + "e"))  # type: ignore[attr-defined]
    return stemmed


def _stem_fresh(words: list[str]) -> list[str]:
    """Stems computed, not looked up: British spellings folded, overrides applied."""
    us = [american(w) for w in words]
    stems = _stemmer().stemWords(us)  # type: ignore[attr-defined]
    return [
        STEM_OVERRIDES.get(w) or _keep_ize(u, _mend(u, st)) for w, u, st in zip(words, us, stems, strict=True)
    ]


def stem(word: str) -> str:
    got = _STEM_CACHE.get(word)
    if got is None:
        got = _stem_fresh([word])[0]
        if len(_STEM_CACHE) < 200_000:
            _STEM_CACHE[word] = got
    return got


def stem_many(words: list[str]) -> list[str]:
    known = list(map(_STEM_CACHE.get, words))
    if None not in known:
        return cast(list[str], known)
    missing = [w for w in set(words) if w not in _STEM_CACHE]
    if missing:
        stems = _stem_fresh(missing)
        if len(_STEM_CACHE) < 200_000:
            _STEM_CACHE.update(zip(missing, stems, strict=False))
        else:
            return [_STEM_CACHE.get(w) or stem(w) for w in words]
    return [_STEM_CACHE[w] for w in words]


@dataclass
class Sentence:
    """One sentence of an answer, ready for matching."""

    text: str  # as typed, whitespace folded: shown as evidence
    paragraph: int
    stage: str | None
    words: list[str]  # every word token, lower-cased
    clause: list[int]  # clause number of each word
    content: list[int]  # indices into `words` of the non-stopwords
    stems: list[str]  # stems of the content words, aligned with `content`
    has_cue: bool = False  # holds a word that can reject something (not, no, skip, avoid...)
    content_words: list[str] = field(default_factory=list)  # the words of `content`, in order
    # words from this index on are turned down: a question the next sentence refuses ("A
    # holdout? No - ..."), or only its tail when a statement ends in one ("LR first, then a
    # two tower? No - ..."); a line listed under "Things I'd skip:"
    refused_from: int | None = None
    quoted: frozenset[int] = frozenset()  # indices into `words` inside a short quotation
    hard_breaks: frozenset[int] = frozenset()  # clauses that begin after ";" (a spaced dash, an arrow)
    verdicts: dict[tuple[int, int], bool] = field(default_factory=dict)  # rejects() of each span, once
    broad: bool = False  # under a heading that names its stage only broadly ("## Approach")


_BULLET = re.compile(r"^\s*(?:[-*+\u2022>]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
# A sentence ends at ".", "!" or "?" (kept) and any closing quotes or brackets (dropped)
# before a space. Written without a look-behind, which would be tried at every letter.
_SENT_END = re.compile(r"([.!?])[\"')\]]*\s+(?=\S)")
# Abbreviations whose dot ends no sentence.
_ABBREVIATED = frozenset("e.g. i.e. etc. vs. approx. incl. resp. cf. eg. ie.".split())


# A line that ends mid-phrase: the next line goes on with the sentence. (Read off the last
# character and word: a regex anchored at the end would be tried at every letter.)
_OPEN_END_MARKS = frozenset(",(/&+=>-\u2013\u2014\u2192")
_OPEN_END_WORDS = frozenset(
    "and or but with without to of the a an for in on at by via than that which because so if when then "
    "is are was were be".split()
)


def _ends_open(line: str) -> bool:
    tail = line.rstrip()
    if not tail:
        return False
    if tail[-1] in _OPEN_END_MARKS:
        return True
    return tail.rsplit(None, 1)[-1].lstrip("([\"'").lower() in _OPEN_END_WORDS


_WORDLESS = re.compile(r"^[\W_]*$")  # a table rule "|---|---|", a code fence, "---"


MIN_WRAP_WIDTH = 50  # editors wrap prose at 60 to 100 columns; shorter lines are notes


def _wraps(before: str, line: str, width: int) -> bool:
    """Would an editor wrapping at `width` have broken the line here - is there no room
    left on the line before for the next line's first word?"""
    first = line.split(None, 1)[0] if line.strip() else ""
    return width >= MIN_WRAP_WIDTH and len(before.rstrip()) + 1 + len(first) > width


def _goes_on(before: str, line: str, in_item: bool, width: int, wrapped: bool) -> bool:
    """Does `line` carry on the sentence of the line before it? Notes put one point per
    line without a full stop, and a table one row per line, so a line break ends a
    sentence - except under a list item, where an indented line goes on with the item;
    after a line that ends mid-phrase ("," "and" "->"); and where an editor wrapped
    the prose (the next word had no room on the line; in a paragraph wrapped
    throughout, before any word, else before a lower-case one)."""
    if in_item and line[:1].isspace():
        return True
    if _ends_open(before):
        return True
    return _wraps(before, line, width) and (wrapped or line.lstrip()[:1].islower())


def _wrapped_throughout(lines: list[str], width: int) -> bool:
    """Is a paragraph of three lines or more prose wrapped by an editor: does nearly every
    line end where the next word had no room?"""
    text = [ln for ln in lines if ln.strip() and not _HEADING.match(ln) and not _BULLET.match(ln)]
    if len(text) < 3:
        return False
    breaks = list(pairwise(text))
    return sum(_wraps(a, b, width) for a, b in breaks) >= 0.8 * len(breaks)


def split_pieces(paragraph: str) -> list[tuple[str, bool]]:
    """Sentences of a paragraph, each with whether it begins a line or bullet
    (bullet lines always start a new sentence, and so do most other lines)."""
    pieces: list[str] = []
    current: list[str] = []
    before = ""  # the line before, as typed
    in_item = False  # is the current piece a list item?
    lines = paragraph.splitlines()
    width = max(len(ln.rstrip()) for ln in lines) if lines else 0  # the wrap width, at least
    wrapped = _wrapped_throughout(lines, width)
    for line in lines:
        if _HEADING.match(line):
            continue
        bullet = _BULLET.match(line)
        if current and (bullet or not _goes_on(before, line, in_item, width, wrapped)):
            pieces.append(" ".join(current))
            current = []
        if bullet or not current:
            in_item = bool(bullet)
        stripped = (line[bullet.end() :] if bullet else line).strip()
        if stripped and not _WORDLESS.match(stripped):
            current.append(stripped)
            before = line
    if current:
        pieces.append(" ".join(current))
    out: list[tuple[str, bool]] = []
    for piece in pieces:
        held = ""  # a piece that ended in "e.g." or "vs.": the sentence goes on
        first = True
        parts = _SENT_END.split(piece)  # text, end mark, text, end mark, ..., text
        for s in map(str.__add__, parts[0::2], [*parts[1::2], ""]):
            s = f"{held} {s}" if held else s
            tail = s[-8:].rsplit(None, 1)[-1].lstrip("([\"'").lower() if s.endswith(".") else ""
            if tail in _ABBREVIATED:
                held = s
                continue
            held = ""
            s = s.strip()
            if s:
                out.append((" ".join(s.split()), first))
                first = False
        if held.strip():
            out.append((" ".join(held.split()), first))
    return out


_PARA_BREAK = re.compile(r"\n\s*\n")


# "Calibration: skip.", "Shadow mode (dropped)", "canary - cut for time": a verdict standing
# alone after the point
LONE_VERDICTS = frozenset(
    {"no", "nope", "nah", "skip", "skipped", "skipping", "none", "dropped", "cut", "deferred", "postponed", "scrapped"}
)
# Words that can reject something: a sentence without any is never read as a rejection.
_CUE_WORDS = (
    NEGATION_CUES
    | AVOID_CUES
    | POST_REJECTIONS
    | {"rather", "instead", "leave", "leaving", "scope", "too", "hold", "holding", "nobody", "skeptical", "sceptical"}
    | {"hardly", "barely"}
    | ELSEWHERE_WORDS
    | DEFER_WORDS
    | LONE_VERDICTS
)
# "go with X over Y", "prefer X over Y": Y is passed over (with "over", these cue a rejection)
CHOOSING_WORDS = frozenset(
    "prefer prefers preferred preferring choose chooses chose choosing pick picks picked picking "
    "favor favors favored favoring favour favours favoured favouring go going went".split()
)
_SEP = "\x01"  # joins sentences for one pass of normalisation; never in cleaned text


def analyse(sections: list[tuple[str | None, str]], broad: Collection[int] = ()) -> list[Sentence]:
    """Split stage sections into sentences with tokens, stems and paragraph numbers.
    `broad`: the sections whose heading names their stage only broadly (see Section)."""
    raw_sentences: list[tuple[str, int, str | None]] = []
    starts: list[bool] = []  # does the sentence begin a line or bullet?
    in_section: list[int] = []
    para_no = 0
    for k, (stage, body) in enumerate(sections):
        for para in _PARA_BREAK.split(body.replace(_SEP, " ")):
            if not para.strip():
                continue
            para_no += 1
            for raw, start in split_pieces(para):
                raw_sentences.append((raw, para_no, stage))
                starts.append(start)
                in_section.append(k)
    if not raw_sentences:
        return []
    # normalise every sentence in one pass: the rewrites never cross the separator
    normalised = prenormalize(_SEP.join(r for r, _, _ in raw_sentences)).split(_SEP)
    sentences: list[Sentence] = []
    pending: list[list[str]] = []
    all_words: list[str] = []
    special = _CLAUSE_PUNCT | CLAUSE_BREAK_WORDS | {'"'}
    for (raw, para, stage), norm in zip(raw_sentences, normalised, strict=True):
        tokens = _expand_shorthand((_ASCII_ANSWER_TOKEN if norm.isascii() else _ANSWER_TOKEN).findall(norm))
        quoted: frozenset[int] = frozenset()
        hard: frozenset[int] = frozenset()
        if special.isdisjoint(tokens):  # one clause: no per-word bookkeeping
            words = tokens
            clause = [0] * len(tokens)
        else:
            words, clause, quoted, hard = _clauses(tokens, special)
        content = [i for i, w in enumerate(words) if w not in STOPWORDS]
        content_words = [words[i] for i in content]
        sentences.append(
            Sentence(
                raw,
                para,
                stage,
                words,
                clause,
                content,
                [],
                not _CUE_WORDS.isdisjoint(words) or ("over" in words and not CHOOSING_WORDS.isdisjoint(words)),
                content_words,
                quoted=quoted,
                hard_breaks=hard,
                broad=in_section[len(sentences)] in broad,
            )
        )
        if ":" in norm and (lead := _refusing_lead_in(tokens, words)):
            sentences[-1].refused_from = lead  # "Out of scope for now: video and live streams."
            sentences[-1].has_cue = True
        pending.append(content_words)
        all_words.extend(content_words)
    for prev, nxt in pairwise(sentences):
        if prev.text.endswith("?") and nxt.paragraph == prev.paragraph and answers_no(nxt.words):
            prev.refused_from = _asked_from(prev)
            prev.has_cue = True
    _refuse_listed(sentences, starts)
    stems = stem_many(all_words)  # one batched call for the whole answer
    k = 0
    for sent, content_words in zip(sentences, pending, strict=True):
        sent.stems = stems[k : k + len(content_words)]
        k += len(content_words)
    return sentences


# How the answer to a question can open when it turns the question down: "A holdout? No." /
# "Position bias correction? I wouldn't bother for v1." / "Polarisation? Not my problem here."
_ANSWER_SUBJECTS = frozenset("i we you id wed".split())
_ANSWER_MODALS = frozenset("would will should do does did can could".split())
_ANSWER_NO = frozenset("no nope nah skip skipping not never dont wont wouldnt overkill pass".split())
# "Calibration? Don't bother." / "Don't need it." - an answer in the imperative
_ANSWER_NOT_DOING = frozenset({"bother", "need", "care", "worry"})
# ... but "How fresh? Not older than an hour." sets a bound, it refuses nothing.
_BOUND_WORDS = frozenset(
    "more less fewer longer shorter older newer over under above below beyond later than "
    "just only necessarily always exactly quite a an the".split()
)


# ... nor does "No idea - assume 500k." or "Not sure yet." answer a clarifying question
# with a refusal: the candidate does not know, or ("No question: ...") insists.
_NOT_REFUSALS = frozenset("idea clue sure certain clear question doubt".split())
# A question opens with one of these; a statement that ends in "?" asks only its last clause.
_QUESTION_OPENERS = frozenset(
    "do does did should would could can will is are was were what how which why when where who "
    "any anything need needs worth".split()
)


def answers_no(words: list[str]) -> bool:
    """Does a sentence, read as the answer to the question before it, open with a refusal?"""
    if words[:2] == ["do", "not"] and words[2:3] and words[2] in _ANSWER_NOT_DOING:
        return True  # "Feature store? Don't bother.", "Don't need it." (but not "Don't skip it.")
    k = 0
    if words[k : k + 1] and words[k] in _ANSWER_SUBJECTS:
        k += 1
        if words[k : k + 1] and words[k] in _ANSWER_MODALS:
            k += 1
    if not words[k : k + 1] or words[k] not in _ANSWER_NO:
        return False
    nxt = words[k + 1] if k + 1 < len(words) else None
    if nxt in _NOT_REFUSALS:
        return False
    return words[k] != "not" or nxt is None or nxt not in _BOUND_WORDS


def _asked_from(sent: Sentence) -> int:
    """Where the question a refusal answers begins: the whole of a real question ("Do we need
    calibration, given we only rank?"), the last clause of a statement that ends in one
    ("Start with logistic regression, then a two tower?")."""
    words, clause = sent.words, sent.clause
    if not words or words[0] in _QUESTION_OPENERS:
        return 0
    last = clause[-1]
    return next(i for i, c in enumerate(clause) if c == last)


# "Things I'd skip for v1:" / "Out of scope:" / "What I would not build:" - a lead-in
# that turns down the list below it.
_LEAD_IN_CUES = frozenset("skip skipping skipped defer deferring postpone later v2".split())
_LEAD_IN_NOT = frozenset("would will do doing build building include including cover covering needed".split())


# "Things I'd skip for now:" turns its list down; "I'd skip waiting for logs and mine
# positives we have:" skips something of its own and lists what it does instead.
_SKIP_CUES = frozenset("skip skipping skipped defer deferring postpone".split())
# Words after a verb that are no object of its own: "we don't need it for v1", "skip for now"
NO_OBJECT_WORDS = frozenset(
    "it that this them one v1 v2 now later mvp launch initially first version about with yet here "
    "much really anymore".split()
)


def object_follows(words: list[str], k: int, clause: list[int] | None = None) -> bool:
    """Does a word of its own, an object, follow the verb at k (in its clause)?"""
    for i in range(k + 1, len(words)):
        if clause is not None and clause[i] != clause[k]:
            return False
        if words[i] not in STOPWORDS and words[i] not in NO_OBJECT_WORDS:
            return True
    return False


def _turns_down(words: list[str]) -> bool:
    if "out" in words and "scope" in words:
        return True
    for k, w in enumerate(words):
        if w in _LEAD_IN_CUES and not (
            w in _SKIP_CUES and object_follows(words, k)
        ):
            return True
    return any(
        w == "not"
        and (
            (words[k - 1 : k] and words[k - 1] in _LEAD_IN_NOT)
            or not _LEAD_IN_NOT.isdisjoint(words[k + 1 : k + 3])
        )
        for k, w in enumerate(words)
    )


# "Not covered: X", "Didn't get to: X", "What we won't build: X" - said of what follows. A
# modal before "not" is not enough: "I wouldn't let the version float: pin it" turns down
# only its own words.
_INLINE_NOT = frozenset("do doing build building include including cover covered covering get got".split())


def _refusing_lead_in(tokens: list[str], words: list[str]) -> int:
    """Where the words a short lead-in turns down begin ("Out of scope for now: video and
    live streams", "Not covered: abuse"), or 0. A deferral ("Later: a sequence model",
    "v2: a GNN") turns nothing down: saying what waits is often the point. (A lead-in that
    ends its line and turns down the list below it is read by `_turns_down`, which counts
    deferrals too: "Things for later:" lists what is left out of the design.)"""
    at = tokens.index(":") if ":" in tokens else 0  # (a ":" of "12:30" is no token)
    if not 0 < at <= 12:
        return 0
    lead = sum(1 for t in tokens[:at] if t not in _CLAUSE_PUNCT and t != '"')
    if not 0 < lead < len(words) or lead > 8:
        return 0
    head = words[:lead]
    if "scope" in head and "out" in head:
        return lead
    if "time" in head and ("no" in head or ("out" in head and not {"ran", "run", "running"}.isdisjoint(head))):
        return lead  # "ran out of time for:", "no time for:" (not "validation out of time:")
    for k, w in enumerate(head):
        if w in _SKIP_CUES and not object_follows(head, k):  # "Skipped:", "Things I'd skip:"
            return lead
        if w == "not" and not _INLINE_NOT.isdisjoint(head[k + 1 : k + 3]):
            return lead
    return 0


def _refuse_listed(sentences: list[Sentence], starts: list[bool]) -> None:
    """Mark the first sentence of each line listed under a rejecting lead-in."""
    lead_para = -1
    for sent, start in zip(sentences, starts, strict=True):
        if sent.paragraph != lead_para:
            lead_para = -1
        elif start:
            sent.refused_from = 0
            sent.has_cue = True
            continue
        if sent.text.endswith(":") and _turns_down(sent.words):
            lead_para = sent.paragraph


def _clauses(
    tokens: list[str], special: frozenset[str]
) -> tuple[list[str], list[int], frozenset[int], frozenset[int]]:
    """Words without punctuation, the clause number of each, which words stand in
    quotes, and which clauses begin after a semicolon (or a dash or arrow)."""
    words: list[str] = []
    clause: list[int] = []
    quoted: set[int] = set()
    hard: set[int] = set()
    close = -1  # token index of the quote that closes the current quotation
    c = 0
    n = len(tokens)
    for k, t in enumerate(tokens):
        if t in special:  # most words are not: one test for them
            if t == '"':
                if k > close:
                    nxt = [i for i in range(k + 1, min(n, k + _QUOTE_SPAN + 2)) if tokens[i] == '"']
                    close = nxt[0] if nxt else -1
                continue
            if k < close:
                quoted.add(len(words))
            if t in _CLAUSE_PUNCT:
                if t == ":" and c == 0 and 0 < len(words) <= 2 and _CUE_WORDS.isdisjoint(words):
                    # "Biases: position, ...": a label names what follows it, in its clause
                    # (but "No leakage: we split by product" turns down nothing after it)
                    continue
                c += 1
                if t == ";":
                    hard.add(c)
                continue
            # "skip X and Y" rejects both; "skip X and we add Y" starts afresh
            if t != "and" or (k + 1 < n and tokens[k + 1] in SUBJECTS):
                c += 1
        elif k < close:
            quoted.add(len(words))
        words.append(t)
        clause.append(c)
    return words, clause, frozenset(quoted), frozenset(hard)


def _expand_shorthand(tokens: list[str]) -> list[str]:
    if _SHORTHAND_KEYS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    for t in tokens:
        full = SHORTHAND.get(t)
        if full is None:
            out.append(t)
        else:
            out.extend(full.split())
    return out


def numberish(word: str) -> bool:
    """Can this word begin a figure ("50", "thirty", "million", "tens")?"""
    return word.isdecimal() or word in NUMBER_WORDS


def figure_end(words: list[str], p: int) -> int:
    """Where the figure beginning at words[p] ends ("50 k", "2 000", "thirty thousand",
    "tens millions"), or p when there is none: a single digit or a bare "two" is a count
    ("2 times a day", "two models"), not a figure."""
    q = p
    digits = 0
    figure = False
    while q < len(words):
        x = words[q]
        if x.isdecimal():  # not isdigit: "10²" is no figure to read
            digits += 1
            figure = figure or digits > 1 or (len(x) > 1 and x[0] != "0")  # 10 or more
        elif x in SCALE_WORDS or (x in MULTIPLIERS and q > p and words[q - 1].isdecimal()):
            figure = True
        elif x not in NUMBER_WORDS:
            break
        q += 1
    return q if figure else p


def _tokens(text: str) -> list[str]:
    return _expand_shorthand(_TOKEN.findall(prenormalize(text)))


# In a signal, "<number>" stands for any figure: "50", "2,000", "1.2B", "50k", "thirty thousand".
NUMBER_PLACEHOLDER = "<number>"
NUMBER = "#"  # its token: no word of an answer can be it


def phrase_tokens(phrase: str) -> list[str]:
    """The content words of a signal phrase (what a phrase must contain, in order)."""
    words: list[str] = []
    for k, piece in enumerate(phrase.split(NUMBER_PLACEHOLDER)):
        if k:
            words.append(NUMBER)
        words += [t for t in _TOKEN.findall(prenormalize(piece)) if t not in _CLAUSE_PUNCT]
    content = [w for w in words if w not in STOPWORDS]
    return content or words
