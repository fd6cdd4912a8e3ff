"""Fault injection: make the next matching Bot API calls fail, stall or drop the connection.

::

    emu.inject("sendMessage", status=429, retry_after=3)        # next sendMessage: 429, retry after 3 s
    emu.inject("copyMessage", status=502, chat_id=42, times=2)  # the next two copies to chat 42: 502
    emu.inject("*", status=403, description="Forbidden: user is deactivated", times=None)  # every call
    emu.inject("getUpdates", drop=True)                          # close the connection without answering
    emu.inject("sendMessage", delay=2.0)                         # answer after 2 s (then normally)
    emu.clear_faults()

``method`` is case-insensitive; ``"*"`` matches every method except ``getUpdates`` (name it explicitly
to disturb polling). ``chat_id`` restricts a rule to calls with that ``chat_id`` parameter; ``times``
is how many calls the rule applies to (``None``: for ever). A ``delay`` may be combined with
``status`` or ``drop``. A status without a description gets Telegram's usual one (``502 Bad
Gateway``, ``429 Too Many Requests: retry after N`` with ``parameters.retry_after`` ...). The first
matching rule wins; every call, failed or not, is still recorded in ``emu.calls``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tgemu.wire import STATUS_DESCRIPTIONS, ApiError


@dataclass
class FaultRule:
    """An injected fault; see :meth:`TelegramEmulator.inject`."""

    method: str
    status: int | None = None
    description: str | None = None
    retry_after: int | None = None
    chat_id: int | None = None
    delay: float = 0.0
    drop: bool = False
    times: int | None = 1  # None = unlimited
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.times is None else max(0, self.times - self.hits)

    def matches(self, method_lc: str, chat_id: int | None) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method == "*":
            if method_lc == "getupdates":
                return False
        elif self.method.lower() != method_lc:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        status = int(self.status or 500)
        params = None
        if status == 429:
            retry = int(self.retry_after if self.retry_after is not None else 1)
            desc = self.description or f"Too Many Requests: retry after {retry}"
            params = {"retry_after": retry}
        else:
            desc = self.description or STATUS_DESCRIPTIONS.get(status, "Error")
            if self.retry_after is not None:
                params = {"retry_after": int(self.retry_after)}
        return ApiError(status, desc, params)


class FaultInjection:
    """The fault-injection part of :class:`~tgemu.server.TelegramEmulator`."""

    faults: list[FaultRule]

    def inject(
        self,
        method: str = "*",
        *,
        status: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
        times: int | None = 1,
    ) -> FaultRule:
        """Add a fault rule; it applies to the next ``times`` matching calls (None = forever).

        ``method`` is case-insensitive; ``"*"`` matches every method except getUpdates
        (name getUpdates explicitly to disturb polling). ``chat_id`` restricts the rule
        to calls with that ``chat_id`` parameter.
        """
        if status is None and not drop and not delay:
            raise ValueError("a fault needs status=, drop=True or delay=")
        if status == 429 and retry_after is None:
            retry_after = 1
        rule = FaultRule(
            method=method,
            status=status,
            description=description,
            retry_after=retry_after,
            chat_id=chat_id,
            delay=delay,
            drop=drop,
            times=times,
        )
        self.faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        self.faults.clear()

    def _take_fault(self, method_lc: str, params: dict) -> FaultRule | None:
        if not self.faults:
            return None
        try:
            chat_id = int(params["chat_id"]) if "chat_id" in params else None
        except (TypeError, ValueError):
            chat_id = None
        for rule in self.faults:
            if rule.matches(method_lc, chat_id):
                rule.hits += 1
                return rule
        return None
