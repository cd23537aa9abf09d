"""Rendering results for people (rich) and for programs (JSON).

Everything shown from a bank or an answer goes through `Text` objects, never
through rich markup, so a `[bold]` in someone's answer is printed as typed and
control characters are shown as visible escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mlsd_drill.model import (
    RAN_OVER_SECONDS,
    RATINGS,
    STAGE_TITLES,
    STAGES,
    ItemResult,
    Question,
    Rubric,
    ScoreResult,
    clean,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

LEVEL_NAMES = {"mid": "mid-level", "senior": "senior", "staff": "staff"}


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """`mlsd show ID | head`: the reader left, nothing went wrong - exit 0, as the JSON
            outputs do (rich's own handler exits 1, which `set -o pipefail` reads as a failure)."""
            import os
            import sys

            self.quiet = True
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    # rich takes any TERM=dumb terminal to be 80 columns wide; ask the terminal (or COLUMNS).
    # Tabs are four columns, as the answer box shows them.
    return _Console(stderr=stderr, highlight=False, soft_wrap=False, width=_dumb_width(), tab_size=4)


def _dumb_width() -> int | None:
    """The real width of a TERM=dumb terminal (None: let rich measure as usual)."""
    import os
    import shutil

    if os.environ.get("TERM", "").lower() not in ("dumb", "unknown"):
        return None
    return shutil.get_terminal_size((80, 24)).columns


def literal(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(clean(text), style=style)


_LIST_ITEM = re.compile(r"(\s*(?:[-*+\u2022]|\d{1,2}[.)])\s+)(.*)")  # (marker, item text)


def reflow(text: str) -> str:
    """Bank text with its source line breaks undone, so the terminal wraps it evenly.

    A break stays where the author meant one: at a blank line, before a list
    item, and after a line that ends a sentence when the next word would have
    fitted on it (the author broke the line on purpose, not for width).
    """
    lines = text.strip("\n").splitlines()
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    prev = ""  # the source line before, as the author wrapped it
    for line in lines:
        word = line.split()[0] if line.split() else ""
        joins = (
            prev.strip()
            and line.strip()
            and not _LIST_ITEM.match(line)
            and not (prev.rstrip().endswith((".", "!", "?", ":")) and len(prev.rstrip()) + 1 + len(word) <= width)
        )
        if joins:
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
        prev = line
    return "\n".join(out)


# --------------------------------------------------------------------------- questions


def _signals_json(signals: Iterable[tuple[str, ...]]) -> list[Any]:
    """Signals as a bank file writes them: a phrase, or a list of phrases."""
    return [list(s) if len(s) > 1 else s[0] for s in signals]


def question_json(q: Question, rubric: Rubric | None) -> dict[str, Any]:
    from mlsd_drill.catalog import question_row

    data = question_row(q)
    data["prompt"] = q.prompt
    data["stages"] = [
        {"name": s.name, "minutes": s.minutes, "prompt": s.prompt, "hints": list(s.hints)} for s in q.stages
    ]
    data["followups"] = [{"stage": f.stage, "ask": f.ask} for f in q.followups]
    data["reference"] = dict(q.reference)
    if rubric is not None:
        data["rubric"] = [
            {
                "id": i.id,
                "stage": i.stage,
                "text": i.text,
                "weight": i.weight,
                "level": i.level,
                "signals": _signals_json(i.signals),
                **({"parts": {name: _signals_json(sigs) for name, sigs in i.parts}} if i.parts else {}),
                **({"replaces": list(i.replaces)} if i.replaces else {}),
                "why": i.why,
                "common": i.common,
            }
            for i in rubric.items
        ]
    return data


def stage_budget(q: Question, budgets: dict[str, float] | None = None) -> Text:
    """'clarify 5 min · data 10 min ...'; `budgets` (seconds) override the question's minutes."""
    from rich.text import Text

    minutes = {s.name: (budgets[s.name] / 60 if budgets else s.minutes) for s in q.stages}
    # whole minutes read as "5 min"; when any is not, every stage reads like the countdown (01:07)
    whole = all(round(m * 60) % 60 == 0 for m in minutes.values())
    parts = [f"{name} {_minutes(m) if whole else mmss(round(m * 60))}" for name, m in minutes.items()]
    return Text(" · ".join(parts) + f"  (total {_minutes(sum(minutes.values()))})", style="dim")


def _minutes(m: float) -> str:
    """'5 min' for whole minutes, else the countdown's own 01:07."""
    seconds = round(m * 60)
    return f"{seconds // 60} min" if seconds % 60 == 0 else mmss(seconds)


def question_panel(q: Question, budgets: dict[str, float] | None = None, compact: bool = False) -> RenderableType:
    """The case study in a box; `compact` drops the blank lines, for a screen too short to
    show the whole box above the first answer box."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    meta = Text()
    meta.append(
        q.difficulty, style={"easy": "green", "medium": "yellow", "hard": "red"}.get(q.difficulty, "")
    )
    meta.append("  ")
    meta.append(clean(", ".join(q.tags)), style="dim")
    gap = () if compact else (Text(""),)
    return Panel(
        Group(meta, *gap, literal(reflow(q.prompt)), *gap, stage_budget(q, budgets)),
        title=literal(q.title, "bold"),
        title_align="left",
        border_style="cyan",
        padding=(0, 1) if compact else (1, 2),
    )


def _indented(text: Text, left: int = 2) -> RenderableType:
    from rich.text import Text

    return Hanging(Text(" " * left), text)


def question_detail(q: Question, rubric: Rubric | None) -> list[RenderableType]:
    from rich.text import Text

    out: list[RenderableType] = [question_panel(q)]
    for s in q.stages:
        head = Text()
        head.append(f"\n{s.title}", style="bold")
        head.append(f"  {_minutes(s.minutes)}", style="dim")
        out.append(head)
        out.append(_indented(literal(reflow(s.prompt))))
        for h in s.hints:
            out.append(Hanging(Text("  hint: ", style="dim"), literal(h, "dim")))
        for f in q.followups:
            if f.stage == s.name:
                out.append(Hanging(Text("  follow-up: ", style="italic"), literal(f.ask, "italic")))
    if rubric is not None:
        out.append(Text("\nRubric", style="bold"))
        for st in STAGES:
            items = [i for i in rubric.items if i.stage == st]
            if not items:
                continue
            out.append(Text(f"  {st}", style="bold cyan"))
            for i in items:
                line = literal(i.text)
                line.append(f"  (w{i.weight}, {i.level}{', common' if i.common else ''})", style="dim")
                out.append(Hanging(Text("    - "), line))
    return out


# --------------------------------------------------------------------------- scores


def score_json(result: ScoreResult) -> dict[str, Any]:
    """The stable `mlsd score --json` contract."""
    return {
        "question": result.question,
        "score": round(result.percent, 1),
        "stages": {s: round(p, 1) for s, p in result.stages.items()},
        "level": result.level,
        "items": [
            {
                "id": r.item.id,
                "text": r.item.text,
                "stage": r.item.stage,
                "hit": r.hit,
                "evidence": r.evidence,
                "found_in": r.found_in,
                "signal": r.signal,
                "check": r.check,
                "rejected": r.rejected,  # a missed point: the sentence read as turning it down
                "partly": list(r.partly),  # a missed point made of parts: the parts the answer made
                "weight": r.item.weight,
                "level": r.item.level,
            }
            for r in result.items
        ],
    }


def _table(*, header: bool = True) -> Table:
    """A borderless table with a bold header: the one look of every report table (a title goes
    on a line of its own above it, so it is not padded to the table's width)."""
    from rich.table import Table

    return Table(box=None, show_header=header, header_style="bold", pad_edge=False)


def bar(percent: float, width: int = 20) -> Text:
    from rich.text import Text

    filled = round(width * percent / 100)
    colour = "green" if percent >= 70 else "yellow" if percent >= 40 else "red"
    t = Text("█" * filled, style=colour)
    t.append("░" * (width - filled), style="dim")
    return t


class StageLabel:
    """A stage's name in a table: the full title where the column has room, else the short
    name ("Clarify requirements and scale" broke into four lines at 50 columns)."""

    def __init__(self, stage: str, style: str = "") -> None:
        self.full = STAGE_TITLES.get(stage, stage)
        self.short = stage.capitalize()
        self.style = style

    # every label of a column decides alike: full titles only where the longest one fits
    LONGEST = max(len(t) for t in STAGE_TITLES.values())

    def __rich_measure__(self, console: Console, options: Any) -> Any:
        from rich.measure import Measurement

        return Measurement(len(self.short), self.LONGEST)

    def __rich_console__(self, console: Console, options: Any) -> Any:
        from rich.text import Text

        yield Text(self.full if options.max_width >= self.LONGEST else self.short, style=self.style)


class Bar:
    """A score bar as wide as its table column allows (up to 20 cells): on a narrow screen a
    shorter bar, not a cut one ending in '…' that makes 73% and 88% look the same."""

    def __init__(self, percent: float) -> None:
        self.percent = percent

    def __rich_measure__(self, console: Console, options: Any) -> Any:
        from rich.measure import Measurement

        return Measurement(5, 20)

    def __rich_console__(self, console: Console, options: Any) -> Any:
        yield bar(self.percent, max(1, min(20, options.max_width)))


def level_verdict(result: ScoreResult) -> Text:
    return level_text(result.level)


def score_summary(result: ScoreResult, title: str | None = None) -> list[RenderableType]:
    from rich.text import Text

    head = Text()
    head.append(f"{result.percent:.0f}%", style="bold")
    head.append(" of the rubric weight")
    if title:
        head.append(" for ")
        head.append(clean(title), style="bold")
    t = _table(header=False)
    t.add_column(no_wrap=True)
    t.add_column()
    t.add_column(justify="right")
    for st in STAGES:
        if st in result.stages:
            t.add_row(StageLabel(st), Bar(result.stages[st]), f"{result.stages[st]:.0f}%")
    return [Hanging(Text(""), head), level_verdict(result), Text(""), t]


class Hanging:
    """A lead ("  ✓ ") and a body whose wrapped lines hang under the body, not the lead,
    with no padding after the text (so a saved report has no trailing spaces)."""

    def __init__(self, lead: Text, body: Text) -> None:
        self.lead, self.body = lead, body

    def __rich_console__(self, console: Console, options: Any) -> Any:
        from rich.text import Text

        indent = self.lead.cell_len
        for k, line in enumerate(self.body.wrap(console, max(options.max_width - indent, 20))):
            line.rstrip()
            out = self.lead.copy() if k == 0 else Text(" " * indent)
            out.append_text(line)
            yield out


class Trimmed:
    """Any renderable without the spaces that pad its lines at the right (a table's last
    column, left-justified, pads every shorter cell), so saved output has none."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: Any) -> Any:
        from rich.segment import Segment

        for line in console.render_lines(self.inner, options, pad=False, new_lines=False):
            while line and not line[-1].control and not line[-1].text.rstrip():
                line.pop()
            if line and not line[-1].control:
                last = line[-1]
                line[-1] = Segment(last.text.rstrip(), last.style, last.control)
            yield from line
            yield Segment.line()


def checklist_line(hit: bool, text: str, stage: str, weight: int, level: str, check: bool = False) -> Hanging:
    """"  ✓ text  [stage, w2, mid]"; "  ? " for a credit worth checking (one signal only)."""
    from rich.text import Text

    body = literal(text)
    body.append(f"  [{stage}, w{weight}, {level}]", style="dim")
    if not hit:
        lead = Text("  ✗ ", style="red")
    else:
        lead = Text("  ? ", style="bold yellow") if check else Text("  ✓ ", style="green")
    return Hanging(lead, body)


def note_line(text: str, style: str) -> Hanging:
    """A line under a checklist item (evidence, why), indented as a block."""
    from rich.text import Text

    return Hanging(Text(" " * 6), literal(text, style))


def item_lines(results: Iterable[ItemResult], *, show_why: bool) -> list[RenderableType]:
    out: list[RenderableType] = []
    for r in results:
        out.append(checklist_line(r.hit, r.item.text, r.item.stage, r.item.weight, r.item.level, r.check))
        if r.hit and r.evidence:
            where = f" (in {r.found_in})" if r.found_in and r.found_in != r.item.stage else ""
            out.append(note_line(f'"{_shorten(r.evidence)}"{where}', "dim italic"))
        if not r.hit and show_why:
            out.append(note_line(f"why: {r.item.why}", "yellow"))
            if r.partly:
                out.append(note_line(partly_text(r), "dim"))
            if r.rejected:
                out.append(note_line(f'read as turned down: "{_shorten(r.rejected)}"', "dim"))
    return out


def partly_text(r: ItemResult) -> str:
    """'partly there - made: X; missing: Y' for a point made of parts (part names are the
    author's own words, so they stand on their own after a label rather than in a sentence)."""
    missing = [name for name, _ in r.item.parts if name not in r.partly]
    return f"partly there - made: {'; '.join(r.partly)}; missing: {'; '.join(missing)}"


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_legend(n: int) -> str:
    """What a "?" credit means (measured in benchmarks/scoring_quality.py: about one in four
    such credits is wrong, against one in twenty of the rest)."""
    if n == 1:
        return (
            "The one marked ? rests on a single phrasing or was found under another stage's heading, which is "
            "wrong more often: check that you made the point (one made in another stage still counts)."
        )
    return (
        f"The {n} marked ? rest on a single phrasing or were found under another stage's heading, which is "
        "wrong more often: check that you made each point (one made in another stage still counts)."
    )


def score_report(result: ScoreResult, title: str | None = None) -> list[RenderableType]:
    from rich.text import Text

    out = score_summary(result, title)
    covered = result.covered
    missed = result.missed
    out.append(Text(f"\nCovered ({len(covered)} of {len(result.items)})", style="bold green"))
    unsure = sum(r.check for r in covered)
    if unsure:
        out.append(Hanging(Text("  "), literal(check_legend(unsure), "dim")))
    out.extend(item_lines(covered, show_why=False))
    if missed:
        # the points that cost most first
        ordered = sorted(missed, key=lambda r: (-r.item.weight, STAGES.index(r.item.stage)))
        out.append(Text(f"\nMissed ({len(missed)})", style="bold red"))
        out.extend(item_lines(ordered, show_why=True))
        # the lists push the score table off the screen: the gist again at the end
        gist = recap(f"{result.percent:.0f}%", result.level, len(missed), result.stages, "at the top")
        out += [Text(""), Hanging(Text(""), literal(gist, "bold"))]
    return out


# --------------------------------------------------------------------------- sessions


def mmss(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds + 0.5)  # half up: stats' 12.5 s average and review's 12.527 s both read 00:13
    return f"{s // 60:02d}:{s % 60:02d}"


def level_text(level: str | None) -> Text:
    from rich.text import Text

    if level is None:
        return Text("below the mid-level bar: cover more of the core points first", style="yellow")
    t = Text("meets the ")
    t.append(LEVEL_NAMES.get(level, level), style="bold green")
    t.append(" bar")
    nxt = {"mid": "senior", "senior": "staff"}.get(level)
    if nxt:
        t.append(f"; the {nxt} points would take it further", style="dim")
    return t


def _over_shown(stage: dict[str, Any]) -> int:
    """A stage's overtime in whole seconds, as its rounded time used minus its rounded budget
    (00:17 used against 00:13 reads +00:04, not the +00:03 of 3.6 s rounded on its own)."""
    if (stage.get("overtime") or 0.0) < RAN_OVER_SECONDS:
        return 0
    return max(0, round(stage.get("elapsed") or 0.0) - round(stage.get("budget") or 0.0))


def _overtime(seconds: int, cut_off: bool = False) -> Text:
    """The overtime cell: '+mm:ss', 'time up' for a stage --strict submitted at its deadline."""
    from rich.text import Text

    if seconds > 0:
        return Text(f"+{mmss(seconds)}", style="red")
    return Text("time up", style="yellow") if cut_off else Text("-", style="dim")


def _corrections(rec: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The points the person ticked that the scorer missed, and those they unticked."""
    ticked = [i for i in rec.items if i["self_hit"] and not i["auto_hit"]]
    unticked = [i for i in rec.items if i["auto_hit"] and not i["self_hit"]]
    return ticked, unticked


def _timing_note(rec: Any) -> str | None:
    """How the drill was timed, when it was not the question's own timing."""
    if rec.kind != "drill":
        return None
    parts = []
    if rec.minutes:
        parts.append(f"Timed to {rec.minutes:g} minutes in all.")
    if rec.strict:
        cut = sum(1 for s in rec.stages if s.get("auto_submitted"))
        if not cut:
            parts.append("Strict: every stage was submitted in time.")
        elif cut == 1:
            parts.append(f"Strict: 1 of {len(rec.stages)} stages was submitted when its time ran out.")
        else:
            parts.append(f"Strict: {cut} of {len(rec.stages)} stages were submitted when their time ran out.")
    return " ".join(parts) or None


def _stage_totals(rec: Any) -> tuple[int, int, int]:
    """Time used, budget and overtime of all stages: the stages' times as shown, added up
    (five stages 0.1 s over each read 02:01 used of 02:00, with no overtime)."""
    return (
        sum(round(s.get("elapsed") or 0) for s in rec.stages),
        sum(round(s.get("budget") or 0) for s in rec.stages),
        sum(_over_shown(s) for s in rec.stages),
    )


def _costliest_first(item: dict[str, Any]) -> tuple[int, int]:
    """Missed points in the order the result, review and export list them."""
    return -item["weight"], STAGES.index(item["stage"]) if item["stage"] in STAGES else len(STAGES)


def _followup_note(rec: Any) -> str | None:
    """How long the follow-ups took, which the stage times leave out."""
    followups = [s["followup_elapsed"] for s in rec.stages if s.get("followup_elapsed") is not None]
    if rec.kind != "drill" or not followups:
        return None
    n = len(followups)
    return f"Stage times are the stages' own; the {n} follow-up{'s' if n > 1 else ''} took {mmss(sum(followups))} more."


def _hint_note(rec: Any) -> str | None:
    """The hints opened, by stage: a point made after a hint is a point the interviewer
    nudged you to, so the score reads more kindly than the interview would have."""
    used = [(s["stage"], n) for s in rec.stages if (n := s.get("hints_shown") or 0)]
    if not used:
        return None
    total = sum(n for _, n in used)
    plural = "s" if total > 1 else ""
    if len(used) == 1:
        return f"You opened {total} hint{plural}, in {used[0][0]}."
    return f"You opened {total} hints: " + ", ".join(f"{n} in {stage}" for stage, n in used) + "."


def session_result(rec: Any, reference: dict[str, str] | None = None) -> list[RenderableType]:
    """The end-of-drill result (also `mlsd review`): per stage scores and time, misses, notes."""
    from rich.rule import Rule
    from rich.text import Text

    out: list[RenderableType] = [
        Text(""),
        Rule(Text(f"Result · {clean(rec.title)}", style="bold"), align="left"),
    ]
    t = _table()
    timed = rec.kind == "drill"
    cols = ["stage", "auto", "self"] + (["time used", "budget", "overtime"] if timed else [])
    for col in cols:
        t.add_column(col, justify="left" if col == "stage" else "right")
    for s in rec.stages:
        row: list[Any] = [
            StageLabel(s["stage"]),
            _pct(s.get("auto_pct")),
            _pct(s.get("self_pct")),
        ]
        if timed:
            row += [
                mmss(s.get("elapsed")),
                mmss(s.get("budget")),
                _overtime(_over_shown(s), bool(s.get("auto_submitted"))),
            ]
        t.add_row(*row)
    total: list[Any] = [
        Text("overall", style="bold"),
        Text(_pct(rec.auto_score), style="bold"),
        Text(_pct(rec.self_score), style="bold"),
    ]
    if timed:
        used, budget, over = _stage_totals(rec)
        total += [mmss(used), mmss(budget), _overtime(over)]
    t.add_row(*total)
    out.append(t)
    rated = f"You rated it '{RATINGS[rec.rating]}'." if getattr(rec, "rating", None) in RATINGS else None
    for note in (_followup_note(rec), _timing_note(rec), _hint_note(rec), rated):
        if note:
            out.append(Text(note, style="dim"))
    level = level_text(rec.level)
    if rec.self_score != rec.auto_score:
        level.append(" (by your self-scored points)", style="dim")
    out += [Text(""), level]
    ticked, unticked = _corrections(rec)
    if ticked:
        out.append(Text(f"\nYou ticked {len(ticked)} the scorer missed", style="bold"))
        out += [checklist_line(True, i["text"], i["stage"], i["weight"], i["level"]) for i in ticked]
    missed = [i for i in rec.items if not i["self_hit"]]
    missed.sort(key=_costliest_first)
    if missed:
        out.append(Text(f"\nWhat you missed ({len(missed)}), costliest first", style="bold red"))
        for i in missed:
            out.append(checklist_line(False, i["text"], i["stage"], i["weight"], i["level"]))
            if i in unticked:
                out.append(note_line("the scorer credited this; you unticked it", "dim"))
            out.append(note_line(f"why: {i['why']}", "yellow"))
        if reference:
            stages_missed = [s for s in STAGES if any(i["stage"] == s for i in missed) and reference.get(s)]
            if stages_missed:
                out.append(Text("\nReference notes for those stages", style="bold"))
                for s in stages_missed:
                    out.append(Text(f"\n{STAGE_TITLES[s]}", style="bold cyan"))
                    out += notes_block(reference[s])
        # the misses and notes push the table far up the screen: its gist again at the end
        out += [Text(""), Hanging(Text(""), literal(session_recap(rec, len(missed)), "bold"))]
    else:
        out.append(Text("\nYou covered every point on the rubric.", style="bold green"))
    return out


def session_recap(rec: Any, missed: int) -> str:
    score = f"{rec.self_score:.0f}%"
    if rec.kind == "drill":
        score += f" self-scored ({rec.auto_score:.0f}% by the scorer)"
    stages = {s["stage"]: s["self_pct"] for s in rec.stages if s.get("self_pct") is not None}
    return recap(score, rec.level, missed, stages, "under 'Result' above")


def recap(score: str, level: str | None, missed: int, stages: dict[str, float], table: str) -> str:
    """One line with the gist of a score table, for the end of a report that ran long."""
    bar = f"{LEVEL_NAMES[level]} bar met" if level else "below the mid-level bar"
    by_stage = ", ".join(f"{st} {pct:.0f}%" for st, pct in stages.items())
    return (
        f"In short: {score}, {bar}, {missed} point{'s' if missed != 1 else ''} missed"
        + (f"; by stage: {by_stage}" if by_stage else "")
        + f". The full table is {table}."
    )


def notes_block(text: str) -> list[RenderableType]:
    """Reference notes line by line, a bullet's wrapped lines hanging under its text."""
    from rich.text import Text

    out: list[RenderableType] = []
    for line in text.strip().splitlines():
        m = _LIST_ITEM.match(line)
        lead, body = (m.group(1), m.group(2)) if m else (line[: len(line) - len(line.lstrip())], line.strip())
        out.append(Hanging(Text(lead), literal(body)))
    return out


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}%"


def session_transcript(rec: Any) -> list[RenderableType]:
    from rich.rule import Rule
    from rich.text import Text

    meta = f"{rec.ended_at[:16].replace('T', ' ')} UTC · {rec.kind} · session {rec.id}"
    out: list[RenderableType] = [Hanging(Text(""), literal(rec.title, "bold")), Text(meta, style="dim")]
    for s in rec.stages:
        out.append(Text(""))
        out.append(Rule(Text(STAGE_TITLES.get(s["stage"], s["stage"]), style="bold cyan"), align="left"))
        body = (s.get("answer") or "").strip()
        out.append(Hanging(Text(""), literal(body)) if body else Text("(nothing written)", style="dim"))
        if s.get("followup_ask"):
            out.append(Text(""))
            out.append(Hanging(Text("Interviewer: ", style="bold magenta"), literal(s["followup_ask"])))
            reply = (s.get("followup_reply") or "").strip()
            out.append(Hanging(Text("You: ", style="bold"), literal(reply) if reply else Text("(no reply)", style="dim")))
        hits = [i for i in rec.items if i["stage"] == s["stage"] and i["self_hit"]]
        for i in hits:
            out.append(Hanging(Text("  ✓ ", style="green"), literal(i["text"], "green")))
    return out


def history_table(rows: list[Any], width: int = 120) -> RenderableType:
    """Past sessions, one line each; the session id column only where the terminal has room
    for it beside a whole question id (`--json` and `mlsd review N` always have it)."""
    t = _table()
    # a narrow terminal keeps which question and how it went, and leaves out the rest
    cols = ["#", "when (UTC)", "question", "kind", "auto", "self", "level", "rating"]
    if width < 72:
        cols = ["#", "when (UTC)", "question", "self"]
    elif width < 80:
        cols = ["#", "when (UTC)", "question", "auto", "self", "level"]
    if width >= 100:
        cols.append("session")
    for col in cols:
        t.add_column(col, justify="right" if col in ("#", "auto", "self") else "left", no_wrap=col != "question")
    for n, r in enumerate(rows, 1):
        cells = {
            "#": str(n),
            "when (UTC)": r["ended_at"][5 if width < 72 else 0 : 16].replace("T", " "),  # no year when narrow
            "question": literal(r["question_id"]),
            "kind": r["kind"],
            "auto": _pct(r["auto_score"]),
            # an answer file scored with --save was never self-scored: its one score is the scorer's
            "self": _pct(r["self_score"]) if r["kind"] == "drill" or len(cols) < 6 else "-",
            "level": r["level"] or "-",
            "rating": RATINGS.get(r["rating"] or 0, "-"),
            "session": literal(r["id"], "dim"),
        }
        t.add_row(*(cells[c] for c in cols))
    return Trimmed(t)


def unfinished_table(rows: list[dict[str, Any]], width: int = 120) -> RenderableType:
    """The drills `mlsd resume` can continue, one line each; on a narrow screen only what
    picks one (the id `mlsd resume DRILL` takes is never cut)."""
    t = _table()
    cols = ["drill", "question", "stopped at", "words", "last saved (UTC)"]
    if width < 70:
        cols = cols[:3]
    for col in cols:
        t.add_column(col, justify="right" if col == "words" else "left", no_wrap=col == "drill", overflow="fold")
    for r in rows:
        cells = {
            "drill": literal(r["id"]),
            "question": literal(r["question"]),
            "stopped at": literal(r["stage"]),
            "words": str(r["words"]),
            "last saved (UTC)": r["updated_at"][:16].replace("T", " "),
        }
        t.add_row(*(cells[c] for c in cols))
    return Trimmed(t)


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    return "".join(SPARK[min(7, max(0, int(v / 100 * 7.999)))] for v in values)


def stats_view(s: Any) -> list[RenderableType]:
    from rich.text import Text

    if not s.sessions:
        return [Text("No practice recorded yet. Start with `mlsd drill`.", style="yellow")]
    out: list[RenderableType] = []
    head = Text()
    head.append(f"{s.sessions} session{'' if s.sessions == 1 else 's'}", style="bold")
    head.append(f" · streak {s.streak} day{'s' if s.streak != 1 else ''} (best {s.best_streak})")
    if s.last_practice:
        head.append(f" · last {s.last_practice[:10]}", style="dim")
    out.append(Hanging(Text(""), head))

    t = _table()
    t.add_column("")
    t.add_column("trend")
    t.add_column("avg", justify="right")
    t.add_column("last", justify="right")
    overall = [v for _, v in s.overall]
    t.add_row(
        Text("overall", style="bold"),
        Text(sparkline(overall), style="cyan"),
        _pct(sum(overall) / len(overall)),
        _pct(overall[-1]),
    )
    for st, vals in s.per_stage.items():
        t.add_row(
            StageLabel(st), Text(sparkline(vals), style="cyan"), _pct(s.stage_avg[st]), _pct(vals[-1])
        )
    out += [Text(""), Text("Score trend, oldest → newest (self-scores; scored files: the scorer's)", style="italic"), t]

    # a stage or tag at 100% is no weakness, however few there are
    weakest = sorted(((k, v) for k, v in s.stage_avg.items() if round(v) < 100), key=lambda kv: kv[1])[:2]
    out.append(Text(""))
    if weakest:
        out.append(
            Hanging(
                Text("Weakest stages: ", style="bold"),
                Text(", ".join(f"{STAGE_TITLES[k].lower()} ({v:.0f}%)" for k, v in weakest)),
            )
        )
    elif s.stage_avg:
        out.append(Text("Every stage practised is at 100% so far.", style="bold"))
    weak_tags = [(k, v) for k, v in s.tag_avg.items() if round(v[0]) < 100][:3]
    if weak_tags:
        tags = ", ".join(f"{clean(k)} ({v[0]:.0f}%, {v[1]}×)" for k, v in weak_tags)
        out.append(Hanging(Text("Weakest tags: ", style="bold"), Text(tags)))
    if s.missed_items:
        out.append(Text("\nMissed most often", style="bold"))
        for m in s.missed_items:
            body = literal(m["text"])
            body.append(f"  [{m['stage']}]", style="dim")
            out.append(Hanging(Text(f"  {m['missed']}/{m['seen']}  ", style="red"), body))
    if s.time:
        out.append(Text("\nTime management (timed drills)", style="italic"))
        tt = _table()
        cut = any(v.get("share_cut_off") for v in s.time.values())
        hinted = any(v.get("share_hinted") for v in s.time.values())
        cols = ["stage", "avg used", "of budget", "avg overtime", "ran over"]
        cols += (["time up"] if cut else []) + (["hints"] if hinted else [])
        for col in cols:
            tt.add_column(col, justify="left" if col == "stage" else "right")
        for st, v in s.time.items():
            share, used = v["share_over"], v.get("used_share", 0.0)
            row: list[Any] = [
                StageLabel(st),
                mmss(v["avg_elapsed"]),
                Text(f"{used * 100:.0f}%", style="red" if used > 1 else ""),
                mmss(v["avg_overtime"]),
                Text(f"{share * 100:.0f}%", style="red" if share >= 0.5 else ""),
            ]
            if cut:
                row.append(Text(f"{v['share_cut_off'] * 100:.0f}%", style="yellow" if v["share_cut_off"] else ""))
            if hinted:
                row.append(Text(f"{v.get('share_hinted', 0.0) * 100:.0f}%"))
            tt.add_row(*row)
        out.append(tt)
        note = "of budget: time used against the budgets those stages had, so drills of any length compare"
        if cut:
            note += "; time up: stages --strict submitted when their time ran out"
        if hinted:
            note += "; hints: drills in which you opened a hint in that stage"
        out.append(Text(note + ".", style="dim"))
    return out


_MD_BLOCK_START = re.compile(r"\s*([-*+>|#]|\d+[.)])\s")


def _md_lines(text: str) -> str:
    """An answer as typed, in Markdown: a line break inside a paragraph becomes a hard break
    (a trailing backslash), or a renderer joins "...under 50 ms." and "Freshness: hourly" into
    one line. Lines that start a list item, quote, table row or heading break on their own."""
    lines = text.strip().split("\n")
    out = []
    for k, line in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        joined = line.strip() and nxt.strip() and not _MD_BLOCK_START.match(nxt) and not line.endswith("\\")
        out.append(line.rstrip() + ("\\" if joined else ""))
    return "\n".join(out)


def export_markdown(rec: Any) -> str:
    """A readable write-up of one session, fit to paste into notes."""
    lines = [f"# {rec.title}", ""]
    lines.append(f"- Question: `{rec.question_id}` ({rec.difficulty}; {', '.join(rec.tags)})")
    lines.append(f"- When: {rec.ended_at} ({rec.kind})")
    if rec.kind == "drill":
        lines.append(f"- Score: {rec.self_score:.0f}% self-scored, {rec.auto_score:.0f}% automatic")
    else:
        lines.append(f"- Score: {rec.auto_score:.0f}% automatic (an answer file, not self-scored)")
    lines.append(
        f"- Level: {LEVEL_NAMES.get(rec.level, 'below mid-level') if rec.level else 'below the mid-level bar'}"
    )
    if rec.kind == "drill":
        how = [f"{rec.minutes:g} minutes" if rec.minutes else "the question's own timing"]
        if rec.strict:
            how.append("strict (stages submitted at time-up)")
        lines.append(f"- Drill: {', '.join(how)}")
    if rec.rating:
        lines.append(f"- Rated: {RATINGS.get(rec.rating, rec.rating)}")
    timed = rec.kind == "drill"

    def row(stage: str, auto: str, self_: str, elapsed: float, budget: float, over: int, cut: bool = False) -> str:
        times = [mmss(elapsed), mmss(budget), _overtime(over, cut).plain] if timed else ["-"] * 3
        return "| " + " | ".join([stage, auto, self_, *times]) + " |"

    lines += ["", "| stage | auto | self | time used | budget | overtime |", "|---|---:|---:|---:|---:|---:|"]
    lines += [
        row(
            STAGE_TITLES.get(s["stage"], s["stage"]),
            _pct(s.get("auto_pct")),
            _pct(s.get("self_pct")),
            s.get("elapsed") or 0,
            s.get("budget") or 0,
            _over_shown(s),
            bool(s.get("auto_submitted")),
        )
        for s in rec.stages
    ]
    lines.append(
        row(
            "**overall**",
            f"**{_pct(rec.auto_score)}**",
            f"**{_pct(rec.self_score)}**",
            *_stage_totals(rec),
        )
    )
    notes = [n for n in (_followup_note(rec), _timing_note(rec), _hint_note(rec)) if n]
    if notes:
        lines += ["", *notes]
    for s in rec.stages:
        lines += [
            "",
            f"## {STAGE_TITLES.get(s['stage'], s['stage'])}",
            "",
            _md_lines(s.get("answer") or "") or "_(nothing written)_",
        ]
        if s.get("followup_ask"):
            lines += [
                "",
                f"> **Interviewer:** {s['followup_ask']}",
                "",
                _md_lines(s.get("followup_reply") or "") or "_(no reply)_",
            ]
    missed = [i for i in rec.items if not i["self_hit"]]
    covered = [i for i in rec.items if i["self_hit"]]
    ticked, unticked = _corrections(rec)
    lines += ["", f"## Covered ({len(covered)} of {len(rec.items)})", ""]
    lines += [f"- {i['text']}" + (" _(ticked by you)_" if i in ticked else "") for i in covered] or ["_(none)_"]
    lines += ["", f"## Missed ({len(missed)})", ""]
    for i in sorted(missed, key=_costliest_first):
        by_you = " _(the scorer credited it; you unticked it)_" if i in unticked else ""
        lines.append(f"- **{i['text']}** ({i['stage']}, weight {i['weight']}, {i['level']}){by_you}: {i['why']}")
    return "\n".join(lines).rstrip() + "\n"
