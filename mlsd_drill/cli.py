"""The `mlsd` command line: parse options, call the core, render the result.

No logic lives here. Heavy modules (yaml, rich tables, questionary, fsrs) are
imported inside the commands that use them so that `mlsd --help` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from mlsd_drill.errors import ExitCode, MlsdError

app = typer.Typer(
    name="mlsd",
    help="Practise machine-learning system design interviews in the terminal.\n\n"
    "Start with `mlsd drill`; `mlsd list` shows the case studies.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
bank_app = typer.Typer(help="Check question banks and print their JSON Schema.", no_args_is_help=True)
app.add_typer(bank_app, name="bank")

F = TypeVar("F", bound=Callable[..., Any])

BankOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - Typer needs Optional at runtime on 3.9-style hints
    typer.Option(
        "--bank",
        help="Read questions from this bank folder (repeatable); only the named banks are used.",
        metavar="DIR",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")]


def fail(message: str, code: int = ExitCode.USAGE) -> typer.Exit:
    """Print a one-line error on stderr; return the Exit to raise."""
    from mlsd_drill.report import clean

    sys.stderr.write(f"mlsd: error: {clean(message)}\n")
    sys.stderr.flush()
    return typer.Exit(int(code))


def handles_errors(func: F) -> F:
    """Turn domain errors into a one-line message and their exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MlsdError as e:
            raise fail(str(e), e.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nmlsd: interrupted\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    return wrapper  # type: ignore[return-value]


def _warn(warnings: list[str]) -> None:
    from mlsd_drill.report import clean

    for w in warnings:
        sys.stderr.write(f"mlsd: warning: {clean(w)}\n")


def load_bank(banks: list[Path] | None, *, rubrics: bool = True) -> Any:
    from mlsd_drill import bank

    b = bank.load(banks, rubrics=rubrics)
    _warn(b.warnings)
    return b


def _print_json(data: Any) -> None:
    from mlsd_drill.report import dumps

    sys.stdout.write(dumps(data) + "\n")


def _version(value: bool) -> None:
    if value:
        from mlsd_drill import __version__

        typer.echo(f"mlsd {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Practise machine-learning system design interviews in the terminal."""


# --------------------------------------------------------------------------- questions


@app.command("list")
@handles_errors
def list_cmd(
    tag: Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="Only questions with this tag (repeatable: all must match).")] = None,  # noqa: UP045
    difficulty: Annotated[Optional[str], typer.Option("--difficulty", "-d", help="easy, medium or hard.")] = None,  # noqa: UP045
    bank: BankOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the case studies.

    Example: mlsd list --tag ranking --difficulty hard
    """
    from mlsd_drill import catalog

    b = load_bank(bank, rubrics=False)
    questions = catalog.select(b, tags=tag, difficulty=difficulty)
    if as_json:
        from mlsd_drill.report import question_row

        _print_json([question_row(q) for q in questions])
        return
    from mlsd_drill.report import console, questions_table

    out = console()
    if not questions:
        out.print("No questions match.", style="yellow")
        return
    out.print(questions_table(questions))
    out.print(f"\n{len(questions)} questions. Start one with: mlsd drill ID", style="dim")


@app.command("show")
@handles_errors
def show_cmd(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="Question id (see `mlsd list`).")],
    rubric: Annotated[bool, typer.Option("--rubric", help="Also show the rubric checklist.")] = False,
    bank: BankOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a case study: prompt, stages, follow-ups (and its rubric).

    Example: mlsd show fraud-detection --rubric
    """
    from mlsd_drill import catalog

    b = load_bank(bank)
    q = catalog.get(b, question_id)
    r = b.rubric_for(q.id) if rubric else None
    if as_json:
        from mlsd_drill.report import question_json

        _print_json(question_json(q, r))
        return
    from mlsd_drill.report import console, question_detail

    out = console()
    for part in question_detail(q, r):
        out.print(part)


# --------------------------------------------------------------------------- bank


@bank_app.command("validate")
@handles_errors
def bank_validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="[PATH]...", help="Bank folders (default: every bank in use).")] = None,  # noqa: UP045
) -> None:
    """Check bank files against the format; print every problem as file:line: message.

    Example: mlsd bank validate ~/my-bank
    """
    from mlsd_drill import bank

    n_files, problems = bank.validate(paths)
    for line in problems:
        from mlsd_drill.report import clean

        sys.stdout.write(clean(line) + "\n")
    if problems:
        sys.stderr.write(f"{len(problems)} problem(s) in {n_files} files\n")
        raise typer.Exit(int(ExitCode.PROBLEMS))
    sys.stderr.write(f"ok: {n_files} files, no problems\n")


@bank_app.command("schema")
@handles_errors
def bank_schema(
    kind: Annotated[str, typer.Argument(help="question, rubric or all.")] = "all",
) -> None:
    """Print the JSON Schema of bank files, for editors with a YAML language server.

    Example: mlsd bank schema question > question.schema.json
    """
    from mlsd_drill import schema

    kinds = {"question": schema.question_schema, "rubric": schema.rubric_schema, "all": schema.schemas}
    if kind not in kinds:
        raise fail(f"unknown schema '{kind}': use question, rubric or all")
    _print_json(kinds[kind]())


# --------------------------------------------------------------------------- scoring


@app.command("score")
@handles_errors
def score_cmd(
    question_id: Annotated[str, typer.Argument(metavar="ID", help="Question id.")],
    answer_file: Annotated[str, typer.Argument(metavar="ANSWER_FILE", help="Markdown answer with stage headings; - reads standard input.")],
    bank: BankOpt = None,
    as_json: JsonOpt = False,
    save: Annotated[bool, typer.Option("--save", help="Record the scored answer in your practice history.")] = False,
) -> None:
    """Score a written answer against the question's rubric.

    Stage sections start at headings that name the stage (## Clarify, # Data,
    ### Serving, ## Monitoring); text before the first heading counts for the
    whole answer but belongs to no stage.

    Example: mlsd score fraud-detection answer.md --json
    """
    from mlsd_drill import answers, catalog

    b = load_bank(bank)
    q = catalog.get(b, question_id)
    text = answers.read_answer_file(answer_file, sys.stdin)
    result = answers.score_text(text, b.rubric_for(q.id))
    session_id = None
    if save:
        from mlsd_drill import history

        session_id = history.record_scored_file(q, text, result)
    if as_json:
        from mlsd_drill.report import score_json

        data = score_json(result)
        if session_id is not None:
            data["session"] = session_id
        _print_json(data)
        return
    from mlsd_drill.report import console, score_report

    out = console()
    if not text.strip():
        out.print("The answer is empty, so it scores 0. Write under headings like ## Clarify, ## Data.", style="yellow")
    for part in score_report(result, q.title):
        out.print(part)
    if session_id is not None:
        out.print(f"\nSaved as session {session_id}.", style="dim")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except MlsdError as e:  # raised outside a command (e.g. in a callback)
        raise SystemExit(int(fail(str(e), e.exit_code).exit_code)) from None
