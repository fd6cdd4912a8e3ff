"""The Bot API wire format: error answers, parameter decoding and coercion.

A method receives its parameters as one dict whatever the transport: query string, JSON body,
``application/x-www-form-urlencoded`` or ``multipart/form-data`` (an uploaded file becomes an
:class:`Upload`; ``attach://<name>`` is resolved to it). Fields that clients send JSON-encoded inside
form data (``reply_markup``, ``entities``, ``commands`` ...) are decoded, and boolean flags accept
``true``/``1``/``yes``/``on``. An :class:`ApiError` is answered like Telegram does:
``{"ok": false, "error_code": ..., "description": ..., "parameters": {"retry_after": ...}}``, with
Telegram's own wording.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Parameters that PTB (and other clients) send as JSON-encoded strings in form fields.
JSON_FIELDS = frozenset({
    "reply_markup", "entities", "caption_entities", "commands", "scope", "results",
    "link_preview_options", "allowed_updates", "reply_parameters", "button", "media",
    "input_message_content", "message_ids",
})
BOOL_FIELDS = frozenset({
    "show_alert", "disable_notification", "protect_content", "drop_pending_updates",
    "is_personal", "disable_web_page_preview", "allow_sending_without_reply", "has_spoiler",
    "disable_content_type_detection", "show_caption_above_media", "allow_paid_broadcast",
})

STATUS_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """A Bot API error response (``{"ok": false, ...}``)."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class ClientGone(Exception):
    """The HTTP client disconnected before the answer was ready."""


@dataclass
class Upload:
    """A file uploaded in a multipart request (as stored in ``CallRecord.params``)."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


# --------------------------------------------------------------------------- parameters


def to_int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ApiError(400, f"Bad Request: invalid {what} specified")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ApiError(400, f"Bad Request: invalid {what} specified")


def opt_int(params: dict, key: str, default: int | None = None) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return default
    return to_int(value, key)


def opt_float(params: dict, key: str, default: float) -> float:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


async def read_params(request: web.Request) -> dict:
    """The call's parameters as one dict, whatever the transport (query, JSON, form, multipart)."""
    params: dict[str, Any] = dict(request.query)
    if request.body_exists:
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            params.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    params[key] = Upload(value.filename, value.content_type, data)
                else:
                    params[key] = value
    for key, value in list(params.items()):
        if key in JSON_FIELDS and isinstance(value, str):
            try:
                params[key] = json.loads(value)
            except ValueError:
                pass
        elif key in BOOL_FIELDS:
            params[key] = as_bool(value)
        elif isinstance(value, str) and value.startswith("attach://"):
            attached = params.get(value[len("attach://"):])
            if isinstance(attached, Upload):
                params[key] = attached
    return params
