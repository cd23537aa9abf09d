from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data folder; no extra banks from the environment."""
    home = tmp_path / "mlsd-home"
    monkeypatch.setenv("MLSD_DRILL_HOME", str(home))
    monkeypatch.delenv("MLSD_BANKS", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return home


@pytest.fixture
def home(_isolated_home: Path) -> Path:
    return _isolated_home


@pytest.fixture
def bundled() -> Path:
    from mlsd_drill import paths

    return paths.bundled_bank_dir()


@pytest.fixture
def mini_bank(tmp_path: Path) -> Path:
    """A tiny valid bank written in a different style from ours."""
    root = tmp_path / "mini"
    (root / "questions").mkdir(parents=True)
    (root / "rubrics").mkdir()
    (root / "questions" / "toy-ranker.yaml").write_text(
        "id: toy-ranker\n"
        "title: Design a toy ranker\n"
        "prompt: |\n  Rank some things for some people.\n"
        "tags: [ranking, toy]\n"
        "difficulty: easy\n"
        "stages:\n  model:\n    minutes: 3\n    hints: [start simple]\n"
        "followups:\n  - {stage: model, ask: Why that loss?}\n"
        "reference:\n  model: Use a pairwise loss and report NDCG.\n"
    )
    (root / "rubrics" / "toy-ranker.yaml").write_text(
        "question: toy-ranker\n"
        "items:\n"
        "  - id: ndcg\n    stage: model\n    text: Names NDCG\n    weight: 2\n"
        "    signals: [ndcg, [discounted, gain]]\n    why: Ranking quality depends on position.\n"
        "  - id: pairwise\n    stage: model\n    text: Pairwise loss\n    level: senior\n"
        "    signals: [pairwise loss, bpr]\n    why: Ranking is about order.\n"
    )
    return root


def mlsd_executable() -> str:
    """The installed `mlsd` of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "mlsd"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("mlsd")
    if not found:
        pytest.skip("mlsd is not installed in this environment")
    return found


@pytest.fixture
def mlsd_bin() -> str:
    return mlsd_executable()


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["MLSD_DRILL_HOME"] = str(home)
    e.pop("MLSD_BANKS", None)
    return e
