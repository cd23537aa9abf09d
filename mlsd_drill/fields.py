"""Checking JSON the user's own files hold (exports to import, saved drills) field by field,
so a bad value is named in one line instead of failing somewhere later.

A spec maps each field to (what it should be, a test, whether it may be left out).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mlsd_drill.model import STAGES

Test = Callable[[Any], bool]
Spec = dict[str, tuple[str, Test, bool]]


def number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def text(v: Any) -> bool:
    return isinstance(v, str)


def flag(v: Any) -> bool:
    return isinstance(v, bool)


def whole(v: Any) -> bool:
    return type(v) is int


def stage(v: Any) -> bool:
    return v in STAGES


def maybe(test: Test) -> Test:
    return lambda v: v is None or test(v)


def list_of(test: Test) -> Test:
    return lambda v: isinstance(v, list) and all(test(x) for x in v)


def is_object(v: Any) -> bool:
    return isinstance(v, dict)


def check(data: Any, spec: Spec, where: str = "") -> None:
    """Raise ValueError naming the first field that is missing or not what it should be."""
    if not isinstance(data, dict):
        raise ValueError(f"{where.rstrip('.') or 'it'} should be an object")
    for k, (kind, test, optional) in spec.items():
        if k not in data:
            if optional:
                continue
            raise ValueError(f"{where}{k} is missing")
        if not test(data[k]):
            shown = json.dumps(data[k], ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            raise ValueError(f"{where}{k} should be {kind}, not {shown}")
