"""Where user data lives. `MLSD_DRILL_HOME` overrides the platform folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mlsd-drill"


def data_dir() -> Path:
    override = os.environ.get("MLSD_DRILL_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_bank_dir() -> Path:
    """The user's own bank: `questions/` and `rubrics/` under the data folder."""
    return data_dir() / "bank"


def bundled_bank_dir() -> Path:
    """The bank shipped with the package.

    In a wheel it lives at `mlsd_drill/bank`; in a source checkout (editable
    install) it is the repository's top-level `questions/` and `rubrics/`.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "bank"
    if (packaged / "questions").is_dir():
        return packaged
    return here.parent


def history_db() -> Path:
    return data_dir() / "history.sqlite3"


def drafts_dir() -> Path:
    return data_dir() / "drafts"
