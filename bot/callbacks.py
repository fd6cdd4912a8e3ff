"""Versioned callback data for inline buttons: ``v1:<action>[:<arg>...]``.

Old or forged buttons fail safely: :func:`decode` returns None for anything that is not a known
action with the right number of well-formed arguments, and the handler answers politely.
"""

from __future__ import annotations

import re

VERSION = "v1"
MAX_BYTES = 64
_ARG_RE = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")

# action -> number of arguments
ACTIONS: dict[str, int] = {
    "menu": 1,        # menu:<main|challenges|funding|deadline|faq>
    "ch": 1,          # challenge card
    "faq": 1,         # FAQ entry, shown in place (browsing)
    "ans": 1,         # answer as a new message: f-<faq id> | c-<challenge id> (suggestions, follow-ups)
    "faqcat": 1,      # FAQ category page (index)
    "sub": 0,
    "unsub": 0,
    "slot": 1,        # toggle reminder slot in /settings
    "int": 1,         # toggle interest in /settings
    "nx": 0,          # toggle "다음 공고 알림" in /settings
    "del": 1,         # delete_me: yes|no
    "none": 0,        # "none of these" after a fallback
    "bc": 2,          # broadcast: <send|cancel|stop|all|seg|later>:<id or arg>
    "dl": 1,          # set_deadline confirm: yes|no
    "un": 2,          # unanswered: <attach|pick|dismiss|page>:<id>
    "una": 2,         # attach unanswered <id> to entry <entry_id>
}


def encode(action: str, *args: object) -> str:
    if action not in ACTIONS or len(args) != ACTIONS[action]:
        raise ValueError(f"bad callback {action}{args}")
    parts = [VERSION, action, *(str(a) for a in args)]
    for a in parts[2:]:
        if not _ARG_RE.match(a):
            raise ValueError(f"bad callback argument {a!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> tuple[str, list[str]] | None:
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    action, args = parts[1], parts[2:]
    if ACTIONS.get(action) != len(args) or not all(_ARG_RE.match(a) for a in args):
        return None
    return action, args
