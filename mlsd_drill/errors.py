"""Domain exceptions and the exit codes they map to.

Core code raises these and never prints or exits; `cli.py` turns them into a
one-line message on stderr and the exit code named here.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1  # the command ran and found problems (e.g. an invalid bank)
    USAGE = 2  # bad input: unknown id, unreadable file, not a terminal
    INTERRUPTED = 130


class MlsdError(Exception):
    """Base class: a problem the user can fix, with a one-line message."""

    exit_code: ExitCode = ExitCode.USAGE


class BankError(MlsdError):
    """A bank file or folder cannot be read or parsed."""


def closest(word: str, options: Iterable[str]) -> str | None:
    """The option a mistyped word most likely meant, if any is close enough."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1)
    return close[0] if close else None


class UnknownQuestion(MlsdError):
    def __init__(self, qid: str, known: list[str] | None = None) -> None:
        self.qid = qid
        self.close: str | None = None
        hint = ""
        if known:
            near = closest(qid, known)
            close = [near] if near else []
            # a part of an id ("fraud", "eta") is what people type: the one id that holds it
            holding = [k for k in known if qid.lower() in k.split("-") or k.startswith(qid.lower())]
            if not close and len(holding) == 1:
                close = holding
            if close:
                self.close = close[0]
                hint = f": did you mean '{close[0]}'?"
            elif 1 < len(holding) <= 3:
                hint = ": did you mean " + " or ".join(f"'{k}'" for k in holding) + "?"
        # no bracket around the suggestion: a narrow terminal wrapped "...'?" and ")" apart
        ending = " `mlsd list` shows them all." if hint else "; `mlsd list` shows them"
        super().__init__(f"unknown question '{qid}'{hint}{ending}")


class AnswerError(MlsdError):
    """An answer file cannot be used."""


class NotATerminal(MlsdError):
    pass


class HistoryError(MlsdError):
    """The practice history cannot be read or written."""


class NotFound(MlsdError):
    pass
