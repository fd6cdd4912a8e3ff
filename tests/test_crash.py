"""SIGKILL in the middle of a fan-out, then restart: everyone ends with exactly one copy, except at
most the messages that were in flight at the kill (bounded by SEND_CONCURRENCY, as the README states).

The bot runs as a real subprocess (`python -m bot`) against the emulator in this process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.config import TZ
from bot.store import Store
from tests.conftest import TOKEN, eventually

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = 300
CONCURRENCY = 8
MARK = "CRASH-TEST"


def bot_env(emu, settings) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BOT_ENV_FILE": "/nonexistent",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "DATABASE_PATH": str(settings.database_path),
        "DATA_DIR": str(settings.data_dir),
        "LOG_LEVEL": "INFO",
        "SEND_RATE": "60",
        "PER_CHAT_INTERVAL": "0",
        "SEND_CONCURRENCY": str(CONCURRENCY),
        "POLL_TIMEOUT": "1",
    }


async def start_bot(env, log_path: Path):
    log = open(log_path, "ab")  # noqa: SIM115 - closed by the caller via proc.log
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=log, stderr=log
    )
    proc.log = log
    return proc


async def stop(proc, sig=signal.SIGTERM):
    if proc.returncode is None:
        proc.send_signal(sig)
        try:
            await asyncio.wait_for(proc.wait(), timeout=20)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    proc.log.close()


def received(emu, chat_ids, needle):
    return Counter({c: sum(1 for m in emu.messages_to(c) if needle in m.text) for c in chat_ids})


def in_flight_rows(db_path) -> int:
    store = Store(db_path)
    try:
        return store.delivery_totals()["sending"]
    finally:
        store.close()


async def kill_mid_fanout_and_restart(emu, settings, tmp_path, needle):
    chat_ids = list(range(100_000, 100_000 + RECIPIENTS))
    env = bot_env(emu, settings)
    log_path = tmp_path / "bot.log"
    proc = await start_bot(env, log_path)
    try:
        await eventually(lambda: sum(received(emu, chat_ids, needle).values()) >= RECIPIENTS // 3, timeout=60,
                         what="a third of the fan-out")
    except TimeoutError:
        await stop(proc)
        pytest.fail("fan-out did not start:\n" + log_path.read_text(errors="replace")[-3000:])
    proc.kill()  # SIGKILL: no cleanup at all
    await proc.wait()
    proc.log.close()
    before = sum(received(emu, chat_ids, needle).values())
    assert before < RECIPIENTS, "the kill came too late to test anything"
    in_flight = in_flight_rows(settings.database_path)
    assert in_flight <= CONCURRENCY

    proc = await start_bot(env, log_path)
    try:
        await eventually(lambda: all(n >= 1 for n in received(emu, chat_ids, needle).values()), timeout=90,
                         what="everyone to receive the message after the restart")
        await asyncio.sleep(1.0)  # anything extra would show up now
    finally:
        await stop(proc)
    counts = received(emu, chat_ids, needle)
    duplicates = sum(n - 1 for n in counts.values())
    assert all(n >= 1 for n in counts.values())
    assert max(counts.values()) <= 2
    assert duplicates <= in_flight <= CONCURRENCY, (duplicates, in_flight)
    text = log_path.read_text(errors="replace")
    assert TOKEN not in text
    return duplicates, in_flight


async def test_sigkill_during_reminder_fanout(emu, settings, tmp_path):
    chat_ids = range(100_000, 100_000 + RECIPIENTS)
    emu.add_users(chat_ids)
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
    store.close()
    # The "last call" slot (3 h before closing) fires a few seconds after the bot starts.
    program_path = settings.data_dir / "program.yaml"
    program = yaml.safe_load(program_path.read_text(encoding="utf-8"))
    deadline = (datetime.now(TZ) + timedelta(hours=3, seconds=6)).replace(microsecond=0)
    program["application"]["deadline"] = deadline.isoformat()
    program["reminders"] = [{"id": "last_call", "hours_before": 3}]  # no catch-up of earlier slots
    program_path.write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    await kill_mid_fanout_and_restart(emu, settings, tmp_path, "신청 마감 알림")


async def test_sigkill_during_broadcast(emu, settings, tmp_path):
    chat_ids = list(range(100_000, 100_000 + RECIPIENTS))
    emu.add_users(chat_ids)
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
    # A broadcast confirmed by staff just before a crash: resumed on start, then killed again.
    store.create_job("broadcast:crash", "broadcast", {"type": "text", "text": f"{MARK} 설명회 안내"}, chat_ids)
    store.close()
    await kill_mid_fanout_and_restart(emu, settings, tmp_path, MARK)
    store = Store(settings.database_path)
    job = store.recent_jobs("broadcast", 1)[0]
    assert job["status"] == "done" and store.job_counts(job["id"])["sent"] == RECIPIENTS
    store.close()
