"""The `mlsd` command line: parse options, call the core, render the result.

No logic lives here. Heavy modules (yaml, rich tables, questionary, fsrs) are
imported inside the commands that use them so that `mlsd --help` stays fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from mlsd_drill.errors import ExitCode, MlsdError, UnknownQuestion

app = typer.Typer(
    name="mlsd",
    help="Practise machine-learning system design interviews in the terminal.\n\n"
    "Start with `mlsd drill`; `mlsd list` shows the case studies.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
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
    from mlsd_drill.model import clean

    sys.stderr.write(f"mlsd: error: {clean(message)}\n")
    sys.stderr.flush()
    return typer.Exit(int(code))


def _unknown_question(e: UnknownQuestion) -> str:
    """The message, and where the question went when the history has practised it: its bank
    is not being read (a bank given with --bank once, and not this time)."""
    from mlsd_drill import paths

    if e.close is not None or not paths.history_db().is_file():
        return str(e)
    import contextlib
    import sqlite3

    n = 0
    with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(paths.history_db())) as conn:
        n = conn.execute("SELECT COUNT(*) FROM sessions WHERE question_id = ?", (e.qid,)).fetchone()[0]
    if not n:
        return str(e)
    times = "1 session" if n == 1 else f"{n} sessions"
    return (
        f"question '{e.qid}' is in none of the banks read, though your history has {times} on it: "
        f"give its bank with --bank DIR, or put it in {paths.user_bank_dir()}"
    )


def handles_errors(func: F) -> F:
    """Turn domain errors into a one-line message and their exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UnknownQuestion as e:
            raise fail(_unknown_question(e), e.exit_code) from None
        except MlsdError as e:
            raise fail(str(e), e.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nmlsd: interrupted\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # `mlsd list | head`: the reader left; nothing is wrong
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as e:  # a bug: one line, never the user's text in a traceback
            import os

            if os.environ.get("MLSD_DEBUG"):
                raise
            raise fail(
                f"unexpected {type(e).__name__} (a bug in mlsd; anything typed in a drill is saved - "
                "`mlsd resume` continues it; set MLSD_DEBUG=1 for details)",
                ExitCode.PROBLEMS,
            ) from None

    return wrapper  # type: ignore[return-value]


def _warn(warnings: list[str]) -> None:
    from mlsd_drill.model import clean

    for w in warnings:
        sys.stderr.write(f"mlsd: warning: {clean(w)}\n")


def load_bank(banks: list[Path] | None, *, rubrics: bool = True) -> Any:
    from mlsd_drill import bank

    b = bank.load(banks, rubrics=rubrics)
    _warn(b.warnings)
    return b


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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


# --------------------------------------------------------------------------- drills


def _need_terminal(command: str = "drill") -> None:
    from mlsd_drill.errors import NotATerminal

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise NotATerminal(
            f"mlsd {command} needs an interactive terminal; to score a written answer use "
            "`mlsd score ID ANSWER_FILE`"
        )


def _run_drill(drill: Any) -> None:
    from mlsd_drill import drills
    from mlsd_drill.report import console
    from mlsd_drill.runner import Paused

    out = console()
    try:
        rep = drill.run()
    except Paused as p:
        if drill.store.error:  # the data folder refused: keep the drill next to the user instead
            where = drills.save_elsewhere(p.state)
            out.print(f"\nCould not save to {drill.store.error}.", style="bold red", markup=False)
            out.print(
                f"Your drill is saved in {where}; `mlsd resume {where}` continues it.",
                style="bold",
                markup=False,
            )
        else:
            out.print(f"\nSaved. Continue with: mlsd resume   (drill {p.state.id})", style="bold")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    try:
        session_id, due = drills.record(rep)
    except MlsdError as e:
        # the history is unusable: never lose the drill - keep it somewhere readable
        rescue = drills.rescue(rep)
        out.print(f"\nCould not record the drill in your history: {e}", style="bold red", markup=False)
        out.print(
            f"Your answers and scores are saved in {rescue}; `mlsd import {rescue}` adds them to the history later.",
            style="bold",
            markup=False,
        )
        raise typer.Exit(int(ExitCode.PROBLEMS)) from None
    back = f" This question comes back {drills.when(due)}." if due else ""
    out.print(
        f"\nSaved as session {session_id}.{back} `mlsd next` suggests what to practise next.",
        style="dim",
        markup=False,
    )


def _number(value: str, kind: type, what: str) -> Any:
    """An option's number, or an error that names what was typed (Typer's does not)."""
    try:
        return kind(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not {what}") from None


@app.command("drill", short_help="Run a timed mock interview on a case study.")
@handles_errors
def drill_cmd(
    question_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="Question id; default: what `mlsd next` suggests.", show_default=False
        ),
    ] = None,
    random_pick: Annotated[
        bool, typer.Option("--random", help="Pick a random question (within --tag/--difficulty).")
    ] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", metavar="TAG", help="Pick among questions with this tag."),
    ] = None,
    difficulty: Annotated[
        str | None,
        typer.Option(
            "--difficulty", "-d", metavar="LEVEL", help="Pick among easy, medium or hard questions."
        ),
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option(
            "--minutes",
            "-m",
            metavar="N",
            help="Scale all stage budgets to this many minutes in all (follow-ups add their own time, at least a minute each).",
            parser=lambda v: _number(v, float, "a number of minutes"),
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Submit each stage automatically when its time runs out.")
    ] = False,
    no_timer: Annotated[
        bool, typer.Option("--no-timer", help="No countdown (time is still measured).")
    ] = False,
    next_pick: Annotated[
        bool, typer.Option("--next", help="Drill the question `mlsd next` suggests.")
    ] = False,
    bank: BankOpt = None,
) -> None:
    """Run a timed mock interview: five stages, follow-ups, scoring, self-scoring.

    Esc then Enter (or Alt+Enter) submits a stage; Ctrl-T shows a hint; Ctrl-Q
    shows the stage's question again; Ctrl-E opens $EDITOR; Ctrl-C offers to save
    and quit (`mlsd resume` continues).

    Example: mlsd drill fraud-detection --minutes 30 --strict
    """
    from mlsd_drill import drills
    from mlsd_drill.prompts import TerminalPrompter

    opts = drills.DrillOptions(
        question_id=question_id,
        random_pick=random_pick,
        tags=tuple(tag or ()),
        difficulty=difficulty,
        minutes=minutes,
        strict=strict,
        no_timer=no_timer,
        next_pick=next_pick,
    )
    started = drills.start(bank, opts, TerminalPrompter())  # a wrong id or bank is said first
    _need_terminal()
    _warn(started.warnings)
    if started.reason:
        from mlsd_drill.report import console

        console().print(f"Question: {started.drill.q.id} ({started.reason})", style="dim", markup=False)
    _run_drill(started.drill)


@app.command("resume", short_help="Continue an unfinished drill where it stopped.")
@handles_errors
def resume_cmd(
    drill_id: Annotated[
        str | None,
        typer.Argument(
            metavar="DRILL",
            help="Drill id or saved drill file (default: the last unfinished one).",
            show_default=False,
        ),
    ] = None,
    list_them: Annotated[
        bool, typer.Option("--list", help="List the unfinished drills instead, newest first.")
    ] = False,
    discard: Annotated[
        bool, typer.Option("--discard", help="Throw the drill DRILL away instead (its text is lost).")
    ] = False,
) -> None:
    """Continue the last unfinished drill where it stopped, with its time and text.

    Example: mlsd resume;  mlsd resume --list;  mlsd resume --discard 3f2a9c1b
    """
    from mlsd_drill import drills

    if list_them and (discard or drill_id):
        raise MlsdError(f"--list shows every unfinished drill: leave out {'--discard' if discard else drill_id}")
    if list_them:
        _print_unfinished(drills.unfinished_rows())
        return
    if discard:
        if not drill_id:
            raise MlsdError("--discard needs the drill's id: `mlsd resume --list` shows them")
        def words(row: dict[str, Any]) -> str:
            return "1 word" if row["words"] == 1 else f"{row['words']} words"

        def sure(row: dict[str, Any]) -> bool:
            """At a terminal, a drill with text in it goes only after a yes (an id prefix can
            name a drill other than the one meant)."""
            if not row["words"] or not (sys.stdin.isatty() and sys.stdout.isatty()):
                return True
            return typer.confirm(f"Throw away drill {row['id']} ({row['question']}, {words(row)})?", default=False)

        gone = drills.discard(drill_id, sure)
        if gone is None:
            print(f"Kept drill {drill_id}: `mlsd resume {drill_id}` continues it.")
            return
        print(f"Discarded drill {gone['id']} ({gone['question']}, {words(gone)}).")
        return
    from mlsd_drill.prompts import TerminalPrompter

    state, others, note = drills.resumable(drill_id)
    _need_terminal("resume")
    if others or note:
        from mlsd_drill.report import console

        more = "1 other unfinished drill" if others == 1 else f"{others} other unfinished drills"
        console().print(note or f"{more}: `mlsd resume --list` shows them.", style="dim", markup=False)
    _run_drill(drills.resume(state, TerminalPrompter()))


def _print_unfinished(rows: list[dict[str, Any]]) -> None:
    from mlsd_drill.report import console, unfinished_table

    out = console()
    if not rows:
        out.print("No unfinished drills. Start one with `mlsd drill`.", style="yellow", markup=False)
        return
    out.print(unfinished_table(rows, out.width))
    for r in rows:
        if r["problem"]:
            out.print(
                f"Drill {r['id']} cannot be read ({r['problem']}); `mlsd resume --discard {r['id']}` removes it.",
                style="yellow",
                markup=False,
            )
    out.print(
        "\n`mlsd resume DRILL` continues one; `--discard DRILL` throws it away.",
        style="dim",
        markup=False,
    )


# --------------------------------------------------------------------------- questions


@app.command("list")
@handles_errors
def list_cmd(
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag", "-t", metavar="TAG", help="Only questions with this tag (repeatable: all must match)."
        ),
    ] = None,
    difficulty: Annotated[
        str | None, typer.Option("--difficulty", "-d", metavar="LEVEL", help="easy, medium or hard.")
    ] = None,
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
        _print_json([catalog.question_row(q) for q in questions])
        return
    from mlsd_drill import listing

    if not b.questions:
        # nothing to filter: every file was skipped (the warnings above say why) or the bank is empty
        sys.stderr.write("mlsd: error: no usable questions in the bank\n")
        raise typer.Exit(int(ExitCode.USAGE))
    if not questions:
        why = catalog.no_match(b, tag, difficulty)
        sys.stdout.write(why[:1].upper() + why[1:] + ("" if why.endswith("?") else ".") + "\n")
        return
    listing.print_table(questions)


@app.command("show")
@handles_errors
def show_cmd(
    question_id: Annotated[
        str, typer.Argument(metavar="ID", help="Question id (see `mlsd list`).", show_default=False)
    ],
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
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Bank folders (default: every bank in use).", show_default=False),
    ] = None,
) -> None:
    """Check bank files against the format; print every problem as file:line: message.

    Example: mlsd bank validate ~/my-bank
    """
    from mlsd_drill import bank
    from mlsd_drill.model import clean

    n_files, problems, notes = bank.validate(paths)
    for line in notes:
        sys.stderr.write(f"note: {clean(line)}\n")
    for line in problems:
        sys.stdout.write(clean(line) + "\n")
    if problems:
        n = len(problems)
        files = len({line.split(":", 1)[0] for line in problems})
        sys.stderr.write(
            f"{n} problem{'' if n == 1 else 's'} in {files} file{'' if files == 1 else 's'}"
            f" ({n_files} bank file{'' if n_files == 1 else 's'} read)\n"
        )
        raise typer.Exit(int(ExitCode.PROBLEMS))
    sys.stderr.write(f"ok: {n_files} file{'' if n_files == 1 else 's'}, no problems\n")


@bank_app.command("schema")
@handles_errors
def bank_schema(
    kind: Annotated[str, typer.Argument(metavar="KIND", help="question, rubric or all.")] = "all",
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
    answer_file: Annotated[
        str,
        typer.Argument(
            metavar="ANSWER_FILE", help="Markdown answer with stage headings; - reads standard input."
        ),
    ],
    bank: BankOpt = None,
    as_json: JsonOpt = False,
    save: Annotated[
        bool, typer.Option("--save", help="Record the scored answer in your practice history.")
    ] = False,
) -> None:
    """Score a written answer against the question's rubric.

    Stage sections start at headings that name the stage (## Clarify, # Data,
    ### Serving, ## Monitoring), or that stand where a stage is skipped
    ("## Keeping it working" after Serving). Without Markdown headings, short
    lines like "**Data**", "Serving:" or "3. Model" mark the stages. Text before
    the first heading counts for the whole answer but belongs to no stage.
    Sentences copied from the question itself (its prompt, hints, follow-ups)
    make no point: paste the question at the top if you like.

    A point marked ? was found by a single phrasing or only under another stage's
    heading (--json: "check": true): such credits are wrong more often, so they
    are the ones to check.

    Example: mlsd score fraud-detection answer.md --json
    """
    from mlsd_drill import answer, catalog

    b = load_bank(bank)
    q = catalog.get(b, question_id)
    text = answer.read_answer_file(answer_file, sys.stdin)
    result = answer.score_text(text, b.rubric_for(q.id), q.given)
    session_id, new = None, True
    empty = result.words == 0  # nothing but blank lines or headings
    if save and not empty:  # an empty answer is no practice: it would only drag the trends down
        from mlsd_drill import history

        session_id, new = history.record_scored_file(q, text, result)
    if as_json:
        from mlsd_drill.report import score_json

        data = score_json(result)
        if session_id is not None:
            data["session"] = session_id
        _print_json(data)
        return
    from rich.text import Text

    from mlsd_drill.report import Hanging, console, literal, score_report, score_summary

    out = console()
    if empty:
        # no list of all the points missed: the rubric itself says it better
        note = f"The answer is empty: 0 of {len(result.items)} points. `mlsd show {q.id} --rubric` lists them."
        out.print(Hanging(Text(""), literal(note, "yellow")))
    parts = score_summary(result, q.title) if empty else score_report(result, q.title)
    for part in parts:
        out.print(part)
    if save and empty:
        out.print("\nNot saved: an empty answer is no practice session.", style="dim")
    if session_id is not None:
        saved = "Saved as session" if new else "The same answer is already saved as session"
        out.print(f"\n{saved} {session_id}.", style="dim")


# --------------------------------------------------------------------------- history


def _history_row(r: Any) -> dict[str, Any]:
    """A `history --json` row: scores to one decimal, as shown, and flags as true/false."""
    row = dict(zip(r.keys(), r, strict=True))
    row["tags"] = json.loads(r["tags"])
    for key in ("auto_score", "self_score"):
        if isinstance(row.get(key), float):
            row[key] = round(row[key], 1)
    row["strict"] = bool(row.get("strict"))
    return row


@app.command("history")
@handles_errors
def history_cmd(
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            help="Show at most this many sessions (0: all).",
            parser=lambda v: _number(v, int, "a whole number of sessions"),
        ),
    ] = 30,
    as_json: JsonOpt = False,
) -> None:
    """List past sessions, newest first.

    Example: mlsd history -n 10
    """
    from mlsd_drill.history import History

    if limit < 0:
        raise MlsdError(f"--limit {limit}: give a number of sessions, or 0 for all")
    with History() as h:
        rows = h.sessions(limit=limit or None)
    if as_json:
        _print_json([_history_row(r) for r in rows])
        return
    from mlsd_drill.report import console, history_table

    out = console()
    if not rows:
        out.print("No sessions yet. Start one with `mlsd drill`.", style="yellow")
        return
    out.print(history_table(rows, out.width))
    out.print("\n`mlsd review N` shows one (1 = newest).", style="dim")


@app.command("review", short_help="Show a past session (the newest by default).")
@handles_errors
def review_cmd(
    session: Annotated[
        str,
        typer.Argument(
            metavar="SESSION",
            help="Session id, id prefix, or number from `mlsd history`; default: 1, the newest.",
            show_default=False,
        ),
    ] = "1",
    bank: BankOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one past session (the newest by default): the transcript and its scoring.

    Example: mlsd review 2
    """
    from mlsd_drill.history import History

    with History() as h:
        rec = h.load(h.find(session))
    if as_json:
        _print_json(rec.to_json())
        return
    from mlsd_drill.report import console, session_result, session_transcript

    reference = None
    try:
        b = load_bank(bank)
        if rec.question_id in b.questions:
            reference = b.questions[rec.question_id].reference
    except MlsdError:
        pass  # the transcript does not need the bank
    out = console()
    for part in session_transcript(rec) + session_result(rec, reference):
        out.print(part)


@app.command("export")
@handles_errors
def export_cmd(
    session: Annotated[
        str | None,
        typer.Argument(metavar="SESSION", help="Session id or number; omit with --all.", show_default=False),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="md|json",
            help="md or json (default md; --all is json).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every session (json only).")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Export a session as Markdown or JSON, or everything as JSON.

    Example: mlsd export 1 --format md -o fraud.md;  mlsd export --all --format json > backup.json
    """
    from mlsd_drill import transfer

    text = transfer.export(session, fmt, all_)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as e:
            raise fail(f"{output}: cannot write ({e.strerror})") from None
        sys.stderr.write(f"wrote {output}\n")


@app.command("import", short_help="Bring back sessions from `mlsd export` JSON.")
@handles_errors
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A JSON file from `mlsd export`.")],
) -> None:
    """Bring back sessions from `mlsd export` JSON; sessions already present are skipped.

    Example: mlsd import backup.json
    """
    from mlsd_drill import transfer

    added, skipped = transfer.import_file(file)
    sys.stdout.write(f"imported {added} session(s), skipped {skipped} already present\n")


@app.command("stats", short_help="Progress: trends, weakest stages, missed points.")
@handles_errors
def stats_cmd(bank: BankOpt = None, as_json: JsonOpt = False) -> None:
    """Progress: score trends per stage, weakest stages and tags, most-missed points, time, streak.

    With --bank, only sessions on questions of those banks count.

    Example: mlsd stats
    """
    from mlsd_drill import stats
    from mlsd_drill.history import History

    questions = set(load_bank(bank, rubrics=False).questions) if bank else None
    with History() as h:
        s = stats.compute(h, questions=questions)
    if as_json:
        _print_json(s.to_json())
        return
    from mlsd_drill.report import console, stats_view

    out = console()
    for part in stats_view(s):
        out.print(part)


@app.command("next", short_help="Suggest the question to practise now.")
@handles_errors
def next_cmd(bank: BankOpt = None, as_json: JsonOpt = False) -> None:
    """Suggest the question to practise now (spaced repetition, then weakest areas).

    Example: mlsd next
    """
    from mlsd_drill import scheduler
    from mlsd_drill.history import History

    b = load_bank(bank, rubrics=False)
    with History() as h:
        rec = scheduler.pick_next(b, h)
    if rec is None:
        raise fail("no questions in the banks in use")
    if as_json:
        _print_json(rec.to_json())
        return
    from rich.text import Text

    from mlsd_drill.report import Hanging, console, literal

    out = console()
    out.print(Hanging(literal(f"{rec.question.id}  ", "bold"), literal(rec.question.title, "bold")))
    out.print(Hanging(Text(""), literal(rec.reason, "dim")))
    out.print(literal(f"Start it with: mlsd drill {rec.question.id}", "dim"))


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        # an ASCII or Latin-1 terminal (PYTHONIOENCODING=ascii, LANG=C) gets "?" for the
        # characters it cannot show ("·", "✓", "█"), not an error
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        app()
    except MlsdError as e:  # raised outside a command (e.g. in a callback)
        raise SystemExit(int(fail(str(e), e.exit_code).exit_code)) from None
