"""The round's lifecycle as subscribers hear about it: a provisional deadline confirmed, a deadline
moved, the round closed at its deadline, the next round opened by staff.

What subscribers were last told is kept in the store (``round_state``: round id, deadline and whether it
was confirmed). :meth:`RoundService.check` compares it with the current data and queues at most one
notice for the difference, in the same transaction that records the new state, under a unique job key:
a restart, a second instance or a repeated /reload never tells anyone twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot import texts
from bot.answer import esc
from bot.callbacks import encode
from bot.config import TZ
from bot.program import (
    PHASE_CLOSED,
    Content,
    Program,
    deadline_key,
    deadline_label,
    deadline_note,
    deadline_status,
    format_datetime,
    round_phase,
)
from bot.store import Store

log = logging.getLogger(__name__)

LEGACY_ANNOUNCED_KEY = "announced_deadline"  # before rounds: the deadline key subscribers knew
OPENED, MOVED, CONFIRMED, SILENT = "opened", "moved", "confirmed", "silent"


def round_state(program: Program) -> dict[str, Any]:
    return {"round": program.round_id, "deadline": deadline_key(program),
            "confirmed": program.deadline_confirmed}


def _label(key: str, confirmed: bool) -> str:
    mark = "" if confirmed else texts.PROVISIONAL_MARK
    return format_datetime(datetime.fromisoformat(key), with_year=False) + mark


def _note(program: Program) -> str:
    """The provisional caveat for pushed messages (nothing once staff confirmed)."""
    return "" if program.deadline_confirmed else texts.REMINDER_NOTE.format(note=deadline_note(program))


class RoundService:
    def __init__(self, store: Store, get_content: Callable[[], Content],
                 wake_outbox: Callable[[], None] | None = None) -> None:
        self.store = store
        self.get_content = get_content
        self.wake_outbox = wake_outbox or (lambda: None)

    @property
    def program(self) -> Program:
        return self.get_content().program

    def _told(self, program: Program) -> dict[str, Any] | None:
        state = self.store.round_state()
        if state is None and (legacy := self.store.get_meta(LEGACY_ANNOUNCED_KEY)):
            state = {"round": program.round_id, "deadline": legacy, "confirmed": False}
            self.store.adopt_round(program.round_id)
            self.store.announce(state)
        return state

    # -- confirmed, moved, opened ----------------------------------------------------------------
    def check(self, now: datetime | None = None) -> str | None:
        """Tell subscribers once what changed since they were last told. Returns what happened:
        OPENED (a new round), MOVED, CONFIRMED, SILENT (recorded without a notice) or None."""
        now = now or datetime.now(TZ)
        program = self.program
        current = round_state(program)
        told = self._told(program)
        self.store.adopt_round(told["round"] if told else program.round_id)  # rows from before rounds
        if told is None:
            self.store.announce(current)  # first start: nothing to tell
            return None
        if told == current:
            return None
        if told["round"] != current["round"]:
            return self._open(program, now, told, current)
        return self._deadline_changed(program, now, told, current)

    def _open(self, program: Program, now: datetime, told: dict, current: dict) -> str:
        content = None
        if round_phase(program, now) != PHASE_CLOSED:
            content = {
                "type": "text",
                "text": texts.ROUND_OPENED.format(
                    program=esc(program.name), deadline=deadline_label(program),
                    status=deadline_status(program, now), note=esc(_note(program)),
                    count=len(self.get_content().challenges)),
                "buttons": [[[texts.BTN_CHALLENGES, encode("menu", "challenges")],
                             [texts.BTN_DEADLINE, encode("menu", "deadline")]]],
            }
        job_id, ended = self.store.open_round(current, f"round_opened:{program.round_id}", content)
        log.info("Round %s opened after %s (deadline %s%s): notice %s, %d subscriptions of that round ended",
                 program.round_id, told["round"], current["deadline"],
                 "" if program.deadline_confirmed else ", provisional",
                 f"job {job_id}" if job_id else "not sent", ended)
        if job_id is not None:
            self.wake_outbox()
        return OPENED

    def _deadline_changed(self, program: Program, now: datetime, told: dict, current: dict) -> str:
        moved = told["deadline"] != current["deadline"]
        round_id = program.round_id
        if round_phase(program, now) == PHASE_CLOSED or not (moved or current["confirmed"]):
            self.store.announce(current)
            log.warning("Deadline state changed without a notice: %s -> %s", told, current)
            return SILENT
        if moved:
            key = f"deadline_moved:{round_id}:{told['deadline']}->{current['deadline']}"
            text = texts.DEADLINE_MOVED.format(
                program=esc(program.name), old=_label(told["deadline"], told["confirmed"]),
                new=deadline_label(program), note=esc(deadline_note(program)))
        else:
            key = f"deadline_confirmed:{round_id}:{current['deadline']}"
            text = texts.DEADLINE_CONFIRMED.format(program=esc(program.name),
                                                   deadline=deadline_label(program))
        job_id = self.store.announce(current, key, {"type": "text", "text": text},
                                     self.store.active_chat_ids(round_id=round_id), round_id=round_id)
        if job_id is not None:
            log.info("Deadline %s %s; notice queued", "moved to" if moved else "confirmed:",
                     current["deadline"])
            self.wake_outbox()
        return MOVED if moved else CONFIRMED

    # -- closed ------------------------------------------------------------------------------------
    def close_if_due(self, now: datetime | None = None) -> int | None:
        """From the deadline on: cancel reminders not yet delivered and ask the round's subscribers,
        once, whether they want to hear about the next round. Returns the notice's job id."""
        now = now or datetime.now(TZ)
        program = self.program
        if round_phase(program, now) != PHASE_CLOSED:
            return None
        content = {
            "type": "text",
            "text": texts.ROUND_CLOSED.format(program=esc(program.name), deadline=deadline_label(program),
                                              note=esc(_note(program))),
            "buttons": [[[texts.BTN_NEXT_ROUND, encode("sub")]]],
        }
        key = f"round_closed:{program.round_id}:{deadline_key(program)}"
        job_id = self.store.close_round(program.round_id, key, content)
        if job_id is not None:
            log.info("Round %s closed at %s: reminders stopped, subscribers asked about the next round",
                     program.round_id, deadline_key(program))
            self.wake_outbox()
        return job_id
