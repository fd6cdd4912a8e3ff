"""The bot as a real process: clean SIGTERM during a broadcast, webhook mode, backups while it sends.

Unlike the SIGKILL tests (tests/test_crash.py), a clean stop must leave no delivery in an unknown
state: every row is sent (and really arrived) or pending (and never arrived), so the restart
finishes the broadcast with every subscriber getting exactly one copy.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import sys
import time
from collections import Counter

import httpx

from bot.store import Store
from tests.conftest import TOKEN, eventually
from tests.test_crash import ROOT, bot_env, received, start_bot, stop
from tests.test_webhook import SECRET, free_port

STOP_LIMIT_S = 15.0  # README: "exits 0 within 15 seconds"


def seed_broadcast(settings, chat_ids, mark):
    store = Store(settings.database_path)
    for chat_id in chat_ids:
        store.subscribe(chat_id)
    content = {"type": "text", "text": f"{mark} 설명회 안내"}
    store.create_job(f"broadcast:{mark}", "broadcast", content, chat_ids)
    store.close()


def delivery_states(db_path) -> Counter:
    store = Store(db_path)
    try:
        return Counter({state: n for state, n in store.delivery_totals().items() if n})
    finally:
        store.close()


async def sigterm(proc) -> float:
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    await asyncio.wait_for(proc.wait(), timeout=STOP_LIMIT_S + 5)
    proc.log.close()
    return time.monotonic() - start


async def test_sigterm_during_a_broadcast_then_restart_delivers_exactly_once(emu, settings, tmp_path):
    chat_ids = list(range(200_000, 200_300))
    emu.add_users(chat_ids)
    seed_broadcast(settings, chat_ids, "TERM-TEST")
    env = bot_env(emu, settings)
    log_path = tmp_path / "bot.log"
    proc = await start_bot(env, log_path)
    await eventually(lambda: sum(received(emu, chat_ids, "TERM-TEST").values()) >= 60, timeout=60,
                     what="the broadcast to be under way")
    took = await sigterm(proc)
    assert proc.returncode == 0, log_path.read_text(errors="replace")[-3000:]
    assert took < STOP_LIMIT_S
    got = received(emu, chat_ids, "TERM-TEST")
    arrived = sum(got.values())
    states = delivery_states(settings.database_path)
    assert arrived < len(chat_ids), "the stop came too late to test anything"
    assert states["sending"] == 0                          # nothing in an unknown state
    assert states["sent"] == arrived                       # recorded sent == really arrived
    assert states["pending"] == len(chat_ids) - arrived    # the rest is recorded unsent
    text = log_path.read_text(errors="replace")
    assert "Stopped cleanly" in text and "Received SIGTERM" not in text  # polling mode: PTB's own handler

    proc = await start_bot(env, log_path)
    try:
        await eventually(lambda: min(received(emu, chat_ids, "TERM-TEST").values()) >= 1, timeout=60,
                         what="the broadcast to finish after the restart")
        await asyncio.sleep(0.5)
    finally:
        await stop(proc)
    counts = received(emu, chat_ids, "TERM-TEST")
    assert set(counts.values()) == {1}, "a clean stop must not cause duplicates"
    store = Store(settings.database_path)
    job = store.recent_jobs("broadcast", 1)[0]
    assert job["status"] == "done" and store.job_counts(job["id"])["sent"] == len(chat_ids)
    store.close()
    text = log_path.read_text(errors="replace")
    assert text.count("Started sangsaeng-bot") == 2 and TOKEN not in text
    summary = next(line for line in text.splitlines() if "Started sangsaeng-bot" in line)
    assert "(polling)" in summary and "300 active subscribers" in summary and "next reminder" in summary
    assert "round 2026-1" in summary and "deadline" in summary and "PROVISIONAL: not confirmed" in summary


async def test_webhook_mode_process_answers_reports_health_and_stops_cleanly(emu, settings, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/{SECRET[:8]}"
    env = {**bot_env(emu, settings), "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": str(port),
           "LOG_FORMAT": "json"}
    log_path = tmp_path / "bot.log"
    proc = await start_bot(env, log_path)
    user = emu.user(5501, first_name="이웹훅")
    try:
        await emu.wait_until(lambda: emu.webhook is not None, timeout=30, what="setWebhook")
        async with httpx.AsyncClient(timeout=5) as http:
            health = await http.get(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        await user.send("/start")
        reply = await user.wait_reply(timeout=15)
        assert "이웹훅님" in reply.text
        check = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "healthcheck", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, _ = await check.communicate()
        assert check.returncode == 0 and b'"ok"' in out
    except BaseException:
        await stop(proc)
        raise
    took = await sigterm(proc)
    assert proc.returncode == 0 and took < STOP_LIMIT_S
    text = log_path.read_text(errors="replace")
    assert TOKEN not in text and SECRET not in text
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert entries and len(entries) == len([line for line in text.splitlines() if line.strip()])
    messages = [e["message"] for e in entries]
    assert any(m.startswith("Started sangsaeng-bot") and "(webhook " in m for m in messages)
    handled = [e for e in entries if e["logger"] == "bot.updates"]
    assert handled[0]["kind"] == "message:command" and handled[0]["handler"] == "start.start"
    assert handled[0]["outcome"] == "ok" and handled[0]["latency_ms"] > 0
    assert any(m == "Received SIGTERM: stopping (no new updates; in-flight sends finish)" for m in messages)
    assert any(m.startswith("Stopped cleanly") for m in messages)
    assert any(m.startswith("Stop stages: receiving") for m in messages)  # which stage took the time


async def test_backup_while_a_broadcast_is_sending(emu, settings, tmp_path):
    chat_ids = list(range(300_000, 302_000))
    emu.add_users(chat_ids)
    seed_broadcast(settings, chat_ids, "BACKUP-TEST")
    env = {**bot_env(emu, settings), "SEND_RATE": "150", "SEND_CONCURRENCY": "16"}
    proc = await start_bot(env, tmp_path / "bot.log")
    copies = []
    try:
        await eventually(lambda: sum(received(emu, chat_ids, "BACKUP-TEST").values()) >= 100, timeout=60,
                         what="the broadcast to be under way")
        for n in range(3):
            target = tmp_path / f"copy{n}.db"
            cli = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "backup", str(target), cwd=ROOT, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await cli.communicate()
            assert cli.returncode == 0, err.decode()
            assert out.decode().startswith("Backup OK:")
            copies.append((target, sum(received(emu, chat_ids, "BACKUP-TEST").values())))
            await asyncio.sleep(0.3)
        assert copies[-1][1] < len(chat_ids), "the broadcast ended before the backups: nothing was tested"
    finally:
        await stop(proc)
    sent_in_copies = []
    for target, _ in copies:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        states = dict(conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())
        assert sum(states.values()) == len(chat_ids)         # a consistent snapshot: every row, once
        assert conn.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == len(chat_ids)
        sent_in_copies.append(states.get("sent", 0))
        conn.close()
    assert sent_in_copies == sorted(sent_in_copies) and 0 < sent_in_copies[0] < len(chat_ids)
