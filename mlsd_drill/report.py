"""Rendering results for people (rich) and for programs (JSON).

Everything shown from a bank or an answer goes through `Text` objects, never
through rich markup, so a `[bold]` in someone's answer is printed as typed and
control characters are shown as visible escapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mlsd_drill.model import STAGE_TITLES, STAGES, ItemResult, Question, Rubric, ScoreResult

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LEVEL_NAMES = {"mid": "mid-level", "senior": "senior", "staff": "staff"}


def clean(text: str) -> str:
    """Text safe to print: control characters and escape sequences made visible."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def literal(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(clean(text), style=style)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- questions


def question_row(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": q.title,
        "difficulty": q.difficulty,
        "tags": list(q.tags),
        "minutes": q.total_minutes,
        "bank": str(q.bank) if q.bank else None,
    }


def question_json(q: Question, rubric: Rubric | None) -> dict[str, Any]:
    data = question_row(q)
    data["prompt"] = q.prompt
    data["stages"] = [
        {"name": s.name, "minutes": s.minutes, "prompt": s.prompt, "hints": list(s.hints)}
        for s in q.stages
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
                "signals": [list(s) if len(s) > 1 else s[0] for s in i.signals],
                "why": i.why,
                "common": i.common,
            }
            for i in rubric.items
        ]
    return data


def questions_table(questions: Iterable[Question]) -> RenderableType:
    from rich.table import Table

    t = Table(box=None, pad_edge=False, header_style="bold")
    t.add_column("id", style="cyan", no_wrap=True)
    t.add_column("title")
    t.add_column("difficulty")
    t.add_column("tags", style="dim")
    colour = {"easy": "green", "medium": "yellow", "hard": "red"}
    for q in questions:
        t.add_row(
            literal(q.id),
            literal(q.title),
            literal(q.difficulty, colour.get(q.difficulty, "")),
            literal(", ".join(q.tags)),
        )
    return t


def stage_budget(q: Question) -> Text:
    from rich.text import Text

    parts = [f"{s.name} {_minutes(s.minutes)}" for s in q.stages]
    return Text(" · ".join(parts) + f"  (total {_minutes(q.total_minutes)})", style="dim")


def _minutes(m: float) -> str:
    return f"{m:g} min"


def question_panel(q: Question) -> RenderableType:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    meta = Text()
    meta.append(q.difficulty, style={"easy": "green", "medium": "yellow", "hard": "red"}.get(q.difficulty, ""))
    meta.append("  ")
    meta.append(clean(", ".join(q.tags)), style="dim")
    return Panel(
        Group(meta, Text(""), literal(q.prompt), Text(""), stage_budget(q)),
        title=literal(q.title, "bold"),
        title_align="left",
        border_style="cyan",
        padding=(1, 2),
    )


def question_detail(q: Question, rubric: Rubric | None) -> list[RenderableType]:
    from rich.text import Text

    out: list[RenderableType] = [question_panel(q)]
    for s in q.stages:
        head = Text()
        head.append(f"\n{s.title}", style="bold")
        head.append(f"  {_minutes(s.minutes)}", style="dim")
        out.append(head)
        out.append(literal("  " + s.prompt))
        for h in s.hints:
            out.append(literal(f"  hint: {h}", "dim"))
        for f in q.followups:
            if f.stage == s.name:
                out.append(literal(f"  follow-up: {f.ask}", "italic"))
    if rubric is not None:
        out.append(Text("\nRubric", style="bold"))
        for st in STAGES:
            items = [i for i in rubric.items if i.stage == st]
            if not items:
                continue
            out.append(Text(f"  {st}", style="bold cyan"))
            for i in items:
                line = Text("    - ")
                line.append(clean(i.text))
                line.append(f"  (w{i.weight}, {i.level}{', common' if i.common else ''})", style="dim")
                out.append(line)
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
                "stage": r.item.stage,
                "hit": r.hit,
                "evidence": r.evidence,
                "found_in": r.found_in,
                "weight": r.item.weight,
                "level": r.item.level,
            }
            for r in result.items
        ],
    }


def bar(percent: float, width: int = 20) -> Text:
    from rich.text import Text

    filled = round(width * percent / 100)
    colour = "green" if percent >= 70 else "yellow" if percent >= 40 else "red"
    t = Text("█" * filled, style=colour)
    t.append("░" * (width - filled), style="dim")
    return t


def level_verdict(result: ScoreResult) -> Text:
    from rich.text import Text

    lv = result.level
    if lv is None:
        return Text("below the mid-level bar: cover more of the core points first", style="yellow")
    t = Text("meets the ")
    t.append(LEVEL_NAMES[lv], style="bold green")
    t.append(" bar")
    nxt = {"mid": "senior", "senior": "staff"}.get(lv)
    if nxt:
        t.append(f"; the {nxt} points below would take it further", style="dim")
    return t


def score_summary(result: ScoreResult, title: str | None = None) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    head = Text()
    head.append(f"{result.percent:.0f}%", style="bold")
    head.append(" of the rubric weight")
    if title:
        head.append(" for ")
        head.append(clean(title), style="bold")
    t = Table(box=None, show_header=False, pad_edge=False)
    t.add_column(no_wrap=True)
    t.add_column()
    t.add_column(justify="right")
    for st in STAGES:
        if st in result.stages:
            t.add_row(STAGE_TITLES[st], bar(result.stages[st]), f"{result.stages[st]:.0f}%")
    return [head, level_verdict(result), Text(""), t]


def item_lines(results: Iterable[ItemResult], *, show_why: bool) -> list[RenderableType]:
    from rich.text import Text

    out: list[RenderableType] = []
    for r in results:
        line = Text("  ")
        if r.hit:
            line.append("✓ ", style="green")
        else:
            line.append("✗ ", style="red")
        line.append(clean(r.item.text))
        line.append(f"  [{r.item.stage}, w{r.item.weight}, {r.item.level}]", style="dim")
        out.append(line)
        if r.hit and r.evidence:
            where = f" (in {r.found_in})" if r.found_in and r.found_in != r.item.stage else ""
            out.append(literal(f'      "{_shorten(r.evidence)}"{where}', "dim italic"))
        if not r.hit and show_why:
            out.append(literal(f"      why: {r.item.why}", "yellow"))
            if r.rejected:
                out.append(literal(f'      you set it aside: "{_shorten(r.rejected)}"', "dim"))
    return out


def _shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score_report(result: ScoreResult, title: str | None = None) -> list[RenderableType]:
    from rich.text import Text

    out = score_summary(result, title)
    covered = result.covered
    missed = result.missed
    out.append(Text(f"\nCovered ({len(covered)} of {len(result.items)})", style="bold green"))
    out.extend(item_lines(covered, show_why=False))
    if missed:
        # the points that cost most first
        ordered = sorted(missed, key=lambda r: (-r.item.weight, STAGES.index(r.item.stage)))
        out.append(Text(f"\nMissed ({len(missed)})", style="bold red"))
        out.extend(item_lines(ordered, show_why=True))
    return out
