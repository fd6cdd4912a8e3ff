"""A YAML loader for staff-edited data files that fails cleanly on anything odd.

``yaml.safe_load`` builds whatever a file says, and some typos then fail far from the file: an
unquoted impossible date (``2026-11-31 18:00:00``) raises ``ValueError``, a 4,300-digit number
raises ``ValueError``, 5,000 levels of nesting raise ``RecursionError``, and a few lines of aliases
(a "billion laughs") become gigabytes once the result is walked. :func:`load` turns each into a
``yaml.YAMLError`` with the line, which the caller reports as a ``DataError`` naming the file:

* timestamps stay the text the staff wrote (the programme code parses dates and names the entry);
* integers longer than :data:`MAX_INT_DIGITS` digits are rejected;
* nesting deeper than :data:`MAX_DEPTH` is rejected while composing (so no deep recursion);
* anchors and aliases (``&name``, ``*name``) are rejected: data files do not need them;
* a key written twice in one mapping is rejected (the second would silently replace the first);
* a file larger than :data:`MAX_BYTES` is rejected before it is parsed.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor

MAX_BYTES = 2_000_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 18


# libyaml when installed (ten times faster); the checks below work the same on either.
_BaseLoader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class DataLoader(_BaseLoader):
    def construct_yaml_int(self, node):
        digits = len(re.sub(r"[^0-9a-fA-F]", "", self.construct_scalar(node)))
        if digits > MAX_INT_DIGITS:
            raise ConstructorError(None, None, f"number too large ({digits} digits)", node.start_mark)
        return SafeConstructor.construct_yaml_int(self, node)

    def construct_mapping(self, node, deep=False):
        # A key written twice would silently drop the first block (a staff member adding a second
        # '중소벤처기업부:' line would erase the aliases above it): refuse, naming the line.
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                    if key in seen:
                        raise ConstructorError(
                            "while constructing a mapping", node.start_mark,
                            f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark,
                        )
                    seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def construct_timestamp_text(self, node):
        return self.construct_scalar(node)


DataLoader.add_constructor("tag:yaml.org,2002:int", DataLoader.construct_yaml_int)
DataLoader.add_constructor("tag:yaml.org,2002:timestamp", DataLoader.construct_timestamp_text)

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_events(text: str) -> None:
    """One streaming pass over the parser's events: no anchors or aliases, no deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed in data files", event.start_mark)
        if getattr(event, "anchor", None):
            raise ComposerError(None, None, "anchors (&name) are not allowed in data files", event.start_mark)
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, _CLOSE):
            depth -= 1


def load(text: str) -> Any:
    """Parse one data file's text; every problem is a ``yaml.YAMLError`` (with a mark where known)."""
    if len(text) > MAX_BYTES:
        raise yaml.YAMLError(f"file too large ({len(text):,} characters; at most {MAX_BYTES:,})")
    try:
        _check_events(text)
        return yaml.load(text, Loader=DataLoader)  # noqa: S506 - DataLoader is a SafeLoader
    except yaml.YAMLError:
        raise
    except (ValueError, OverflowError, RecursionError, MemoryError) as exc:
        raise yaml.YAMLError(f"{type(exc).__name__}: {str(exc)[:200]}") from None
