"""Bank loading and validation: what a bank author relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlsd_drill import bank
from mlsd_drill.cli import app
from mlsd_drill.errors import BankError
from mlsd_drill.model import STAGES

runner = CliRunner()


def test_bundled_bank_validates(bundled: Path) -> None:
    n, problems, _ = bank.validate([bundled])
    assert problems == []
    assert n >= 7  # three questions, their rubrics, common.yaml


def test_bundled_bank_matches_json_schema(bundled: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from mlsd_drill.schema import question_schema, rubric_schema

    for p in sorted((bundled / "questions").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(p.read_text()), question_schema())
    for p in sorted((bundled / "rubrics").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(p.read_text()), rubric_schema())
    # a question file may hold its rubric: as a list of items, or as a rubric file has it
    q = yaml.safe_load((bundled / "questions" / "fraud-detection.yaml").read_text())
    r = yaml.safe_load((bundled / "rubrics" / "fraud-detection.yaml").read_text())
    jsonschema.validate({**q, "rubric": r["items"]}, question_schema())
    jsonschema.validate({**q, "rubric": r}, question_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**q, "rubric": {"items": r["items"], "colour": "blue"}}, question_schema())
    # a rubric file may be its items alone
    jsonschema.validate(r["items"], rubric_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"question": "x"}, rubric_schema())


def test_mini_bank_loads_with_defaults(mini_bank: Path) -> None:
    b = bank.load([mini_bank])
    q = b.questions["toy-ranker"]
    assert [s.name for s in q.stages] == list(STAGES)
    assert q.stage("model").minutes == 3
    assert q.stage("data").minutes == 10
    assert q.total_minutes == 33
    assert b.rubric_for("toy-ranker").items[1].level == "senior"
    assert b.rubric_for("toy-ranker").items[0].signals == (("ndcg",), ("discounted", "gain"))


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_validate_reports_every_problem_with_file_and_line(mini_bank: Path) -> None:
    _write(
        mini_bank,
        "questions/broken-one.yaml",
        "id: broken-one\n"
        "title: T\n"
        "prompt: P\n"
        "tags: [x]\n"
        "difficulty: extreme\n"  # line 5
        "colour: blue\n"  # line 6: unknown key
        "stages:\n"
        "  shipping: {minutes: 3}\n"  # line 8: unknown stage
        "followups:\n"
        "  - {stage: launch, ask: why}\n",  # line 10: unknown stage
    )
    _write(
        mini_bank,
        "rubrics/nobody.yaml",
        "question: nobody\nitems:\n  - {id: a, stage: data, text: t, why: w, signals: []}\n",
    )
    _write(
        mini_bank,
        "rubrics/toy-ranker.yaml",
        "question: toy-ranker\n"
        "items:\n"
        "  - id: one\n    stage: model\n    text: t\n    why: w\n    signals: [[]]\n"  # empty signal, line 7
        "  - id: one\n    stage: model\n    text: t\n    why: w\n    weight: 5\n    signals: [x]\n",
    )
    result = runner.invoke(app, ["bank", "validate", str(mini_bank)])
    assert result.exit_code == 1
    out = result.stdout
    q = mini_bank / "questions" / "broken-one.yaml"
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    assert f"{q}:5: difficulty 'extreme'" in out
    assert f"{q}:6: unknown key 'colour'" in out
    assert f"{q}:8: unknown key 'shipping' in stages" in out
    assert f"{q}:10: unknown stage 'launch'" in out
    assert "nobody.yaml:1: rubric for question 'nobody'" in out
    assert f"{r}:7: empty signal" in out
    assert f"{r}:8: duplicate item id 'one'" in out
    assert f"{r}:12: weight must be 1, 2 or 3" in out
    assert "Traceback" not in out + (result.stderr or "")


def test_a_bank_in_another_style_reads_as_meant(mini_bank: Path) -> None:
    """Authors write "Medium", "Serving:", "Senior", weight: "3" or one signal without a
    list; what they plainly meant is read, not refused."""
    _write(
        mini_bank,
        "questions/churn.yml",
        "\ufeffid: churn\r\ntitle: Churn\r\nprompt: P\r\ntags: [Tabular]\r\ndifficulty: Medium\r\n"
        "stages:\r\n  Serving: {minutes: '8'}\r\n  monitoring: {hints: [h]}\r\n"
        "followups:\r\n  - {stage: Modeling, ask: why?}\r\n"
        "reference:\r\n  Data: notes\r\n",
    )
    _write(
        mini_bank,
        "rubrics/churn.yml",
        "question: churn\nitems:\n"
        "  - {id: window, stage: Data, text: t, why: w, weight: '3', level: Senior, signals: churn window}\n",
    )
    assert bank.validate([mini_bank]).problems == []
    b = bank.load([mini_bank])
    q = b.questions["churn"]
    assert q.difficulty == "medium"
    assert q.stage("serve").minutes == 8 and q.stage("monitor").hints == ("h",)
    assert q.followups[0].stage == "model" and "data" in q.reference
    it = b.rubric_for("churn").items[0]
    assert (it.stage, it.weight, it.level, it.signals) == ("data", 3, "senior", (("churn window",),))
    # stage names of several words, as interview frameworks name them
    _write(
        mini_bank,
        "questions/churn.yml",
        "id: churn\ntitle: C\nprompt: P\ntags: []\ndifficulty: easy\n"
        "stages:\n  Model Training: {minutes: 12}\n  Problem Framing: {minutes: 4}\n"
        "followups:\n  - {stage: Model Serving, ask: how fast?}\n",
    )
    _write(
        mini_bank,
        "rubrics/churn.yml",
        "question: churn\nitems:\n  - {id: window, stage: Feature Engineering, text: t, why: w, signals: x}\n",
    )
    assert bank.validate([mini_bank]).problems == []
    b = bank.load([mini_bank])
    q = b.questions["churn"]
    assert q.stage("model").minutes == 12 and q.stage("clarify").minutes == 4
    assert q.followups[0].stage == "serve" and b.rubric_for("churn").items[0].stage == "data"
    # a name joining two stages, or only a broad one, is refused with the stages named
    _write(
        mini_bank,
        "rubrics/churn.yml",
        "question: churn\nitems:\n  - {id: a, stage: Serving & Monitoring, text: t, why: w, signals: x}\n"
        "  - {id: b, stage: Metrics, text: t, why: w, signals: x}\n",
    )
    problems = bank.validate([mini_bank]).problems
    assert any("unknown stage 'Serving & Monitoring'; stages are clarify, data" in p for p in problems)
    assert any("unknown stage 'Metrics'" in p for p in problems)
    # a key another tool uses for one of the format's own ("keywords", "Signals") is read as it
    _write(
        mini_bank,
        "rubrics/churn.yml",
        "question: churn\ncriteria:\n  - {ID: a, stage: data, description: t, rationale: w, keywords: [churn window]}\n",
    )
    v = bank.validate([mini_bank])
    assert v.problems == []
    # ... and the author is told how (a key in capitals is plainly the same key: not named)
    assert [n for n in v.notes if "churn.yml" in n] == [
        f"{mini_bank}/rubrics/churn.yml: read 'criteria' as 'items', 'description' as 'text', "
        "'keywords' as 'signals', 'rationale' as 'why'"
    ]
    it = bank.load([mini_bank]).rubric_for("churn").items[0]
    assert (it.id, it.text, it.why, it.signals) == ("a", "t", "w", (("churn window",),))
    # ... and a problem in it is still reported at its own line
    _write(mini_bank, "rubrics/churn.yml", "question: churn\nitems:\n  - id: a\n    stage: data\n    text: t\n"
           "    why: w\n    keywords: []\n")
    assert any("churn.yml:7: 'signals' must be" in p for p in bank.validate([mini_bank]).problems)
    # ... unless the format's own key is there too: then it is named, not guessed at
    _write(mini_bank, "rubrics/churn.yml", "question: churn\nitems:\n"
           "  - {id: a, stage: data, text: t, why: w, signals: [x], keywords: [y]}\n")
    problems = bank.validate([mini_bank]).problems
    assert any("unknown key 'keywords' in a rubric item (did you mean 'signals'?)" in p for p in problems)
    # ... but a clash is still a problem, not a guess
    _write(mini_bank, "questions/churn.yml", "id: churn\ntitle: C\nprompt: P\ntags: []\ndifficulty: easy\n"
           "stages:\n  serve: {minutes: 3}\n  serving: {minutes: 8}\n")
    assert any("unknown key 'serving'" in p for p in bank.validate([mini_bank]).problems)


_INLINE = (
    "id: churn\ntitle: Design churn prediction\nprompt: Predict who cancels.\ntags: [tabular]\ndifficulty: medium\n"
    "rubric:\n"
    "  - id: window\n    stage: Requirements\n    text: Defines the churn window\n"
    "    keywords: [churn window, cancel within <number> days]\n    why: The label depends on it.\n"
    "  - id: leakage\n    stage: Feature Engineering\n    text: Avoids leakage\n"
    "    signals: [leakage, point in time]\n    why: Offline metrics lie otherwise.\n"
)


def test_a_rubric_written_in_its_question_file(mini_bank: Path) -> None:
    """One file per case study, its rubric inside it: a style many banks are written in."""
    _write(mini_bank, "questions/churn.yaml", _INLINE)
    v = bank.validate([mini_bank])
    # its rubric is its own: no note that it is scored on common items only
    assert v.problems == [] and [n for n in v.notes if "churn" in n] == [
        f"{mini_bank}/questions/churn.yaml: read 'keywords' as 'signals'"
    ]
    rubric = bank.load([mini_bank]).rubric_for("churn")
    assert [(it.id, it.stage) for it in rubric.items] == [("window", "clarify"), ("leakage", "data")]
    answer = "## Clarify\nChurn = no renewal, cancel within 30 days.\n## Data\nNo post-cancel features: leakage.\n"
    (mini_bank / "a.md").write_text(answer)
    result = runner.invoke(app, ["score", "--bank", str(mini_bank), "churn", str(mini_bank / "a.md"), "--json"])
    assert result.exit_code == 0, result.output
    assert {i["id"]: i["hit"] for i in json.loads(result.stdout)["items"]} == {"window": True, "leakage": True}
    # ... or as a rubric file has it, under `items:`
    _write(mini_bank, "questions/churn.yaml", _INLINE.replace("rubric:\n", "rubric:\n question: churn\n items:\n"))
    assert bank.validate([mini_bank]).problems == []
    assert len(bank.load([mini_bank]).rubric_for("churn").items) == 2


def test_a_folder_of_question_files_is_a_bank(tmp_path: Path) -> None:
    """One file per case study, rubric inside, all in one folder: no questions/ needed.
    Items written without ids get theirs from their text."""
    folder = tmp_path / "my-cases"
    _write(folder, "churn.yaml", _INLINE.replace("  - id: window\n", "  - ID: window\n").replace("  - id: leakage\n    stage", "  - stage"))
    _write(folder, "notes.txt", "not a bank file")
    _write(folder, "drafts/old.yaml", "anything: at all\n")  # a folder of one's own is passed over
    v = bank.validate([folder])
    assert v.problems == [] and v.files == 1
    rubric = bank.load([folder]).rubric_for("churn")
    assert [it.id for it in rubric.items] == ["window", "avoids-leakage"]
    result = runner.invoke(app, ["list", "--bank", str(folder)])
    assert result.exit_code == 0 and "churn" in result.stdout
    # ids made from the text never clash, with each other or with one written out
    _write(folder, "churn.yaml", _INLINE.replace("  - id: window\n", "  - id: avoids-leakage\n").replace(
        "  - id: leakage\n    stage", "  - stage") + "  - {stage: data, text: Avoids leakage, why: w, signals: [x]}\n")
    assert [it.id for it in bank.load([folder]).rubric_for("churn").items] == [
        "avoids-leakage", "avoids-leakage-2", "avoids-leakage-3"
    ]
    # the id may be left out (it is the file's name), and so may the tags
    _write(folder, "eta.yaml", "title: ETA\nprompt: P\ndifficulty: easy\nrubric:\n  - {stage: serve, text: t, why: w, signals: [p99]}\n")
    _write(folder, "My Notes.yaml", "title: N\nprompt: P\ndifficulty: easy\n")
    b = bank.load([folder])
    assert b.questions["eta"].tags == () and b.rubric_for("eta").items[0].id == "t"
    assert any("My Notes.yaml:1: missing 'id': add one, or name the file as one" in p for p in bank.validate([folder]).problems)
    # a folder with neither question files nor questions/ is still no bank
    (tmp_path / "empty").mkdir()
    with pytest.raises(BankError, match="not a bank"):
        bank.validate([tmp_path / "empty"])


def test_values_written_as_words_and_lists_written_as_lines(tmp_path: Path) -> None:
    """What authors who never read the format write: weights as words, levels as a
    company's ladder, keywords and tags as one comma-separated line, their own key names."""
    folder = tmp_path / "cases"
    _write(
        folder,
        "spam.yaml",
        "id: spam\ntitle: Spam filtering\nscenario: Keep spam out of inboxes.\ntopics: nlp, adversarial\n"
        "difficulty: Advanced\nrubric:\n"
        "  - phase: Requirements\n    idea: Names the asymmetric cost of errors\n    importance: High\n"
        "    seniority: L5\n    look_for: 'asymmetric errors, legit mail in spam, 1,000 qps'\n"
        "    why_it_matters: A lost legitimate email costs far more than a spam let through.\n"
        "  - phase: monitoring\n    check: Retrains often\n    importance: low\n    seniority: Junior\n"
        "    keyword: retrain daily\n    reason: Spammers adapt within hours.\n",
    )
    assert bank.validate([folder]).problems == []
    b = bank.load([folder])
    q = b.questions["spam"]
    assert (q.prompt, q.tags, q.difficulty) == ("Keep spam out of inboxes.", ("nlp", "adversarial"), "hard")
    first, second = b.rubric_for("spam").items
    assert (first.stage, first.weight, first.level) == ("clarify", 3, "senior")
    assert first.signals == (("asymmetric errors",), ("legit mail in spam",), ("1,000 qps",))
    assert (second.id, second.stage, second.weight, second.level) == ("retrains-often", "monitor", 1, "mid")
    # a word that names no weight is still refused, by name
    (folder / "spam.yaml").write_text((folder / "spam.yaml").read_text().replace("importance: low", "importance: huge"))
    assert any("weight must be 1, 2 or 3, not 'huge'" in p for p in bank.validate([folder]).problems)


def test_a_rubric_file_may_be_its_list_of_items_alone(mini_bank: Path) -> None:
    """`question:` may be left out of a rubric file (it is the file's name), and the file
    may hold the list of items and nothing else."""
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    items = r.read_text().split("items:\n", 1)[1]
    r.write_text(items.replace("\n  ", "\n").lstrip())  # the list, at the top level
    assert bank.validate([mini_bank]).problems == []
    assert [it.id for it in bank.load([mini_bank]).rubric_for("toy-ranker").items] == ["ndcg", "pairwise"]
    # ... and its problems still carry their lines, also those found once common.yaml is read
    _write(mini_bank, "rubrics/common.yaml", 'question: "*"\nitems:\n  - {id: c-m, stage: model, text: t, why: w, signals: [x]}\n')
    r.write_text(r.read_text().replace("- id: pairwise\n", "- id: pairwise\n  replaces: c-n\n"))
    problems = bank.validate([mini_bank]).problems
    assert any("toy-ranker.yaml:8: 'pairwise' replaces 'c-n'" in p for p in problems), problems
    # a rubric file named after no question of the bank is named, as before
    _write(mini_bank, "rubrics/nobody.yaml", "items:\n  - {id: a, stage: data, text: t, why: w, signals: [x]}\n")
    assert any("nobody.yaml:1: rubric for question 'nobody', which is not in this bank" in p for p in bank.validate([mini_bank]).problems)


def test_a_rubric_grouped_under_stage_names(mini_bank: Path) -> None:
    """Items listed under the stage they belong to ("Data & features:"), in a rubric file
    or in a question file: each item takes its stage from its heading."""
    _write(
        mini_bank,
        "rubrics/toy-ranker.yaml",
        "Clarify (requirements & scale):\n"
        "  - {id: goal, text: Names the goal, why: w, signals: [purchases per search]}\n"
        "Model & metrics:\n"
        "  - {id: ndcg, text: Names NDCG, why: w, signals: [ndcg]}\n"
        "  - {id: own, stage: serve, text: Its own stage, why: w, signals: [canary]}\n"
        "  - {id: section, section: monitor, text: Its own in another word, why: w, signals: [drift]}\n",
    )
    assert bank.validate([mini_bank]).problems == []
    items = bank.load([mini_bank]).rubric_for("toy-ranker").items
    assert [(it.id, it.stage) for it in items] == [
        ("goal", "clarify"), ("ndcg", "model"), ("own", "serve"), ("section", "monitor")
    ]
    # a problem in a grouped item is reported at its own line
    (mini_bank / "rubrics/toy-ranker.yaml").write_text(
        "Data & features:\n  - id: a\n    text: t\n    why: w\n    signals: []\n"
    )
    assert any("toy-ranker.yaml:5: 'signals' must be a non-empty list" in p for p in bank.validate([mini_bank]).problems)
    # ... and in a question file
    inline = _INLINE.split("rubric:\n")[0] + (
        "rubric:\n  Serving:\n    - {text: Sets a latency budget, why: w, signals: [p99]}\n"
        "  Monitoring:\n    - {text: Watches drift, why: w, signals: [drift]}\n"
    )
    _write(mini_bank, "questions/churn.yaml", inline)
    (mini_bank / "rubrics/toy-ranker.yaml").unlink()
    _write(mini_bank, "rubrics/common.yaml", 'question: "*"\nitems:\n  - {id: c, stage: model, text: t, why: w, signals: [x]}\n')
    assert bank.validate([mini_bank]).problems == []
    got = bank.load([mini_bank]).rubric_for("churn").items  # (and the common item after them)
    assert [(it.id, it.stage) for it in got] == [("sets-a-latency-budget", "serve"), ("watches-drift", "monitor"), ("c", "model")]


def test_a_rubric_in_the_question_file_is_checked_as_a_rubric_file_is(mini_bank: Path) -> None:
    # a problem in it is reported at its line, and the file (one unit) is skipped in use
    _write(mini_bank, "questions/churn.yaml", _INLINE.replace("    why: Offline metrics lie otherwise.\n", ""))
    assert any("churn.yaml:12: rubric item is missing 'why'" in p for p in bank.validate([mini_bank]).problems)
    b = bank.load([mini_bank])
    assert "churn" not in b.questions and any("churn.yaml:12" in w for w in b.warnings)
    # two rubrics for one question: the second is named
    _write(mini_bank, "questions/churn.yaml", _INLINE)
    _write(mini_bank, "rubrics/churn.yaml", "question: churn\nitems:\n  - {id: a, stage: data, text: t, why: w, signals: x}\n")
    problems = bank.validate([mini_bank]).problems
    assert any("rubrics/churn.yaml:1: question 'churn' has its rubric in" in p and "questions/churn.yaml already" in p for p in problems)
    (mini_bank / "rubrics/churn.yaml").unlink()
    # its items meet the bank's common.yaml as a rubric file's do
    _write(mini_bank, "rubrics/common.yaml", 'question: "*"\nitems:\n  - {id: leakage, stage: data, text: t, why: w, signals: [x]}\n'
           "  - {id: c-base, stage: model, text: t, why: w, signals: [baseline]}\n")
    assert any("churn.yaml:12: item id 'leakage' is also in common.yaml" in p for p in bank.validate([mini_bank]).problems)
    _write(mini_bank, "questions/churn.yaml", _INLINE.replace("id: leakage", "id: leaks").replace("  - id: window\n", "  - id: window\n    replaces: c-bse\n"))
    problems = bank.validate([mini_bank]).problems
    assert any("churn.yaml:8: 'window' replaces 'c-bse', which is not an item of common.yaml (did you mean 'c-base'?)" in p for p in problems), problems
    # `mlsd list` reads it too (question files are cached: an edit is seen at once)
    result = runner.invoke(app, ["list", "--bank", str(mini_bank)])
    assert "churn" in result.stdout


def test_duplicate_question_ids_across_banks(mini_bank: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    _write(other, "questions/toy-ranker.yaml", (mini_bank / "questions/toy-ranker.yaml").read_text())
    problems = bank.validate([mini_bank, other]).problems
    assert any("duplicate question id 'toy-ranker'" in p and str(other) in p for p in problems)


def test_id_must_match_file_name_and_be_a_slug(mini_bank: Path) -> None:
    _write(
        mini_bank,
        "questions/good-name.yaml",
        "id: Bad_Name\ntitle: t\nprompt: p\ntags: []\ndifficulty: easy\n",
    )
    problems = bank.validate([mini_bank]).problems
    assert any("good-name.yaml:1: id 'Bad_Name' must be a lower-case slug" in p for p in problems)


def test_control_characters_and_escapes_are_rejected(mini_bank: Path) -> None:
    _write(
        mini_bank,
        "questions/evil.yaml",
        'id: evil\ntitle: "Evil \\e[31mred"\nprompt: p\ntags: []\ndifficulty: easy\n',
    )
    problems = bank.validate([mini_bank]).problems
    assert any("evil.yaml:2: 'title' contains a control character" in p for p in problems)


def test_broken_file_is_skipped_with_one_warning(mini_bank: Path) -> None:
    _write(mini_bank, "questions/zz-bad.yaml", "id: [unclosed\n")
    result = runner.invoke(app, ["list", "--bank", str(mini_bank)])
    assert result.exit_code == 0
    assert "toy-ranker" in result.stdout
    warnings = [ln for ln in result.stderr.splitlines() if "warning" in ln]
    assert len(warnings) == 1 and "zz-bad.yaml" in warnings[0]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    p = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    from mlsd_drill import yamlio

    with pytest.raises(BankError, match="alias expansion"):
        yamlio.load(p)


def test_big_and_binary_files_are_refused(tmp_path: Path) -> None:
    from mlsd_drill import yamlio

    big = _write(tmp_path, "big.yaml", "x: " + "y" * (1024 * 1024 + 10) + "\n")
    with pytest.raises(BankError, match="1 MiB"):
        yamlio.load(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"id: \x00\x01")
    with pytest.raises(BankError, match="binary"):
        yamlio.load(binary)


def test_unsafe_yaml_tags_are_not_executed(tmp_path: Path) -> None:
    from mlsd_drill import yamlio

    p = _write(tmp_path, "evil.yaml", "x: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(BankError, match=r"evil\.yaml:1"):
        yamlio.load(p)


def test_bank_option_uses_only_named_banks(mini_bank: Path) -> None:
    result = runner.invoke(app, ["list", "--bank", str(mini_bank), "--json"])
    assert result.exit_code == 0
    assert [q["id"] for q in json.loads(result.stdout)] == ["toy-ranker"]


def test_env_bank_path_and_user_bank_are_added(
    mini_bank: Path, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MLSD_BANKS", str(mini_bank))
    user = home / "bank"
    _write(user, "questions/my-own.yaml", "id: my-own\ntitle: Mine\nprompt: p\ntags: [x]\ndifficulty: hard\n")
    result = runner.invoke(app, ["list", "--json"])
    ids = {q["id"] for q in json.loads(result.stdout)}
    assert {"toy-ranker", "my-own", "ad-click-prediction"} <= ids


def test_missing_bank_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--bank", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such bank folder" in result.stderr


def test_schema_command_prints_both_schemas() -> None:
    result = runner.invoke(app, ["bank", "schema"])
    data = json.loads(result.stdout)
    assert set(data) == {"question", "rubric"}
    assert data["question"]["additionalProperties"] is False
    assert "signals" in data["rubric"]["anyOf"][0]["properties"]["items"]["items"]["properties"]


def test_generated_thousand_question_bank_loads(tmp_path: Path) -> None:
    from benchmarks.gen_bank import generate

    root = generate(tmp_path / "big", 1000)
    b = bank.load([root])
    assert len(b.questions) == 1000 and not b.warnings


def test_a_clean_bank_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are only wanted for problems: a bank without any is never parsed a second
    time by PyYAML to find them (which made loading four times slower)."""
    pytest.importorskip("yaml_rs")
    from benchmarks.gen_bank import generate
    from mlsd_drill import yamlio

    root = generate(tmp_path / "gen", 20)
    _write(root, "rubrics/common.yaml", 'question: "*"\nitems:\n  - {id: c-base, stage: model, text: t, why: w, signals: [baseline]}\n')
    r = root / "rubrics" / "gen-question-00003.yaml"
    r.write_text(r.read_text().replace("items:\n  - id: ", "items:\n  - replaces: c-base\n    id: ", 1))
    parsed: list[Path] = []
    real = yamlio.loads
    monkeypatch.setattr(yamlio, "loads", lambda text, file, *a, **k: parsed.append(file) or real(text, file, *a, **k))
    _write(root, "questions/churn.yaml", _INLINE.replace("  - id: window\n", "  - id: window\n    replaces: c-base\n"))
    v = bank.validate([root])
    assert v.problems == [] and parsed == []
    assert bank.load([root]).rubric_for("churn").replaced == ("c-base",)
    assert bank.load([root]).rubric_for("gen-question-00003").replaced == ("c-base",)
    # ... and a problem still gets its line
    (root / "questions/churn.yaml").unlink()
    r.write_text(r.read_text().replace("replaces: c-base", "replaces: c-bsae"))
    assert any("gen-question-00003.yaml:3: 'item-clarify-0'" in p and "replaces 'c-bsae'" in p for p in bank.validate([root]).problems)


def test_empty_alternative_is_a_problem(mini_bank: Path) -> None:
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(r.read_text().replace("signals: [pairwise loss, bpr]", 'signals: [["pairwise|", bpr]]'))
    problems = bank.validate([mini_bank]).problems
    assert any("empty signal or alternative" in p for p in problems)


def test_a_signal_of_small_words_only_is_a_problem(mini_bank: Path) -> None:
    """Matching ignores small words, so "by" alone (or "in the") would never match anything;
    "as of" is read as one word, a point in time, and matches."""
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(r.read_text().replace("signals: [pairwise loss, bpr]", "signals: [[blurred, by, hand], 'loss|in the', 'as of']"))
    problems = bank.validate([mini_bank]).problems
    assert any("toy-ranker.yaml:13: signal 'by' has only small words" in p for p in problems), problems
    assert any("signal 'in the' has only small words" in p for p in problems)
    assert not any("'as of'" in p for p in problems)


def test_a_figure_glued_to_letters_is_a_problem(mini_bank: Path) -> None:
    """'<number>th percentile' never matches "90th percentile": "90th" is no figure."""
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(
        r.read_text().replace("signals: [pairwise loss, bpr]", "signals: ['<number>th percentile', '<number> qps']")
    )
    problems = bank.validate([mini_bank]).problems
    assert len(problems) == 1 and "'<number>' must stand alone as a word, not '<number>th'" in problems[0], problems


def test_numbers_in_signals_and_ids_must_be_quoted(mini_bank: Path) -> None:
    """YAML rewrites bare numbers (010 is 8, 1:1 is 61): the author is told to quote them."""
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(r.read_text().replace("signals: [pairwise loss, bpr]", "signals: [pairwise loss, 1:1, '0.10']"))
    _write(mini_bank, "questions/2024.yaml", "id: 2024\ntitle: t\nprompt: p\ntags: []\ndifficulty: easy\n")
    problems = bank.validate([mini_bank]).problems
    assert any("toy-ranker.yaml:13: signal 61 was read as a number: put it in quotes" in p for p in problems)
    assert not any("0.1" in p for p in problems)  # quoted, so kept as written
    assert any("2024.yaml:1: id 2024 must be text: put it in quotes" in p for p in problems)


def test_signals_in_any_alphabet(mini_bank: Path) -> None:
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(r.read_text().replace("signals: [pairwise loss, bpr]", "signals: [обучающие данные, 冷启动, naïve bayes]"))
    assert bank.validate([mini_bank]).problems == []
    rubric = bank.load([mini_bank]).rubric_for("toy-ranker")
    from mlsd_drill.answer import score_text

    for text in ("## Data\nОбучающие данные за месяц.", "## Model\n新视频的冷启动问题。", "## Model\nA naive Bayes baseline."):
        hit = {r.item.id: r.hit for r in score_text(text, rubric).items}
        assert hit["pairwise"], text


def test_a_question_without_a_rubric(mini_bank: Path, tmp_path: Path) -> None:
    """validate names it; score and drill refuse it with one line, not a 0% result."""
    (mini_bank / "rubrics" / "toy-ranker.yaml").unlink()
    problems = bank.validate([mini_bank]).problems
    assert any("toy-ranker.yaml:1: no rubric: add one under 'rubric:', or write rubrics/toy-ranker.yaml" in p for p in problems)
    answer = tmp_path / "a.md"
    answer.write_text("## Model\nNDCG.")
    result = runner.invoke(app, ["score", "--bank", str(mini_bank), "toy-ranker", str(answer)])
    assert result.exit_code == 2
    assert "question 'toy-ranker' has no rubric to score against" in result.stderr
    # with a common.yaml its items are the rubric: nothing to report
    _write(
        mini_bank,
        "rubrics/common.yaml",
        'question: "*"\nitems:\n  - {id: c1, stage: model, text: t, signals: [ndcg], why: w}\n',
    )
    found = bank.validate([mini_bank])
    assert found.problems == []
    # ... but the author hears that this question has no points of its own
    assert found.notes == [
        f"{mini_bank / 'questions' / 'toy-ranker.yaml'}: no rubrics/toy-ranker.yaml, so it is scored on the 1 common item only"
    ]
    result = runner.invoke(app, ["bank", "validate", str(mini_bank)])
    assert result.exit_code == 0 and "note: " in result.stderr and "ok: " in result.stderr


def test_messages_point_where_the_author_must_look(tmp_path: Path) -> None:
    root = tmp_path / "b"
    _write(root, "questions/q1.yaml", 'id: q1\ntitle: "T\nprompt: P\n')
    result = runner.invoke(app, ["bank", "validate", str(root)])
    assert "q1.yaml:4: YAML error: found unexpected end of stream" in result.stdout
    assert "(while scanning a quoted scalar that starts on line 2)" in result.stdout
    assert "1 problem in 1 file (1 bank file read)" in result.stderr
    # every question skipped: an error, not an empty table
    result = runner.invoke(app, ["list", "--bank", str(root)])
    assert result.exit_code == 2 and "no usable questions in the bank" in result.stderr
    # a file given as a bank
    result = runner.invoke(app, ["list", "--bank", str(root / "questions" / "q1.yaml")])
    assert result.exit_code == 2 and "is a file; a bank is a folder" in result.stderr


def test_duplicate_id_written_as_a_quoted_key_is_reported_at_its_line(mini_bank: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    _write(
        other,
        "questions/toy-ranker.yaml",
        '# my bank\n# copied\n"id": toy-ranker\ntitle: T\nprompt: P\ntags: [a]\ndifficulty: easy\n',
    )
    problems = bank.validate([mini_bank, other]).problems
    assert any("toy-ranker.yaml:3: duplicate question id 'toy-ranker'" in p for p in problems), problems


def test_validate_names_what_the_loader_passes_over(mini_bank: Path) -> None:
    _write(mini_bank, "questions/extra/q.yaml", "id: q\n")
    _write(mini_bank, "questions/Other.YAML", "id: other\n")
    (mini_bank / "rubrics" / "gone.yaml").symlink_to(mini_bank / "nowhere.yaml")
    problems = bank.validate([mini_bank]).problems
    assert any(p.endswith("questions/extra: folders inside a bank's questions/ and rubrics/ are not read") for p in problems)
    assert any(p.endswith("Other.YAML: not read: name it Other.yaml") for p in problems)
    assert any(p.endswith("gone.yaml: a link to nothing") for p in problems)


def test_an_item_can_replace_a_common_item_that_makes_the_same_point(mini_bank: Path) -> None:
    _write(
        mini_bank,
        "rubrics/common.yaml",
        'question: "*"\nitems:\n'
        "  - {id: c-metrics, stage: model, text: Names offline metrics, signals: [offline metric], why: w}\n"
        "  - {id: c-baseline, stage: model, text: A baseline first, signals: [baseline], why: w}\n",
    )
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(r.read_text().replace("  - id: ndcg\n", "  - id: ndcg\n    replaces: c-metrics\n"))
    assert bank.validate([mini_bank]).problems == []
    rubric = bank.load([mini_bank]).rubric_for("toy-ranker")
    # one point, one line: the question's own wording stands for the common item
    assert [it.id for it in rubric.items] == ["ndcg", "pairwise", "c-baseline"]
    assert rubric.replaced == ("c-metrics",)
    # a misspelt id, one common item replaced twice, or `replaces` in common.yaml itself
    r.write_text(r.read_text().replace("replaces: c-metrics", "replaces: [c-metric]"))
    problems = bank.validate([mini_bank]).problems
    assert any(
        "toy-ranker.yaml:4: 'ndcg' replaces 'c-metric', which is not an item of common.yaml"
        " (did you mean 'c-metrics'?)" in p
        for p in problems
    ), problems
    r.write_text(
        r.read_text()
        .replace("replaces: [c-metric]", "replaces: [c-metrics]")
        .replace("  - id: pairwise\n", "  - id: pairwise\n    replaces: c-metrics\n")
    )
    assert any("'c-metrics' is replaced by both 'ndcg' and 'pairwise': keep one" in p for p in bank.validate([mini_bank]).problems)
    c = mini_bank / "rubrics" / "common.yaml"
    c.write_text(c.read_text().replace("signals: [baseline]", "signals: [baseline], replaces: c-metrics"))
    assert any("common.yaml:4: an item of common.yaml replaces nothing" in p for p in bank.validate([mini_bank]).problems)
    # a bank without a common.yaml has nothing to replace: a copied rubric works as it is
    c.unlink()
    assert bank.validate([mini_bank]).problems == []


def test_an_item_made_of_parts(mini_bank: Path, tmp_path: Path) -> None:
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    r.write_text(
        r.read_text().replace(
            "    signals: [pairwise loss, bpr]\n",
            "    parts:\n      a pairwise loss: [pairwise loss, bpr]\n      a listwise metric: [ndcg, mrr]\n",
        )
    )
    assert bank.validate([mini_bank]).problems == []
    item = {i.id: i for i in bank.load([mini_bank]).rubric_for("toy-ranker").items}["pairwise"]
    assert item.signals == () and [name for name, _ in item.parts] == ["a pairwise loss", "a listwise metric"]
    answer = tmp_path / "a.md"
    answer.write_text("## Model\nA pairwise loss.\n")
    out = runner.invoke(app, ["score", "--bank", str(mini_bank), "toy-ranker", str(answer)], env={"COLUMNS": "150"})
    assert "partly there - made: a pairwise loss; missing: a listwise metric" in out.stdout
    # one part is no point made of parts; a part needs signals
    r.write_text(r.read_text().replace("      a listwise metric: [ndcg, mrr]\n", ""))
    assert any("'parts' must name at least two parts" in p for p in bank.validate([mini_bank]).problems)
    r.write_text(r.read_text().replace("      a pairwise loss: [pairwise loss, bpr]\n", "      a: []\n      b: [x y]\n"))
    assert any("'a' must be a non-empty list of signals" in p for p in bank.validate([mini_bank]).problems)


def test_notes_and_messages_an_author_needs(mini_bank: Path) -> None:
    """Found by a bank author in a user trial: each mistake gets a line that says what to do."""
    r = mini_bank / "rubrics" / "toy-ranker.yaml"
    text = r.read_text()
    # replaces in a bank without common.yaml, and a one-word signal, are notes, not problems
    r.write_text(text.replace("  - id: ndcg\n", "  - id: ndcg\n    replaces: [c-metrics]\n").replace("bpr]", "bpr, model]"))
    found = bank.validate([mini_bank])
    assert found.problems == []
    assert any("'ndcg' replaces 'c-metrics', but this bank has no common.yaml: nothing is replaced" in n for n in found.notes)
    assert any("'pairwise' has the signal 'model', one common word that credits almost any answer" in n for n in found.notes)
    # an item with neither signals nor parts is told about both
    r.write_text(text.replace("    signals: [pairwise loss, bpr]\n", ""))
    assert any("rubric item is missing 'signals' (or 'parts')" in p for p in bank.validate([mini_bank]).problems)
    # a value that starts with a quote and goes on, and a bare * for common.yaml's question
    r.write_text(text.replace("why: Ranking is about order.", 'why: "Order" is what ranking is about.'))
    problems = bank.validate([mini_bank]).problems
    assert any("a value that starts with a quote must end with it" in p for p in problems), problems
    _write(mini_bank, "rubrics/common.yaml", "question: *\nitems: []\n")
    assert any('a bare * is YAML syntax: write it in quotes, "*"' in p for p in bank.validate([mini_bank]).problems)
    _write(mini_bank, "rubrics/common.yaml", 'question: "*"\nitems:\n  - {id: c-metrics, stage: model, text: t, signals: [x y], why: w}\n')
    r.write_text(text.replace("  - id: ndcg\n", "  - id: ndcg\n    replaces: [c-metrics, c-metrics]\n"))
    assert any("'ndcg' lists 'c-metrics' twice in replaces" in p for p in bank.validate([mini_bank]).problems)
