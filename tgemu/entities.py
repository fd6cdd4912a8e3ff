"""Telegram-flavoured HTML into plain text plus message entities (``parse_mode=HTML``).

:func:`parse_html` follows the Bot API server's parser (tdlib): the supported tags only
(``b strong i em u ins s strike del code pre a tg-spoiler span class="tg-spoiler" tg-emoji
blockquote [expandable]``), the attributes each tag allows, ``&lt; &gt; &amp; &quot;`` and numeric
character references. Offsets and lengths are in UTF-16 code units, as on Telegram. Malformed input
raises :class:`HTMLParseError` with Telegram's message (e.g. ``Unsupported start tag "div" at byte
offset 0``), which the server answers as ``400 Bad Request: can't parse entities: ...``.
:func:`trim` strips surrounding whitespace the way Telegram does, keeping entities consistent.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit


class HTMLParseError(ValueError):
    """Raised by :func:`parse_html` with Telegram's error wording."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_HTML_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
    "tg-spoiler", "span", "tg-emoji", "blockquote",
})
_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_HTML_ENTITY_RE = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_SPACES = " \t\r\n\f\v"


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&...;`` at ``pos`` like Telegram (the trailing ';' is optional)."""
    m = _HTML_ENTITY_RE.match(text, pos)
    if m is None:
        return None
    hex_digits, dec_digits, name = m.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        return (char, m.end()) if char else None
    digits, base = (hex_digits, 16) if hex_digits is not None else (dec_digits, 10)
    if len(digits) > 8:
        return None
    code = int(digits, base)
    if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


def _normalize_url(url: str) -> str:
    if "://" not in url and not url.startswith(("tg:", "mailto:")):
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and not parts.path and not parts.query and not parts.fragment:
        url += "/"
    return url


def parse_html(html: str) -> tuple[str, list[dict]]:
    """Parse Telegram-flavoured HTML into ``(plain_text, entities)``.

    Follows the Bot API server's parser (tdlib ``parse_html``): supported tags only,
    attributes per tag, ``&lt; &gt; &amp; &quot;`` and numeric character references.
    Entity offsets and lengths are in UTF-16 code units. Raises
    :class:`HTMLParseError` with Telegram's message on malformed input.
    """
    out: list[str] = []
    u16 = 0
    stack: list[tuple[str, str, int]] = []  # (tag, argument, utf16 start)
    entities: list[dict] = []
    n = len(html)
    i = 0

    def boff(pos: int) -> int:
        return len(html[:pos].encode("utf-8", "surrogatepass"))

    while i < n:
        c = html[i]
        if c == "&":
            decoded = _decode_html_entity(html, i)
            if decoded is not None:
                ch, i = decoded
                out.append(ch)
                u16 += 2 if ord(ch) > 0xFFFF else 1
                continue
        if c != "<":
            out.append(c)
            u16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        i += 1
        if i >= n or html[i] != "/":
            # ---- start tag
            tag_end = i
            while tag_end < n and html[tag_end] not in _HTML_SPACES and html[tag_end] != ">":
                tag_end += 1
            if tag_end >= n:
                raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
            tag = html[i:tag_end].lower()
            if tag not in _HTML_TAGS:
                raise HTMLParseError(
                    f'Unsupported start tag "{tag}" at byte offset {boff(begin)}'
                )
            argument = ""
            i = tag_end
            while True:
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(
                        f'Unclosed start tag "{tag}" at byte offset {boff(begin)}'
                    )
                if html[i] == ">":
                    break
                attr_begin = i
                while i < n and html[i] not in _HTML_SPACES and html[i] not in "=>":
                    i += 1
                attr_name = html[attr_begin:i].lower()
                if not attr_name:
                    raise HTMLParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {boff(begin)}'
                    )
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(
                        f'Unclosed start tag "{tag}" at byte offset {boff(begin)}'
                    )
                if html[i] != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                    continue
                i += 1
                while i < n and html[i] in _HTML_SPACES:
                    i += 1
                if i >= n:
                    raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                if html[i] not in "'\"":
                    token_begin = i
                    while i < n and (html[i].isascii() and (html[i].isalnum() or html[i] in ".-")):
                        i += 1
                    value = html[token_begin:i].lower()
                    if i >= n or (html[i] not in _HTML_SPACES and html[i] != ">"):
                        raise HTMLParseError(
                            f"Unexpected end of name token at byte offset {boff(token_begin)}"
                        )
                else:
                    quote = html[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and html[i] != quote:
                        if html[i] == "&":
                            decoded = _decode_html_entity(html, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(html[i])
                        i += 1
                    if i >= n:
                        raise HTMLParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                    i += 1
                    value = "".join(chars)
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-"):]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-"):]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise HTMLParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {boff(begin)}'
                )
            i += 1  # skip '>'
            if tag == "a" and not argument:
                # no href: the link text itself is the URL; remember where it starts
                argument = "\x00" + str(len(out))
            stack.append((tag, argument, u16))
            continue

        # ---- end tag
        if not stack:
            raise HTMLParseError(f"Unexpected end tag at byte offset {boff(begin)}")
        i += 1  # skip '/'
        name_begin = i
        while i < n and html[i] not in _HTML_SPACES and html[i] != ">":
            i += 1
        end_name = html[name_begin:i].lower()
        while i < n and html[i] in _HTML_SPACES:
            i += 1
        if i >= n or html[i] != ">":
            raise HTMLParseError(f"Unclosed end tag at byte offset {boff(begin)}")
        i += 1
        tag, argument, start = stack.pop()
        if end_name and end_name != tag:
            raise HTMLParseError(
                f"Unmatched end tag at byte offset {boff(begin)}, "
                f'expected "</{tag}>", found "</{end_name}>"'
            )
        length = u16 - start
        if length <= 0:
            continue
        if tag in _SIMPLE_ENTITY:
            entities.append({"offset": start, "length": length, "type": _SIMPLE_ENTITY[tag]})
        elif tag == "tg-emoji":
            if not argument:
                raise HTMLParseError("Custom emoji entity must contain a valid custom emoji identifier")
            entities.append(
                {"offset": start, "length": length, "type": "custom_emoji", "custom_emoji_id": argument}
            )
        elif tag == "a":
            if argument.startswith("\x00"):
                url = "".join(out[int(argument[1:]):])
            else:
                url = argument
            url = url.strip()
            if not url:
                continue
            m = re.fullmatch(r"tg://user\?id=(\d+)", url)
            if m:
                entities.append(
                    {
                        "offset": start,
                        "length": length,
                        "type": "text_mention",
                        "user": {"id": int(m.group(1)), "is_bot": False, "first_name": ""},
                    }
                )
            else:
                entities.append(
                    {"offset": start, "length": length, "type": "text_link", "url": _normalize_url(url)}
                )
        elif tag == "code":
            ent = {"offset": start, "length": length, "type": "code"}
            if argument:
                ent["_language"] = argument
            entities.append(ent)
        elif tag == "pre":
            last = entities[-1] if entities else None
            if (
                last is not None
                and last["type"] == "code"
                and last["offset"] == start
                and last["length"] == length
            ):
                entities.pop()
                ent = {"offset": start, "length": length, "type": "pre"}
                if last.get("_language"):
                    ent["language"] = last["_language"]
                entities.append(ent)
            else:
                entities.append({"offset": start, "length": length, "type": "pre"})
        elif tag == "blockquote":
            entities.append(
                {
                    "offset": start,
                    "length": length,
                    "type": "expandable_blockquote" if argument else "blockquote",
                }
            )
    if stack:
        raise HTMLParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    for ent in entities:
        ent.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip leading/trailing whitespace like Telegram, keeping entities consistent."""
    stripped = text.strip(_HTML_SPACES)
    if stripped == text:
        return text, entities
    lead = len(text) - len(text.lstrip(_HTML_SPACES))  # ASCII only: 1 char == 1 UTF-16 unit
    new_len = utf16_len(stripped)
    fixed: list[dict] = []
    for ent in entities:
        start = max(0, ent["offset"] - lead)
        end = min(new_len, ent["offset"] + ent["length"] - lead)
        if end > start:
            if start == ent["offset"] and end - start == ent["length"]:
                fixed.append(ent)
            else:
                fixed.append({**ent, "offset": start, "length": end - start})
    return stripped, fixed
