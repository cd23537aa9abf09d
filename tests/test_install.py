"""A real wheel, installed into a fresh virtual environment, used from outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_the_bank_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    wheel = next(dist.glob("mlsd_drill-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "mlsd_drill/bank/questions/fraud-detection.yaml" in names
    assert "mlsd_drill/bank/rubrics/common.yaml" in names
    assert "mlsd_drill/py.typed" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    install = subprocess.run([str(pip), "install", "-q", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLSD_BANKS")}
    env["MLSD_DRILL_HOME"] = str(tmp_path / "home")
    mlsd = str(venv / "bin" / "mlsd")
    out = subprocess.run([mlsd, "list", "--json"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    ids = {q["id"] for q in json.loads(out.stdout)}
    assert {"ad-click-prediction", "fraud-detection", "video-recommendations"} <= ids
    bank_dirs = {q["bank"] for q in json.loads(out.stdout)}
    assert all(str(venv) in b for b in bank_dirs)  # read from the installed package, not the checkout
    show = subprocess.run(
        [mlsd, "show", "fraud-detection", "--rubric", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert show.returncode == 0 and json.loads(show.stdout)["rubric"]
    module = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "mlsd_drill", "--version"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert module.returncode == 0
