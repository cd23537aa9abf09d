"""Safe YAML loading that remembers the line of every value.

Only YAML's safe subset is read (the C loader where available). Files over
1 MiB, documents that expand past a node budget (alias bombs) or nest too
deeply are refused before anything is built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd_drill.errors import BankError

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[Any, ...]
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


@dataclass
class Located:
    """A loaded document plus the 1-based line of each value, keyed by its path.

    Documents read by the fast parser carry no lines; the first call to `line()`
    reads the text again with PyYAML to find them.
    """

    value: Any
    file: Path
    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[int, str]] = field(default_factory=list)
    fast: bool = False
    text: str | None = None
    renamed: list[tuple[PathKey, PathKey]] = field(default_factory=list)  # see rename()
    read_as: dict[str, str] = field(default_factory=dict)  # keys read as the format's own: "keywords" -> "signals"

    def key_line(self, key: str) -> int:
        """The line of a top-level key, without a second parse for fast-read documents."""
        if self.fast and not self.lines and self.text is not None:
            m = re.search(rf"""(?m)^(["']?){re.escape(key)}\1\s*:""", self.text)  # id: or "id":
            return self.text.count("\n", 0, m.start()) + 1 if m else 1
        return self.line((key,))

    def rename(self, old: PathKey, new: PathKey) -> None:
        """A key renamed in `value` (read as the key it plainly means), or the whole document
        moved under a key (old = ()): its lines follow it, also when they are read later."""
        self.renamed.append((old, new))
        self._follow(old, new)

    def _follow(self, old: PathKey, new: PathKey) -> None:
        n = len(old)
        for p in [p for p in self.lines if p[:n] == old]:
            self.lines[new + p[n:]] = self.lines[p]

    def line(self, path: PathKey) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        if self.fast and not self.lines and self.text is not None:
            self.lines = loads(self.text, self.file).lines
            for old, new in self.renamed:
                self._follow(old, new)
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


def read_text(path: Path) -> str:
    """Read a bank file as UTF-8 text, refusing what is too big or binary."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BankError(f"{path}: cannot read ({e.strerror or e})") from None
    if size > MAX_BYTES:
        raise BankError(f"{path}: file is {size:,} bytes; bank files are limited to 1 MiB")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BankError(f"{path}: cannot read ({e.strerror or e})") from None
    if b"\x00" in data:
        raise BankError(f"{path}: binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BankError(f"{path}: not UTF-8 text (byte {e.start})") from None


def load(path: Path, *, fast: bool = True) -> Located:
    """Read a bank file: with the fast parser where it is sure to agree with PyYAML.

    Callers that find a problem in a fast-read document read it again with
    `fast=False`, so every reported problem comes from PyYAML with its line.
    """
    text = read_text(path)
    if fast:
        doc = loads_fast(text, path)
        if doc is not None:
            return doc
    return loads(text, path)


# Constructs the fast parser does not handle as PyYAML does: tags (dropped
# silently), anchors and aliases (PyYAML's expansion guard applies), merge keys,
# directives. Each is looked for only when its marker character is present.
_TAG_OR_ANCHOR = re.compile(r"(?:^|[\s\[{,])[!&*][^\s,\]}]")
_DIRECTIVE = re.compile(r"(?m)^%")


def loads_fast(text: str, path: Path) -> Located | None:
    """Parse with yaml_rs (Rust) when installed and sure to agree with PyYAML; None: use PyYAML.

    yaml_rs reads YAML 1.2; PyYAML reads YAML 1.1. After the fast parse every
    string is checked with PyYAML's own implicit resolvers: a string PyYAML
    would read as a bool, number, date or null ("yes", "1:30", "010") sends the
    file to PyYAML, as does any float (1.2 and 1.1 disagree on forms like 1e3).
    """
    try:
        import yaml_rs
    except ImportError:
        return None
    if ("!" in text or "&" in text or "*" in text) and _TAG_OR_ANCHOR.search(text):
        return None
    if "<<" in text or ("%" in text and _DIRECTIVE.search(text)):
        return None
    try:
        value = yaml_rs.loads(text)
    except Exception:  # any complaint: PyYAML gives the exact message and line
        return None
    if isinstance(value, list) and "---" in text:
        return None  # several documents
    if not _agrees_with_pyyaml(value, text):
        return None
    return Located(value=value, file=path, fast=True, text=text)


# PyYAML reads a plain scalar as something other than a string only when it is a
# short word (yes, no, on, off, true, null, ~: five letters at most) or starts
# like a number, date, merge key or value key.
_NUMBERISH = frozenset("0123456789+-.<=~")


def _agrees_with_pyyaml(value: Any, text: str) -> bool:
    import yaml

    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    ints_seen: set[int] = set()
    strings_seen: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is str:
            # ("*" matches a resolver too, but it can only have been quoted: a plain one is an alias)
            if v and (len(v) <= 5 or v[0] in _NUMBERISH) and v not in strings_seen and v != "*":
                strings_seen.add(v)
                for _tag, pattern in resolvers.get(v[0], ()):
                    if pattern.match(v):
                        return False
        elif t is dict:
            stack.extend(v.keys())
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
        elif t is int:
            # an integer must be written plainly: "010", "0o17" or "1_000" read differently
            if v not in ints_seen:
                if not re.search(rf"(?<![\w.]){v}(?![\w.:])", text):
                    return False
                ints_seen.add(v)
        elif t is not bool and v is not None:
            return False  # floats, dates, anything else: let PyYAML decide
    return True


# What PyYAML's messages usually mean in a hand-written bank file.
_YAML_HINTS = (
    ("did not find expected key", " - usually the indentation: the lines of one item must line up"),
    ("expected <block end>", " - usually the indentation: the lines of one item must line up"),
    ("did not find expected '-' indicator", " - usually the indentation of a list"),
    ("mapping values are not allowed", " - a ': ' inside unquoted text: put the text in quotes"),
)


# why: "Nike" and "iPhone" are brands  -> the quoted "Nike" ends the value, and the rest is an error
_QUOTE_FIRST = re.compile(r"""^\s*(-\s+)?[\w-]+:\s*("[^"]*"|'[^']*')\s*[^\s#]""")
_BARE_STAR = re.compile(r":\s*\*\s*(#.*)?$")


def loads(text: str, path: Path) -> Located:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = e.problem or e.context or "invalid YAML"
        if e.context and e.context_mark is not None and e.context_mark.line + 1 != line:
            # "found unexpected end of stream" at the end says little; say where it began:
            # "while scanning a quoted scalar" on line 2
            what += f" ({e.context} that starts on line {e.context_mark.line + 1})"
        hint = next((h for problem, h in _YAML_HINTS if problem in (e.problem or "")), "")
        lines = text.splitlines()
        here = lines[line - 1] if 0 < line <= len(lines) else ""
        if "\t" in here:
            hint = " - a tab on that line: YAML indents with spaces only"
        elif _QUOTE_FIRST.search(here):
            hint = (
                " - a value that starts with a quote must end with it: put the whole text in the other"
                """ kind of quotes ('"Nike" and ...') or start it with a word"""
            )
        elif _BARE_STAR.search(here):
            hint = ' - a bare * is YAML syntax: write it in quotes, "*"'

        raise BankError(f"{path}:{line}: YAML error: {what}{hint}") from None
    except yaml.YAMLError as e:
        raise BankError(f"{path}: YAML error: {str(e).splitlines()[0]}") from None
    doc = Located(value=None, file=path, text=text)
    if root is None:
        return doc
    builder = _Builder(doc)
    doc.value = builder.build(root, (), 0)
    return doc


class _Builder:
    def __init__(self, doc: Located) -> None:
        import yaml

        self.yaml = yaml
        self.doc = doc
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: Any, path: PathKey, depth: int) -> Any:
        yaml = self.yaml
        self.count += 1
        if self.count > MAX_NODES:
            raise BankError(
                f"{self.doc.file}: document expands to over {MAX_NODES:,} values (alias expansion?); refused"
            )
        if depth > MAX_DEPTH:
            raise BankError(f"{self.doc.file}:{node.start_mark.line + 1}: nested too deeply")
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in SAFE_TAGS:
            raise BankError(f"{self.doc.file}:{node.start_mark.line + 1}: unsupported YAML tag {node.tag}")
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise BankError(
                        f"{self.doc.file}:{key_node.start_mark.line + 1}: mapping keys must be plain values"
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise BankError(
                        f"{self.doc.file}:{key_node.start_mark.line + 1}: "
                        "merge keys (<<) are not supported in bank files"
                    )
                key = self.constructor.construct_object(key_node)
                try:
                    hash(key)
                except TypeError:
                    key = str(key)
                if key in out:
                    self.doc.duplicate_keys.append((key_node.start_mark.line + 1, str(key)))
                key_path = (*path, key)
                self.doc.lines[key_path] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, key_path, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError as e:
            line = node.start_mark.line + 1
            raise BankError(f"{self.doc.file}:{line}: {str(e).splitlines()[0]}") from None
