"""JSON Schema of the two bank file kinds (bank format v1), for editors.

`bank.py` does the validation itself (to report `file:line` for every
problem); a test checks the bundled bank against these schemas so the two
stay in step.
"""

from __future__ import annotations

from typing import Any

from mlsd_drill.model import DIFFICULTIES, LEVELS, STAGES

SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}


def question_schema() -> dict[str, Any]:
    stage_override = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "minutes": {"type": "number", "exclusiveMinimum": 0, "maximum": 180},
            "prompt": _TEXT,
            "hints": {"type": "array", "items": _TEXT},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mlsd-drill.dev/schema/question-v1.json",
        "title": "mlsd-drill question (bank format v1)",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "prompt", "difficulty"],
        "properties": {
            "id": {"type": "string", "pattern": SLUG, "description": "equal to the file name (which it is when left out)"},
            "title": _TEXT,
            "prompt": _TEXT,
            "tags": {"type": "array", "items": _TEXT},
            "difficulty": {"enum": list(DIFFICULTIES)},
            "stages": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s: stage_override for s in STAGES},
            },
            "followups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["stage", "ask"],
                    "properties": {"stage": {"enum": list(STAGES)}, "ask": _TEXT},
                },
            },
            "reference": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s: _TEXT for s in STAGES},
            },
            "rubric": {
                "description": "the question's rubric, in its own file: its items, or a rubric file's mapping",
                "anyOf": [
                    _items(),
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["items"],
                        "properties": {"question": {"type": "string", "pattern": SLUG}, "items": _items()},
                    },
                ],
            },
        },
    }


def rubric_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mlsd-drill.dev/schema/rubric-v1.json",
        "title": "mlsd-drill rubric (bank format v1)",
        "description": "a mapping with the items, or the list of items alone",
        "anyOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["items"],
                "properties": {
                    "question": {
                        "type": "string",
                        "description": 'the question id (the file name when left out), or "*" in rubrics/common.yaml',
                        "anyOf": [{"pattern": SLUG}, {"const": "*"}],
                    },
                    "items": _items(),
                },
            },
            _items(),
        ],
    }


def _items() -> dict[str, Any]:
    """A rubric's list of items."""
    # a bare number is refused by the loader (YAML reads 010 as 8): the schema says so too
    phrase: dict[str, Any] = {"type": "string", "minLength": 1}
    signals: dict[str, Any] = {
        "type": "array",
        "minItems": 1,
        "items": {"anyOf": [phrase, {"type": "array", "minItems": 1, "items": phrase}]},
    }
    return {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["stage", "text", "why"],
            "anyOf": [{"required": ["signals"]}, {"required": ["parts"]}],
            "properties": {
                "id": {"type": "string", "pattern": SLUG, "description": "made from the text when left out"},
                "stage": {"enum": list(STAGES)},
                "text": _TEXT,
                "weight": {"enum": [1, 2, 3], "default": 1},
                "level": {"enum": list(LEVELS), "default": "mid"},
                "signals": signals,
                "parts": {
                    "description": "a point made of parts: credited when every part is found (or a signal)",
                    "type": "object",
                    "minProperties": 2,
                    "additionalProperties": signals,
                },
                "why": _TEXT,
                "replaces": {
                    "description": "common.yaml items this item stands for: they are left out of this question's rubric",
                    "anyOf": [
                        {"type": "string", "pattern": SLUG},
                        {"type": "array", "items": {"type": "string", "pattern": SLUG}},
                    ],
                },
            },
        },
    }


def schemas() -> dict[str, Any]:
    return {"question": question_schema(), "rubric": rubric_schema()}
