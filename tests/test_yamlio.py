"""The fast YAML path must agree with PyYAML or step aside."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlsd_drill import yamlio

pytest.importorskip("yaml_rs")


def test_bundled_bank_reads_the_same_both_ways(bundled: Path) -> None:
    fast_used = 0
    for p in sorted((bundled / "questions").glob("*.yaml")) + sorted((bundled / "rubrics").glob("*.yaml")):
        text = p.read_text()
        doc = yamlio.loads_fast(text, p)
        if doc is not None:
            fast_used += 1
            assert doc.value == yaml.safe_load(text), p
    assert fast_used >= 10  # the fast path is really taken for ordinary files


@pytest.mark.parametrize(
    "text",
    [
        "x: yes\n",  # YAML 1.1 boolean
        "x: [on, off]\n",
        "x: 1:30\n",  # sexagesimal
        "x: 010\n",  # 1.1 octal
        "x: 2026-01-01\n",  # date
        "x: 1e3\n",  # float in 1.2, string in 1.1
        "x: !!python/object/apply:os.system ['echo']\n",  # a tag
        "a: &a [1]\nb: *a\n",  # anchors and aliases
        "a: {x: 1}\nb:\n  <<: {y: 2}\n",  # merge key
        "%YAML 1.1\n---\nx: 1\n",
        "a: 1\n---\nb: 2\n",  # two documents
        "a: 1\na: 2\n",  # duplicate key
        "a: [unclosed\n",
    ],
)
def test_fast_path_steps_aside(text: str, tmp_path: Path) -> None:
    assert yamlio.loads_fast(text, tmp_path / "x.yaml") is None


def test_fast_document_finds_lines_when_asked(tmp_path: Path) -> None:
    text = "id: q\ntitle: t\nitems:\n  - id: a\n    stage: data\n"
    doc = yamlio.loads_fast(text, tmp_path / "x.yaml")
    assert doc is not None and doc.fast
    assert doc.key_line("items") == 3
    assert doc.line(("items", 0, "stage")) == 5


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("id: x\nitems:\n  - id: a\n    stage: data\n   text: hello\n", "usually the indentation"),
        ("id: x\nprompt: Design this: a thing\n", "put the text in quotes"),
        ("id: x\nitems:\n\t- id: a\n", "a tab on that line: YAML indents with spaces only"),
    ],
)
def test_a_yaml_mistake_is_named_in_plain_words(text: str, says: str, tmp_path: Path) -> None:
    p = tmp_path / "q.yaml"
    p.write_text(text)
    with pytest.raises(yamlio.BankError) as e:
        yamlio.load(p)
    assert f"{p}:" in str(e.value) and says in str(e.value)
