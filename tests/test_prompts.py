"""The answer box in-process: prompt_toolkit pipe input, dummy output, a fake clock."""

from __future__ import annotations

import io

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from mlsd_drill import bank
from mlsd_drill.answer import parse_markdown
from mlsd_drill.prompts import TerminalPrompter, answer_box, checklist_texts, clock_text, toolbar_parts
from mlsd_drill.runner import StageView
from mlsd_drill.scoring import score


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def view(**kw) -> StageView:  # type: ignore[no-untyped-def]
    q = bank.load().questions["fraud-detection"]
    spec = q.stage("data")
    base = dict(
        question=q,
        stage="data",
        index=1,
        title=spec.title,
        prompt=spec.prompt,
        hints=spec.hints,
        budget=600.0,
        already=0.0,
        interview_budget=2700.0,
        interview_spent=300.0,
        text="",
        strict=False,
        no_timer=False,
    )
    base.update(kw)
    return StageView(**base)


def run_box(keys: str, v: StageView, clock: FakeClock, drafts: list[str] | None = None):  # type: ignore[no-untyped-def]
    out = Console(file=io.StringIO(), width=100)
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        return answer_box(
            v,
            clock,
            (drafts if drafts is not None else []).append,
            out,
            pt_input=pipe,
            pt_output=DummyOutput(),
        )


def test_clock_text() -> None:
    assert clock_text(600) == "10:00"
    assert clock_text(59.2) == "01:00"  # remaining time rounds up
    assert clock_text(0.4) == "00:01"
    assert clock_text(-65.7) == "+01:05"


def test_toolbar_counts_down_and_warns() -> None:
    v = view()
    text = "".join(t for _, t in toolbar_parts(v, 30))
    assert (
        "data" in text and "09:30 left" in text and "interview 39:30" in text and "Esc Enter submit" in text
    )
    styles = {s for s, _ in toolbar_parts(v, 545)}
    assert "class:toolbar.warn" in styles  # last minute
    over = toolbar_parts(v, 700)
    assert any(s == "class:toolbar.over" and "+01:40 over time" in t for s, t in over)


def test_the_toolbar_fits_the_terminal_in_overtime() -> None:
    follow_up = view(followup=True, budget=120.0, interview_spent=2000.0)
    shown = {}
    for width in (80, 60, 50):
        text = "".join(t for _, t in toolbar_parts(follow_up, 700, width))
        assert len(text) <= width and "over time" in text
        shown[width] = text
    assert "Esc⏎ submit" in shown[80] and "interview" in shown[80]
    # in overtime the whole interview's clock stays, even where the keys then do not fit ...
    assert all("interview" in text for text in shown.values())
    # ... while on time, on a narrow screen, how to submit comes first
    on_time = "".join(t for _, t in toolbar_parts(view(interview_spent=2000.0), 30, 50))
    assert "Esc⏎ submit" in on_time and "interview" not in on_time


def test_no_timer_shows_time_used_only() -> None:
    text = "".join(t for _, t in toolbar_parts(view(no_timer=True), 75))
    assert "01:15 used (untimed)" in text and "left" not in text


def test_typing_and_submitting_with_escape_enter() -> None:
    out = run_box("Labels come from chargebacks.\nThey arrive late.\x1b\r", view(), FakeClock())
    assert out.how == "submit"
    assert out.text == "Labels come from chargebacks.\nThey arrive late."


def run_box_paced(chunks: list[tuple[float, str]], v: StageView, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Keys sent as a person would, with real pauses between them (seconds before each chunk)."""
    import threading
    import time

    out = Console(file=io.StringIO(), width=100)
    with create_pipe_input() as pipe:

        def typist() -> None:
            for pause, keys in chunks:
                time.sleep(pause)
                pipe.send_text(keys)

        threading.Thread(target=typist, daemon=True).start()
        return answer_box(v, clock, [].append, out, pt_input=pipe, pt_output=DummyOutput())


def test_esc_enter_on_an_empty_box_asks_before_skipping_the_stage() -> None:
    # the first Esc Enter on an empty box only asks; typing then submits the text as usual
    out = run_box("\x1b\rafter all\x1b\r", view(), FakeClock())
    assert out.how == "submit" and out.text == "after all"
    # a second Esc Enter skips the stage; typing and deleting in between asks again
    assert run_box("\x1b\r\x1b\r", view(), FakeClock()).text == ""
    out = run_box("\x1b\rx\x7f\x1b\rsaid it\x1b\r", view(), FakeClock())
    assert out.text == "said it"
    # the same for Esc, a pause, then Enter
    out = run_box_paced([(0, "\x1b"), (1.0, "\r"), (0.2, "late\x1b\r")], view(), FakeClock())
    assert out.text == "late"


def test_esc_a_pause_then_enter_still_submits() -> None:
    # prompt_toolkit reads a lone Esc after half a second; the Enter after it used to add a line
    out = run_box_paced([(0, "Velocity features\x1b"), (1.0, "\r")], view(), FakeClock())
    assert out.how == "submit" and out.text == "Velocity features"
    # typing after the Esc takes it back: Enter is a new line again
    out = run_box_paced([(0, "abc\x1b"), (1.0, "d"), (0.2, "\r"), (0.2, "e\x1b\r")], view(), FakeClock())
    assert out.text == "abcd\ne"


def test_ctrl_d_deletes_forward_and_never_submits() -> None:
    out = run_box("abcd\x02\x02\x04\x04\x04 more\x1b\r", view(), FakeClock())  # back two, delete three
    assert out.how == "submit" and out.text == "ab more"


def test_tab_is_typed_and_ctrl_z_changes_nothing() -> None:
    out = run_box("feature\tvalue\x1a!\x1b\r", view(), FakeClock())
    assert out.text == "feature\tvalue!"  # no raw ^Z byte in the answer


def test_a_missing_editor_opens_nothing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    monkeypatch.delenv("VISUAL", raising=False)
    out = run_box("\x05typed here\x1b\r", view(), FakeClock())
    assert out.text == "typed here" and not out.used_editor


def test_notes_under_the_toolbar_wrap_between_words() -> None:
    from mlsd_drill.prompts import notice_lines

    lines = notice_lines("Hint 1/3: Which timestamps does the order lifecycle give you?", 30).split("\n")
    assert all(len(line) <= 30 for line in lines) and len(lines) > 1
    assert " ".join(line.strip() for line in lines) == "Hint 1/3: Which timestamps does the order lifecycle give you?"


def test_a_key_after_a_lone_escape_is_typed_not_read_as_meta() -> None:
    # Esc, b was "back a word", Esc, d "delete a word", Esc, u "upper-case a word"
    out = run_box("what is the budget\x1bb and d\x1bdone\x1bu\x1b\x7f\x1b\r", view(), FakeClock())
    assert out.how == "submit"
    assert out.text == "what is the budgetb and ddone"  # and Esc, Backspace deletes one letter, not a word


def test_ctrl_c_returns_the_text_typed_so_far() -> None:
    out = run_box("half a thought\x03", view(), FakeClock())
    assert out.how == "interrupt" and out.text == "half a thought"


def test_resumed_text_is_in_the_box() -> None:
    out = run_box(" and more\x1b\r", view(text="already typed"), FakeClock())
    assert out.text == "already typed and more"


def test_hint_is_counted() -> None:
    out = run_box("\x14x\x1b\r", view(), FakeClock())  # Ctrl-T
    assert out.hints_shown == 1


class JumpClock(FakeClock):
    """Reads the start time once, then 20 seconds later on every read after."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.t if self.reads == 1 else self.t + 20


def test_strict_deadline_submits_by_itself() -> None:
    # 10 seconds were left; the clock says 20 have passed: the box closes without Enter
    drafts: list[str] = []
    out = run_box("partial", view(strict=True, already=590.0), JumpClock(), drafts)
    assert out.how == "timeout"
    assert out.text == "partial"
    assert drafts and drafts[-1] == "partial"  # the draft was saved while the box was open


def test_strict_deadline_waits_for_the_editor(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the deadline passes while the editor is open: what was written there is what is submitted
    editor = tmp_path / "slow-editor"
    editor.write_text(
        "#!/bin/sh\nsleep 1\nprintf ' written in the editor' >> \"$1\"\n",
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    out = run_box("typed in the box\x05", view(strict=True, already=590.0), JumpClock())
    assert out.how == "timeout" and out.used_editor
    assert out.text.startswith("typed in the box") and "written in the editor" in out.text


def test_without_strict_overtime_goes_on() -> None:
    out = run_box("still typing\x1b\r", view(strict=False, already=590.0), JumpClock())
    assert out.how == "submit" and out.text == "still typing"


def test_a_self_scoring_line_fits_the_terminal_and_keeps_its_check_mark() -> None:
    text = "Sets a latency budget for scoring inside the authorization (tens of ms at p99) and a throughput target"
    note = 'found: "Latency budget p99 under 100 ms, 5k TPS peak, which leaves room for the rules engine."'
    title, description = checklist_texts(text, True, note, 80)
    assert len(title) <= 80 - 6 and title.endswith("…  (check?)")
    lines = description.split("\n")
    assert all(len(line) <= 80 - 15 or line.startswith(" " * 15) for line in lines)
    assert all(len(line) <= 80 for line in lines)
    # the whole text is under the list when the line had to cut it, then the evidence
    assert " ".join(line.strip() for line in lines).startswith(text)
    assert "5k TPS peak" in description
    # a line that fits is whole, and the text is not repeated under the list
    short_title, short_description = checklist_texts("Defines the fraud label", False, "why it matters: x", 80)
    assert short_title == "Defines the fraud label" and short_description == "why it matters: x"


def run_list(keys: str, at: str | None = None):  # type: ignore[no-untyped-def]
    b = bank.load()
    result = score(parse_markdown("## Clarify\nWe are the issuer. p99 under 100 ms.\n"), b.rubric_for("fraud-detection"))
    rows = [r for r in result.items if r.item.stage == "clarify"]
    ticked = {r.item.id for r in rows if r.hit}
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = TerminalPrompter(pipe, DummyOutput(), Console(file=io.StringIO(), width=100))
        return rows, ticked, prompter.self_score_list("clarify", 1, 5, rows, ticked, lambda picked, at: None, at)


def test_a_self_scoring_list_returns_the_ticks_when_confirmed() -> None:
    rows, ticked, out = run_list(" \r")  # Space flips the first line, Enter confirms
    assert out.how == "done"
    assert out.picked == ticked ^ {rows[0].item.id}


def test_a_confirmed_list_title_stays_on_one_line() -> None:
    from mlsd_drill.prompts import self_score_title

    assert self_score_title(1, 5, "clarify", 9, 100) == "Self-score 1/5 · Clarify requirements and scale"
    narrow = self_score_title(1, 5, "clarify", 9, 50)
    assert narrow == "Self-score 1/5 · Clarify"
    assert len(f"? {narrow}  done (9 selections)") <= 50


def test_a_and_i_do_not_tick_or_untick_the_whole_list() -> None:
    rows, ticked, out = run_list("ai \r")  # questionary's "all" and "invert", then Space on the first
    assert out.picked == ticked ^ {rows[0].item.id}


def test_ctrl_c_in_a_self_scoring_list_keeps_the_ticks_made_so_far() -> None:
    rows, ticked, out = run_list("\x1b[B \x03")  # down, Space flips the second line, Ctrl-C
    assert out.how == "interrupt"
    assert out.picked == ticked ^ {rows[1].item.id}
    assert out.at == rows[1].item.id, "the list says where its pointer was left"


def test_a_self_scoring_list_opens_where_it_was_left() -> None:
    rows, ticked, out = run_list(" \r", at=rows_of_clarify()[2])  # Space flips the line pointed at
    assert out.picked == ticked ^ {rows[2].item.id}
    assert out.at == rows[2].item.id
    _, _, unknown = run_list(" \r", at="no-such-item")  # an item no longer in the list: the top
    assert unknown.picked == ticked ^ {rows[0].item.id}


def rows_of_clarify() -> list[str]:
    rows, _, _ = run_list("\r")
    return [r.item.id for r in rows]


def test_the_case_study_fits_above_the_first_box_on_a_24_row_screen() -> None:
    from mlsd_drill.session import new_state

    q = bank.load().questions["fraud-detection"]
    state = new_state(q, [q.bank], minutes=10)

    def intro(height: int) -> list[str]:
        out = io.StringIO()
        TerminalPrompter(console=Console(file=out, width=80, height=height)).intro(q, state)
        return out.getvalue().splitlines()

    short = intro(24)
    assert q.title in short[0], "the case's title is on screen, not scrolled away"
    assert len(short) + 6 <= 24, "room for the stage's question, the box and the toolbar below"
    assert "Ctrl-Q twice shows the case again" in " ".join(short)
    tall = intro(60)  # room enough: the airy box and every key explained
    assert len(tall) > len(short) and "Ctrl-E opens your $EDITOR" in " ".join(tall)


def test_a_resumed_drill_says_what_was_answered_before() -> None:
    from mlsd_drill.session import new_state

    q = bank.load().questions["fraud-detection"]
    state = new_state(q, [q.bank])
    state.stages[0].text, state.stages[0].done = "We are the issuer.", True
    out = io.StringIO()
    TerminalPrompter(console=Console(file=out, width=120)).intro(q, state)
    assert "Answered before: clarify requirements and scale (4 words)." in out.getvalue()
    fresh = io.StringIO()
    TerminalPrompter(console=Console(file=fresh, width=120)).intro(q, new_state(q, [q.bank]))
    assert "Answered before" not in fresh.getvalue()


def wrapped(text: str, width: int):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from prompt_toolkit.formatted_text import fragment_list_to_text

    from mlsd_drill.prompts import word_wrap_processor

    # a window `width` columns wide, two of them taken by the prompt on every line
    t = word_wrap_processor().apply_transformation(SimpleNamespace(width=width + 2, fragments=[("", text)]))
    shown = fragment_list_to_text(t.fragments)
    return [shown[i : i + width] for i in range(0, len(shown), width)], t


def test_long_lines_wrap_between_words_not_inside_them() -> None:
    lines, t = wrapped("labels are delayed by chargebacks for weeks", 20)
    assert [line.rstrip() for line in lines] == ["labels are delayed", "by chargebacks for", "weeks"]
    # the text itself is unchanged: the cursor maps across the padding both ways
    assert t.source_to_display(19) == 20  # "by" starts the second line
    assert t.display_to_source(20) == 19 and t.display_to_source(18) == 18
    assert t.display_to_source(19) == 19  # the padding belongs to the word it moves down
    # a word longer than the line still wraps inside itself; a short line is left alone
    assert wrapped("a " + "x" * 30, 20)[0] == ["a " + "x" * 18, "x" * 12]
    assert wrapped("short line", 20)[0] == ["short line"]
    # a word that would fill a row exactly moves down with it, so the next row starts at its
    # left edge rather than with the space after it; at the end of the text it may fill the row
    assert [line.rstrip() for line in wrapped("labels are delayed by chargebacks", 21)[0]] == [
        "labels are delayed",
        "by chargebacks",
    ]
    assert [line.rstrip() for line in wrapped("pipeline 2 day delays", 10)[0]] == ["pipeline", "2 day", "delays"]
    assert wrapped("abcdefgh abcd efghi", 10)[0] == ["abcdefgh  ", "abcd efghi"]


def test_a_number_key_answers_the_rating_at_once() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("2")  # no Enter
        prompter = TerminalPrompter(pipe, DummyOutput(), Console(file=io.StringIO(), width=100))
        assert prompter.rating(suggested=4) == 2


def test_a_pasted_tab_is_kept_in_the_answer() -> None:
    out = run_box("\x1b[200~feature\tvalue\x1b[201~\x1b\r", view(), FakeClock())  # a bracketed paste
    assert out.text == "feature\tvalue"


def test_an_editor_that_is_not_installed_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mlsd_drill.prompts import missing_editor

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "code --wait")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert missing_editor() == (
        "$EDITOR is 'code --wait', which is not installed here: set EDITOR to an editor you have "
        "(or keep typing here)."
    )
    monkeypatch.setenv("EDITOR", "/bin/sh")
    assert missing_editor() is None


def test_up_and_down_move_one_row_of_a_wrapped_paragraph() -> None:
    """A long paragraph wraps over several rows: Up goes to the row above, keeping the
    column, where prompt_toolkit alone would jump to the line (paragraph) before."""
    from mlsd_drill.prompts import row_move

    text = " ".join(f"w{i:03d}" for i in range(40))  # 15 words a row in the 78 columns of an 80-wide box
    up = run_box(text + "\x1b[AX\x1b\r", view(), FakeClock())
    assert "w024X w025" in up.text  # the row above, 49 columns in, as the cursor was
    back = run_box(text + "\x1b[A\x1b[BX\x1b\r", view(), FakeClock())
    assert back.text == text + "X"
    two = run_box("first paragraph\n" + text + "\x1b[A\x1b[AX\x1b\r", view(), FakeClock())
    assert "w009X w010" in two.text  # still in the paragraph, its first row
    three = run_box("first paragraph\n" + text + "\x1b[A\x1b[A\x1b[AX\x1b\r", view(), FakeClock())
    assert three.text.startswith("first paragraphX\n")  # then the line above, at its end
    # the same reading where rows end in padding: past a row's text is its last character
    line = "labels are delayed by chargebacks for weeks"  # rows of 20: "labels are delayed ", ...
    assert row_move([line], 0, 38, -1, 20) == (0, 19)  # "weeks" -> "by"
    assert row_move([line], 0, 37, -1, 20) == (0, 18)  # row end -> row end (the space)
    assert row_move([line], 0, 3, -1, 20) is None  # the first row: nowhere above
    assert row_move(["a\tb " * 30], 0, 50, -1, 20) is None  # tabs: whole lines, as before


def test_home_and_end_go_to_the_row_then_to_the_paragraph() -> None:
    from mlsd_drill.prompts import row_bounds

    text = " ".join(f"w{i:03d}" for i in range(40))  # rows of 15 words, 78 columns
    home = run_box(text + "\x1b[HX\x1b\r", view(), FakeClock())
    assert "w029 Xw030" in home.text  # the last row's start, not the paragraph's
    twice = run_box(text + "\x1b[H\x1b[HX\x1b\r", view(), FakeClock())
    assert twice.text == "X" + text
    end = run_box(text + "\x1b[H\x1b[A\x1b[FX\x1b\r", view(), FakeClock())
    assert "w029X w030" in end.text  # the end of the row above (before the space that wraps)
    assert row_bounds("labels are delayed by chargebacks for weeks", 25, 20) == (19, 37)
    assert row_bounds("a\tb", 1, 20) == (0, 3)  # a tab: the whole line, as before
