"""The terminal side of a drill: the only module that imports prompt_toolkit and questionary.

`TerminalPrompter` implements the runner's `Prompter` protocol. Each answer
box is a multi-line prompt_toolkit prompt with a bottom toolbar that shows
the countdown (redrawn twice a second); a background task saves the draft
every second and, with --strict, submits the box at its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import string
import sys
from collections.abc import Callable
from typing import Any

from mlsd_drill import report
from mlsd_drill.model import RATINGS, STAGE_TITLES, ItemResult, Question, ScoreResult, clean
from mlsd_drill.runner import (
    DRAFT_EVERY,
    Clock,
    DrillReport,
    ListOutcome,
    StageOutcome,
    StageView,
    followup_budget,
    interview_budget,
)
from mlsd_drill.session import DrillState

WARN_SECONDS = 60.0
ESC_ARMED_SECONDS = 3.0  # Enter this soon after a lone Esc still submits
ESC_NOTE = "Esc: press Enter to submit, or keep typing."
KEYS_HELP = "Esc Enter submit · Ctrl-T hint · Ctrl-E editor · Ctrl-C pause"
KEYS_SHORT = "Esc⏎ submit ^T hint ^E edit ^C pause"
KEYS_MIN = "Esc⏎ submit ^C pause"


def clock_text(seconds: float) -> str:
    """mm:ss for a remaining time; '+mm:ss' when it has run over."""
    over = seconds < 0
    s = int(abs(seconds) + (0 if over else 0.999))  # round remaining time up, overtime down
    text = f"{s // 60:02d}:{s % 60:02d}"
    return f"+{text}" if over else text


def toolbar_parts(view: StageView, spent: float, width: int = 120) -> list[tuple[str, str]]:
    """The toolbar as (style, text) fragments; `spent` is seconds in this box so far.

    The clocks always show; the key help is the longest form that fits beside them.
    """
    if view.no_timer:
        used = view.already + spent
        return _with_keys([("class:toolbar", f" {view.stage}  {clock_text(used)} used (untimed) ")], width)
    left = view.budget - (view.already + spent)
    interview_left = view.interview_budget - (view.interview_spent + view.already + spent)
    if left < 0:
        style, label = "class:toolbar.over", f" {clock_text(left)} over time "
    elif left <= WARN_SECONDS:
        style, label = "class:toolbar.warn", f" {clock_text(left)} left "
    else:
        style, label = "class:toolbar.ok", f" {clock_text(left)} left "
    name = "follow-up" if view.followup else view.stage
    parts = [("class:toolbar", f" {name} "), (style, label)]
    total_style = "class:toolbar.over" if interview_left < 0 else "class:toolbar"
    total = (total_style, f" interview {clock_text(interview_left)} ")
    with_total = _with_keys([*parts, total], width)
    if (
        left < 0  # behind time: the whole interview's clock matters most
        or with_total[-1][0] == "class:toolbar.keys"
        or _with_keys(parts, width)[-1][0] != "class:toolbar.keys"
    ):
        return with_total
    return _with_keys(parts, width)  # a narrow screen: how to submit matters more than the total


def _with_keys(parts: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    used = sum(len(text) for _, text in parts)
    for keys in (KEYS_HELP, KEYS_SHORT, KEYS_MIN):
        if used + len(keys) + 3 <= width:
            return [*parts, ("class:toolbar.keys", f"│ {keys} ")]
    return parts


def notice_lines(text: str, width: int) -> str:
    """A note under the toolbar (a hint, a key that does nothing), wrapped between words."""
    import textwrap

    return "\n".join(textwrap.wrap(text, max(20, width - 2), initial_indent=" ", subsequent_indent=" "))


class TerminalPrompter:
    """The real terminal. Tests pass prompt_toolkit pipe input and dummy output."""

    def __init__(self, pt_input: Any = None, pt_output: Any = None, console: Any = None) -> None:
        self.out = console or report.console()
        self.pt_input = pt_input
        self.pt_output = pt_output

    # ------------------------------------------------------------------ screens

    def intro(self, question: Question, state: DrillState) -> None:
        """The case study and how the drill works. On a screen too short to show it all above the
        first answer box (24 rows cut off the case's first sentences while its clock ran), the box
        loses its blank lines and the notes are shortened: the toolbar names the keys anyway."""
        from rich.text import Text

        budgets = {st.name: st.budget for st in state.stages}
        panel = report.question_panel(question, budgets)
        notes = self._intro_notes(question, state, compact=False)
        # below: a blank line and the stage's rule, its question, the box (three lines while
        # there is room), the toolbar; above: the line naming the question picked
        now = state.stages[state.current].name if state.current < len(state.stages) else None
        asked = next((s.prompt for s in question.stages if s.name == now), "")
        first_box = 7 + self._height(Text(" ".join(asked.split())))
        if self._height(panel, *notes) + first_box > self.out.height:
            panel = report.question_panel(question, budgets, compact=True)
            notes = self._intro_notes(question, state, compact=True)
        for part in (panel, *notes):
            self.out.print(part)

    def _height(self, *parts: Any) -> int:
        return sum(len(self.out.render_lines(p, pad=False)) for p in parts)

    def _intro_notes(self, question: Question, state: DrillState, compact: bool) -> list[Any]:
        from rich.text import Text

        notes: list[Any] = []
        scaled = ""
        if state.minutes:
            unit = "minute" if state.minutes == 1 else "minutes"
            scaled = f"Stage time scaled to {state.minutes:g} {unit} in all."
        total = interview_budget(question, state)
        followups = ""
        if total > state.total_budget and not state.no_timer:
            each = report.mmss(followup_budget(question, state))
            asked = {f.stage for f in question.followups}
            which = "Each stage ends" if len(asked) == len(state.stages) else f"{len(asked)} stages end"
            followups = (
                f"{which} with an interviewer's follow-up ({each} each): "
                f"the interview clock counts {report.mmss(total)} in all."
            )
        if compact:
            if scaled or followups:
                notes.append(Text(" ".join(x for x in (scaled, followups) if x), style="dim"))
        else:
            notes += [Text(x, style="dim") for x in (scaled, followups) if x]
        if state.strict:
            notes.append(Text("Strict: each stage is submitted automatically when its time runs out.", style="dim"))
        done = [st for st in state.stages if st.done]
        if done:  # a resumed drill: where it stands before the box it reopens
            parts = []
            for st in done:
                words = len(st.text.split())
                part = f"{STAGE_TITLES[st.name].lower()} ({words} word{'s' if words != 1 else ''}"
                if st.followup is not None and st.followup.done:
                    part += ", follow-up answered" if st.followup.reply.strip() else ", follow-up left blank"
                parts.append(part + ")")
            notes.append(Text("Answered before: " + "; ".join(parts) + ".", style="dim"))
        if state.current == len(state.stages):
            return notes  # resumed at self-scoring: no box to type in
        if compact:
            keys = "Esc then Enter submits a stage; Ctrl-Q twice shows the case again; your text is saved as you type."
        else:
            keys = (
                "Type your answer in each box. Esc then Enter (or Alt+Enter) submits a stage; "
                "Ctrl-T shows a hint; Ctrl-Q shows the stage's question again (twice: the whole case); "
                "Ctrl-E opens your $EDITOR; "
                "Ctrl-C pauses. "
                "Your text is saved as you type."
            )
        notes.append(Text(keys, style="dim"))
        return notes

    def stage(self, view: StageView, clock: Clock, on_draft: Callable[[str], None]) -> StageOutcome:
        from rich.rule import Rule
        from rich.text import Text

        if view.followup:
            self.out.print()
            self.out.print(
                report.Hanging(Text("Interviewer: ", style="bold magenta"), report.literal(report.reflow(view.prompt)))
            )
            self.out.print(Text(f"A short answer is fine ({clock_text(view.budget)}).", style="dim"))
        else:
            budget = f"{clock_text(view.budget)}" if not view.no_timer else "untimed"
            title = f"Stage {view.index + 1}/5 · {view.title} · {budget}"
            if len(title) + 4 > self.out.width:  # a small screen: the stage's short name, budget whole
                title = f"Stage {view.index + 1}/5 · {view.stage.capitalize()} · {budget}"
            self.out.print()
            self.out.print(Rule(Text(title, style="bold cyan"), align="left"))
            self.out.print(report.literal(report.reflow(view.prompt)))
            if view.already > 0:
                used = int(view.already)  # down, as the time left rounds up: the two add up to the budget
                self.out.print(Text(f"Already used on this stage: {used // 60:02d}:{used % 60:02d}.", style="dim"))
        return answer_box(view, clock, on_draft, self.out, pt_input=self.pt_input, pt_output=self.pt_output)

    def confirm_pause(self) -> bool:
        import questionary

        try:
            # auto_enter off: "n" then Enter is a habit, and the Enter went into the answer box
            answer = questionary.confirm(
                "Save and quit? (mlsd resume continues here)", default=True, auto_enter=False
            ).unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            return True
        return bool(answer)

    def auto_result(self, result: ScoreResult, state: DrillState) -> None:
        from rich.rule import Rule
        from rich.text import Text

        self.out.print()
        self.out.print(Rule(Text("Automatic score", style="bold"), align="left"))
        for part in report.score_summary(result):
            self.out.print(part)
        self.out.print()
        self.out.print(
            Text(
                "Now go through the lists, one per stage: ticked items were found in your answer. Those marked "
                "(check?) rest on a single phrasing or were found under another stage's heading, and are wrong "
                "more often: read the sentence shown under the list. A point made in another stage still counts, "
                "so untick only what you did not really make, and tick what you made but the scorer missed "
                "(space toggles, enter confirms).",
                style="dim",
            )
        )

    def self_score_list(
        self,
        stage: str,
        n: int,
        total: int,
        rows: list[ItemResult],
        ticked: set[str],
        on_hangup: Callable[[set[str], str | None], None],
        at: str | None = None,
    ) -> ListOutcome:
        """One short checklist per stage, so the evidence line under the list stays on screen.

        Ctrl-C and a closed terminal end the list with the ticks it has at that moment
        (questionary would drop them): the drill keeps them for `mlsd resume`.
        """
        import questionary
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        choices = []
        for r in rows:
            note = f'found: "{_short(r.evidence)}"' if r.hit and r.evidence else f"why it matters: {r.item.why}"
            if r.partly and not r.hit:
                note = f"{report.partly_text(r)}. {note}"
            title, description = checklist_texts(r.item.text, r.check, note, self.out.width)
            choices.append(
                questionary.Choice(
                    title=title, value=r.item.id, checked=r.item.id in ticked, description=description
                )
            )
        question = questionary.checkbox(
            self_score_title(n, total, stage, len(rows), self.out.width),
            choices=choices,
            initial_choice=at if any(r.item.id == at for r in rows) else None,
            instruction=" ",
            input=self.pt_input,
            output=self.pt_output,
        )
        app = question.application
        control = _inquirer_control(app)
        how = {"how": "done"}

        def partial() -> list[str]:
            return list(control.selected_options) if control is not None else sorted(ticked)

        def pointed() -> str | None:
            if control is None or control.pointed_at is None:
                return at
            return str(control.choices[control.pointed_at].value)

        kb = KeyBindings()

        @kb.add("c-c", eager=True)
        def _interrupt(event: Any) -> None:
            how["how"] = "interrupt"
            event.app.exit(result=partial())

        # questionary's "a" (tick all, or untick all) and "i" (invert) wipe out the scorer's
        # ticks and the person's in one key: here they do nothing
        @kb.add("a", eager=True)
        @kb.add("i", eager=True)
        def _no_bulk_toggle(event: Any) -> None:
            pass

        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])

        def hangup() -> None:
            how["how"] = "hangup"
            with contextlib.suppress(OSError):
                on_hangup(set(partial()), pointed())  # first: writing to a closed terminal may fail next
            app.exit(result=partial())

        app.pre_run_callables.append(lambda: catch_hangup(hangup))
        try:
            picked = question.unsafe_ask()
        except EOFError:
            picked, how["how"] = partial(), "hangup"
        finally:
            loop_restore_signals()
        if picked is None:  # questionary's own way out, should a key still reach it
            picked, how["how"] = partial(), "interrupt"
        return ListOutcome(frozenset(picked), how["how"], pointed())

    def final(self, rep: DrillReport) -> None:
        from mlsd_drill.drills import to_record

        for part in report.session_result(to_record(rep), rep.question.reference):
            self.out.print(part)
    def notice(self, text: str, style: str = "bold yellow") -> None:
        from rich.text import Text

        self.out.print(Text(clean(text), style=style))

    def rating(self, suggested: int) -> int:
        import questionary

        labels = {
            1: "again - I struggled; bring it back soon",
            2: "hard - got through with gaps",
            3: "good - solid",
            4: "easy - could do it in my sleep",
        }
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        # "1) again ...": a number key answers at once (questionary's shortcut only moves to the line)
        choices = [questionary.Choice(labels[k], value=k, shortcut_key=str(k)) for k in RATINGS]
        question = questionary.select(
            "How did it go?",
            choices=choices,
            default=choices[list(RATINGS).index(suggested)],
            use_shortcuts=True,
            input=self.pt_input,
            output=self.pt_output,
        )
        app = question.application
        control = _inquirer_control(app)
        kb = KeyBindings()

        def answer(event: Any, k: int) -> None:
            if control is not None:  # shown as answered, the way Enter leaves it
                control.pointed_at, control.is_answered = list(RATINGS).index(k), True
            event.app.exit(result=k)

        for k in RATINGS:
            kb.add(str(k), eager=True)(lambda event, k=k: answer(event, k))
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), kb])
        try:
            picked = question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            picked = None
        if not picked:
            self.notice("No rating: when this question comes back stays as it was.", style="yellow")
            return 0
        return int(picked)


def self_score_title(n: int, total: int, stage: str, items: int, width: int) -> str:
    """The checklist's title. Once confirmed, questionary adds " done (12 selections)" to it:
    where that would break the line (mid-word), the stage goes by its short name."""
    title = f"Self-score {n}/{total} · {STAGE_TITLES[stage]}"
    if len(f"? {title}  done ({items} selections)") > width:
        title = f"Self-score {n}/{total} · {stage.capitalize()}"
    return title


def _inquirer_control(app: Any) -> Any:
    """The list control inside a questionary prompt (its ticks, its pointer), or None."""
    from questionary.prompts.common import InquirerControl

    return next((w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)), None)


CHECK_MARK = "  (check?)"
_CHOICE_LEAD = 6  # " » ● " before a checklist title
_DESCRIPTION_LEAD = 15  # "  Description: " before the line under the list


def checklist_texts(text: str, check: bool, note: str, width: int) -> tuple[str, str]:
    """A checklist line that fits the terminal, and the lines under the list for the item in
    focus. The line is the item's text, cut with "…" if it must be, and the "(check?)" mark
    after it, never cut off; under the list come the whole text (when the line had to cut
    it) and then the evidence or why it matters, wrapped and hanging under "Description: "."""
    import textwrap

    from rich.text import Text

    mark = CHECK_MARK if check else ""
    whole = clean(" ".join(text.split()))
    t = Text(whole)
    t.truncate(max(10, width - _CHOICE_LEAD - len(mark) - 1), overflow="ellipsis")
    room = max(20, width - _DESCRIPTION_LEAD - 1)
    lines = (textwrap.wrap(whole, room) if t.plain != whole else []) + textwrap.wrap(clean(note), room)
    return t.plain + mark, ("\n" + " " * _DESCRIPTION_LEAD).join(lines)


def missing_editor() -> str | None:
    """A note when $VISUAL or $EDITOR names a program that is not installed (prompt_toolkit
    would quietly open the first editor it finds, often vi, instead)."""
    import os
    import shlex
    import shutil

    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var)
        if not value:
            continue
        try:
            program = shlex.split(value)[0]
        except (ValueError, IndexError):
            program = value
        if shutil.which(program) is None:
            return (
                f"${var} is {value!r}, which is not installed here: set {var} to an editor you have "
                "(or keep typing here)."
            )
        return None
    return None


def _short(text: str | None, limit: int = 140) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


PROMPT_WIDTH = 2  # "› " on the first line, "  " on every other one, wrapped or not


def wrap_pads(chars: list[str], width: int) -> list[tuple[int, int]]:
    """Where a line of characters wraps between words on rows `width` columns wide: (index
    of a word's first character, spaces padded before it to start it on the next row)."""
    from prompt_toolkit.utils import get_cwidth

    if width < 10 or len(chars) > 20_000 or sum(get_cwidth(c) for c in chars) <= width:
        return []  # fits, or too narrow or too long to bother
    pads: list[tuple[int, int]] = []
    col = i = 0
    n = len(chars)
    while i < n:
        if chars[i].isspace():
            col = (col + get_cwidth(chars[i])) % width  # a full line starts the next
            i += 1
            continue
        j, size = i, 0
        while j < n and not chars[j].isspace():
            size += get_cwidth(chars[j])
            j += 1
        # a word that fills the row exactly would push the space after it to the start
        # of the next row, which then begins one column in: it moves down too
        spaced = size + (j < n and chars[j] == " ")
        if col > 0 and col + spaced > width and size < width:
            pads.append((i, width - col))  # the word would not fit: it starts the next line
            col = 0
        col = (col + size) % width  # a word longer than a line wraps inside, as before
        i = j
    return pads


def display_columns(pads: list[tuple[int, int]], n: int) -> list[int]:
    """The display column of each of a line's n characters (and of its end), with the
    spaces `wrap_pads` puts before words."""
    before = dict(pads)
    cols, shift = [], 0
    for i in range(n + 1):
        shift += before.get(i, 0)
        cols.append(i + shift)
    return cols


def word_wrap_processor(prefix: int = PROMPT_WIDTH) -> Any:
    """A prompt_toolkit input processor that wraps long lines between words.

    prompt_toolkit wraps at the last column, in the middle of a word ("veloci / ty");
    it has no word wrap of its own. This pads the rest of a line with spaces wherever
    a word would not fit, so the window's own wrapping starts the word on the next
    line. Only the display changes: the text, and what is saved, stay as typed.
    """
    import bisect

    from prompt_toolkit.layout.processors import Processor, Transformation
    from prompt_toolkit.layout.utils import explode_text_fragments

    class WordWrap(Processor):
        def apply_transformation(self, ti: Any) -> Any:
            chars = explode_text_fragments(ti.fragments)
            pads = wrap_pads([c[1] for c in chars], ti.width - prefix)
            if not pads:
                return Transformation(ti.fragments)
            out: list[Any] = []
            k = 0
            for idx, frag in enumerate(chars):
                if k < len(pads) and pads[k][0] == idx:
                    out.append((frag[0], " " * pads[k][1]))
                    k += 1
                out.append(frag)
            cols = display_columns(pads, len(chars))
            past = cols[-1] - len(chars)  # beyond the line's end, every pad lies before

            def source_to_display(i: int) -> int:
                return cols[i] if i < len(cols) else i + past

            def display_to_source(d: int) -> int:
                # inside the padding: the word it moves down
                return bisect.bisect_left(cols, d) if d <= cols[-1] else d - past

            return Transformation(out, source_to_display=source_to_display, display_to_source=display_to_source)

    return WordWrap()


def _row_layout(line: str, width: int) -> list[int] | None:
    """Each character's display column in the answer box (and the end's), the padding of
    the word wrap included; None where that is not simply known (tabs, wide characters)."""
    from prompt_toolkit.utils import get_cwidth

    if width < 1 or "\t" in line or any(get_cwidth(c) != 1 for c in line):
        return None
    return display_columns(wrap_pads(list(line), width), len(line))


def _column_at(cols: list[int], target: int) -> int:
    """The character at a display column; past the end of a row's text, the row's last."""
    import bisect

    return max(bisect.bisect_right(cols, target) - 1, 0)


def row_move(lines: list[str], row: int, col: int, step: int, width: int) -> tuple[int, int] | None:
    """Up (step -1) or Down (+1) by one screen row of the answer box, where long lines wrap
    between words: the (line, column) the cursor goes to, keeping its place across the row,
    or None where it cannot go (the first or last row) or where the layout is not simply
    known, so that the key does what prompt_toolkit does by itself: move by whole lines,
    which in a wrapped paragraph skips every row between."""
    cols = _row_layout(lines[row], width)
    if cols is None:
        return None
    end = cols[-1]
    r, x = divmod(cols[col], width)
    if 0 <= r + step <= end // width:  # another row of the same line
        # a column in the padding at a row's end is the row's last character
        return row, _column_at(cols, min((r + step) * width + x, end))
    row2 = row + step
    if not 0 <= row2 < len(lines):
        return None
    cols2 = _row_layout(lines[row2], width)
    if cols2 is None:
        return None
    first = (cols2[-1] // width) * width if step < 0 else 0
    return row2, _column_at(cols2, min(first + x, cols2[-1]))


def row_bounds(line: str, col: int, width: int) -> tuple[int, int]:
    """The first and last column of the screen row the cursor is on (the whole line's
    where its layout is not simply known): where Home and End go first."""
    cols = _row_layout(line, width)
    if cols is None:
        return 0, len(line)
    r = cols[col] // width
    start = _column_at(cols, r * width)
    if r == cols[-1] // width:
        return start, len(line)
    return start, _column_at(cols, (r + 1) * width) - 1


def answer_box(
    view: StageView,
    clock: Clock,
    on_draft: Callable[[str], None],
    out: Any,
    *,
    pt_input: Any = None,
    pt_output: Any = None,
) -> StageOutcome:
    """One multi-line answer box with a live countdown; returns the text and how it ended."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import run_in_terminal
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout.processors import TabsProcessor
    from prompt_toolkit.styles import Style
    from prompt_toolkit.utils import is_dumb_terminal

    # A dumb terminal (TERM=dumb: Emacs shell mode, some CI) gets prompt_toolkit's "dumb
    # prompt", which runs without pre_run (no draft saves, no --strict deadline) and lets its
    # own Ctrl-C and Ctrl-D win over ours (the text was lost). Run the usual prompt instead,
    # drawing nothing but the typed characters, as the dumb prompt does.
    dumb = pt_output is None and is_dumb_terminal()
    if dumb:
        from prompt_toolkit.output import DummyOutput

        pt_output = DummyOutput()
    start = clock()
    state: dict[str, Any] = {
        "how": "submit",
        "hints": 0,
        "editor": False,
        "in_editor": False,
        "saved": None,
        "last": start,
        "told": False,
        "notice": None,  # a line under the toolbar: the last hint, or a word about a key
        "armed": None,  # when a lone Esc was pressed: Enter soon after still submits
        "asked": False,  # a dumb terminal: Ctrl-Q last printed the stage's question
        "empty_ok": False,  # Esc Enter on an empty box was asked about once: again submits it
    }
    kb = KeyBindings()

    @kb.add("c-c")
    def _pause(event: Any) -> None:
        state["how"] = "interrupt"
        event.app.exit(result=event.app.current_buffer.text)

    # Ctrl-D deletes the character under the cursor, as in a shell: it had submitted the
    # stage, with no undo, and prompt_toolkit's own Ctrl-D on an empty box ends input
    @kb.add("c-d")
    def _delete_forward(event: Any) -> None:
        event.current_buffer.delete(1)

    @kb.add("c-t")
    def _hint(event: Any) -> None:
        hints = view.hints
        if not hints:
            msg = "No hints for this stage - think about what an interviewer would ask next."
        elif state["hints"] >= len(hints):
            msg = "No more hints."
        else:
            msg = f"Hint {state['hints'] + 1}/{len(hints)}: {hints[state['hints']]}"
            state["hints"] += 1
        tell(msg)

    def tell(msg: str) -> None:
        """Show a note: under the toolbar, where it stays in view however long the answer."""
        if dumb:
            run_in_terminal(lambda: print(f"\n{clean(msg)}"))
        else:
            state["notice"] = clean(msg)

    @kb.add("c-e")
    def _editor(event: Any) -> None:
        missing = missing_editor()
        if missing:
            # prompt_toolkit would quietly open vi instead: someone who never used vi is
            # stuck in it with the clock running. Say so here and stay in the box.
            tell(missing)
            return
        state["editor"] = state["in_editor"] = True
        task = event.app.current_buffer.open_in_editor(validate_and_handle=False)
        # the deadline waits for the editor: its text is in the buffer only once it closes
        task.add_done_callback(lambda _: state.update(in_editor=False))

    # Esc then Enter submits, but Esc then a letter is Meta+letter to prompt_toolkit: Esc, b
    # jumped back a word, Esc, d deleted one and Esc, u upper-cased it. A lone Esc that
    # someone regrets does nothing here: the key after it is typed as usual.
    def _typed_after_escape(event: Any) -> None:
        event.current_buffer.insert_text(event.key_sequence[-1].data)

    for ch in string.ascii_letters + string.digits + string.punctuation + " ":
        kb.add("escape", ch)(_typed_after_escape)

    @kb.add("escape", "backspace")
    def _backspace_after_escape(event: Any) -> None:
        event.current_buffer.delete_before_cursor(1)  # not "kill the word before"

    # Esc, a pause, then Enter: prompt_toolkit reads a lone Esc after half a second, and the
    # Enter that follows would only add a line. Enter within a few seconds still submits.
    @kb.add("escape")
    def _lone_escape(event: Any) -> None:
        state["armed"] = clock()
        tell(ESC_NOTE)

    armed = Condition(lambda: state["armed"] is not None and clock() - state["armed"] <= ESC_ARMED_SECONDS)

    # Esc Enter on an empty box (a stray key) asks first: a stage once submitted is gone
    @kb.add("escape", "enter")
    @kb.add("enter", filter=armed)
    def _submit(event: Any) -> None:
        text = event.current_buffer.text
        if not text.strip() and not state["empty_ok"]:
            state["empty_ok"] = True
            tell(f"The box is empty: Esc then Enter again {'leaves the follow-up blank' if view.followup else 'skips this stage'}.")
            return
        event.app.exit(result=text)

    @kb.add("tab")
    def _tab(event: Any) -> None:
        event.current_buffer.insert_text("\t")  # kept as typed, shown as spaces; pasted tabs too

    # on a small screen the stage's question scrolls away while the clock runs: bring it back
    # under the box (Q for question; prompt_toolkit's quoted insert is of no use here)
    @kb.add("c-q")
    def _question(event: Any) -> None:
        stage_q = f"{'Interviewer' if view.followup else 'Question'}: {' '.join(view.prompt.split())}"
        case = f"Case study: {' '.join(view.question.prompt.split())}"
        # pressed again: the whole case study, then the note goes away
        next_note = {stage_q: case, case: None}.get(state["notice"] or "", stage_q)
        if dumb:  # no toolbar: print it, the stage's question then the case study in turn
            state["asked"] = not state["asked"]
            tell(stage_q if state["asked"] else case)
        else:
            state["notice"] = next_note

    def text_width(app: Any) -> int:
        """The columns beside the prompt; 0 with no terminal size to go by (the keys below
        then move by whole lines, as prompt_toolkit does)."""
        try:
            return int(app.output.get_size().columns) - PROMPT_WIDTH
        except Exception:
            return 0

    @kb.add("up")
    @kb.add("down")
    def _by_row(event: Any) -> None:
        """Up and Down move one row of the box, as in an editor, not one whole paragraph."""
        buf = event.current_buffer
        step = -1 if event.key_sequence[0].key == "up" else 1
        width = text_width(event.app)
        for _ in range(event.arg):
            doc = buf.document
            got = row_move(doc.lines, doc.cursor_position_row, doc.cursor_position_col, step, width)
            if got is None:
                (buf.cursor_up if step < 0 else buf.cursor_down)()
            else:
                buf.cursor_position = doc.translate_row_col_to_index(*got)

    @kb.add("home")
    @kb.add("end")
    def _row_ends(event: Any) -> None:
        """Home and End go to the start or end of the row; pressed again, of the paragraph."""
        buf = event.current_buffer
        doc = buf.document
        line, col = doc.current_line, doc.cursor_position_col
        start, end = row_bounds(line, col, text_width(event.app))
        if event.key_sequence[0].key == "home":
            buf.cursor_position += (start if col != start else 0) - col
        else:
            buf.cursor_position += (end if col != end else len(line)) - col

    @kb.add("c-z")
    def _no_suspend(event: Any) -> None:
        tell("Ctrl-Z does nothing here: Ctrl-C pauses the drill and saves it.")

    def toolbar() -> FormattedText:
        try:
            width = session.app.output.get_size().columns
        except Exception:  # no real terminal size (tests): assume a wide one
            width = 120
        if state["armed"] is not None and not armed():
            disarm()
        parts = toolbar_parts(view, clock() - start, width)
        if state["notice"]:
            parts.append(("class:toolbar.note", "\n" + notice_lines(state["notice"], width)))
        return FormattedText(parts)

    style = Style.from_dict(
        {
            "bottom-toolbar": "noreverse bg:#222222 #dddddd",
            "toolbar.ok": "bold #55ff55",
            "toolbar.warn": "bold #ffaf00",
            "toolbar.over": "bold #ff5555",
            "toolbar.keys": "#999999",
            "toolbar.note": "#ffd787",
        }
    )
    session: PromptSession[str] = PromptSession(
        multiline=True,
        # a pasted tab shows as space, not "^I"; long lines wrap between words
        input_processors=[TabsProcessor(char1=" ", char2=" "), word_wrap_processor()],
        key_bindings=kb,
        bottom_toolbar=toolbar,
        refresh_interval=0.5,
        style=style,
        prompt_continuation=lambda width, line_no, wrap: "  ",
        input=pt_input,
        output=pt_output,
    )

    def disarm(_: Any = None) -> None:
        """Typing after a lone Esc, or waiting too long, takes back its "Enter submits"."""
        if state["armed"] is not None:
            state["armed"] = None
            if state["notice"] == ESC_NOTE:
                state["notice"] = None

    session.default_buffer.on_text_changed += disarm
    session.default_buffer.on_text_changed += lambda _: state.update(empty_ok=False)

    def save(text: str) -> None:
        state["saved"] = text
        state["last"] = clock()
        on_draft(text)

    async def ticker() -> None:
        app = session.app
        while True:
            await asyncio.sleep(0.25)
            text = app.current_buffer.text
            now = clock()
            if now - state["last"] >= DRAFT_EVERY:
                with contextlib.suppress(OSError):
                    save(text)
            over = view.already + (now - start) >= view.budget
            if dumb and over and not view.no_timer and not state["told"]:
                state["told"] = True  # no toolbar to turn red: say it once
                run_in_terminal(lambda: print("\n(time is up for this stage: you are in overtime)"))
            if (
                view.strict
                and not view.no_timer
                and not state["in_editor"]
                and view.already + (now - start) >= view.budget
            ):
                state["how"] = "timeout"
                app.exit(result=text)
                return

    def pre_run() -> None:
        app = session.app
        app.create_background_task(ticker())

        def hangup() -> None:
            state["how"] = "hangup"
            with contextlib.suppress(OSError):
                save(app.current_buffer.text)
            app.exit(result=app.current_buffer.text)

        catch_hangup(hangup)

    if dumb:
        sys.stdout.write(f"› {view.text}")
        sys.stdout.flush()

        shown = {"length": len(view.text)}

        def echo(buffer: Any) -> None:
            # a deletion rubs out on screen ("\b \b"), where prompt_toolkit's dumb prompt printed
            # the character before the cursor again ("10k TPSS" then Backspace read "10k TPSSS")
            length = len(buffer.text)
            if length < shown["length"]:
                sys.stdout.write("\b \b" * (shown["length"] - length))
            else:
                sys.stdout.write(buffer.document.text_before_cursor[-(length - shown["length"]) or -1 :])
            shown["length"] = length
            sys.stdout.flush()

        session.default_buffer.on_text_changed += echo
    try:
        text = session.prompt("› ", default=view.text, pre_run=pre_run)
    except EOFError:
        text, state["how"] = view.text, "hangup"
    finally:
        loop_restore_signals()
        if dumb:
            session.default_buffer.on_text_changed -= echo
            sys.stdout.write("\n")
            sys.stdout.flush()
    if state["how"] == "timeout":
        out.print(f"[bold red]Time is up - {'follow-up' if view.followup else 'stage'} submitted.[/]")
    return StageOutcome(
        text=text or "", how=state["how"], used_editor=state["editor"], hints_shown=state["hints"]
    )


def catch_hangup(handler: Callable[[], None]) -> None:
    """Call `handler` in the running event loop when the terminal goes away (SIGHUP) or the
    process is asked to end (SIGTERM); `loop_restore_signals` undoes it."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGHUP, handler)
        loop.add_signal_handler(signal.SIGTERM, handler)


def loop_restore_signals() -> None:
    """Give SIGHUP/SIGTERM their default meaning back between boxes."""
    for sig in (signal.SIGHUP, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_DFL)
