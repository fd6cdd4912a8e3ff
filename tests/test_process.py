"""The bot as a real process (`python -m bot run`) against the emulator in this process, where the
item is about the process: another process holding the SQLite write lock longer than the busy
timeout, an I/O error at the file-system level (a file-size limit on the bot process, as a full disk
looks to SQLite), a flood from one user, tokens Telegram rejects, and databases it cannot use."""

from __future__ import annotations

import asyncio
import ctypes
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from bot.store import Store
from tests.conftest import ADMIN_ID, TOKEN

ROOT = Path(__file__).resolve().parent.parent
SECRET = TOKEN.partition(":")[2]
LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")          # the write lock, as a backup or a manual edit would hold it
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def bot_env(emu, settings, **extra) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BOT_ENV_FILE": "/nonexistent",
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url if emu else "http://127.0.0.1:9/bot",
        "DATABASE_PATH": str(settings.database_path), "DATA_DIR": str(settings.data_dir),
        "ADMIN_IDS": str(ADMIN_ID), "LOG_LEVEL": "INFO", "POLL_TIMEOUT": "1",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


class BotProcess:
    """`python -m bot run` with its output read through a pipe (never a file: see the I/O error test)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, env: dict[str, str], **kwargs) -> BotProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, **kwargs)
        return cls(proc)

    async def _read(self) -> None:
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def count(self, needle: str) -> int:
        return sum(needle in line for line in self.lines)

    async def wait_exit(self, timeout: float) -> int:
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await asyncio.wait_for(self._reader, 5)
        return code

    async def stop(self) -> int:
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                return await self.wait_exit(20)
            except TimeoutError:
                self.proc.kill()
        return await self.wait_exit(20)


def seed(settings, chat_ids) -> None:
    store = Store(settings.database_path)
    with store.atomic():
        for chat_id in chat_ids:
            store.conn.execute(
                "INSERT OR IGNORE INTO subscribers (chat_id, status, subscribed_at, updated_at) "
                "VALUES (?, 'active', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')", (chat_id,))
    store.close()


def tally(emu, chat_ids, needle) -> Counter:
    return Counter({c: sum(1 for m in emu.messages_to(c) if needle in (m.text or "")) for c in chat_ids})


async def ask(user, question: str, timeout: float = 20.0) -> float:
    """Seconds until the bot answers ``question``."""
    user.mark_read()
    started = time.monotonic()
    await user.send(question)
    await user.wait_reply(timeout=timeout)
    return time.monotonic() - started


async def broadcast(staff, text: str) -> None:
    staff.mark_read()
    await staff.send("/broadcast")
    await staff.wait_reply(timeout=10)
    await staff.send(text)
    _, confirm = await staff.wait_messages(2, timeout=10)
    await staff.press(confirm, text="보내기")


def progress_texts(staff) -> list[str]:
    return [m.text or "" for m in staff.inbox]


async def test_a_lock_a_full_disk_and_a_flood_slow_only_what_needs_them(emu, settings):
    staff, asker = emu.user(ADMIN_ID), emu.user(5001)
    others = [emu.user(5100 + i) for i in range(5)]
    flooder = emu.user(5200)
    chat_ids = list(range(300_000, 300_100))
    emu.add_users(chat_ids)
    seed(settings, chat_ids)
    bot = await BotProcess.start(bot_env(emu, settings, SEND_RATE=50))
    locker = None
    try:
        await ask(asker, "마감 언제예요", timeout=60)  # ready

        # 1. One user floods: 60 messages at once. The others are answered at once (each chat has its
        #    own lane: the flooder's 1.1 s pacing holds no shared worker); flood control answers at
        #    most a burst, tells the flooder once to slow down, and ignores the rest.
        for i in range(60):
            await flooder.send(f"마감 언제예요 {i}")
        latencies = [await ask(u, "지원 금액이 얼마예요") for u in others]
        assert max(latencies) < 1.0, latencies
        await emu.wait_until(lambda: any("너무 빠르게" in (m.text or "") for m in flooder.inbox), timeout=5,
                             what="the flood notice, ahead of the flooder's queued answers")

        # 2. Another process holds the write lock for 7 s (the old busy timeout was 5 s) mid-broadcast.
        await broadcast(staff, "LOCK-TEST 공지")
        await emu.wait_until(lambda: sum(tally(emu, chat_ids, "LOCK-TEST").values()) >= 30, timeout=20,
                             what="the broadcast to start")
        locker = await asyncio.create_subprocess_exec(
            sys.executable, "-c", LOCKER, str(settings.database_path), "7", stdout=subprocess.PIPE)
        assert (await locker.stdout.readline()).strip() == b"locked"
        locked_at = time.monotonic()
        questions = ("마감 언제예요", "LG전자 과제 뭐예요", "서류 뭐 필요해요")
        during = [await ask(u, q) for u, q in zip(others, questions, strict=False)]
        assert max(during) < 1.5, during  # a question needs no write: the lock must not slow it
        await emu.wait_until(lambda: any("멈췄어요" in t and "잠겨" in t for t in progress_texts(staff)),
                             timeout=6.5 - (time.monotonic() - locked_at),  # progress is edited every 3 s
                             what="the progress message to say the broadcast is stalled, and why")
        assert sum(tally(emu, chat_ids, "LOCK-TEST").values()) < len(chat_ids)
        await asyncio.wait_for(locker.wait(), 20)
        await emu.wait_until(lambda: all(n == 1 for n in tally(emu, chat_ids, "LOCK-TEST").values()),
                             timeout=30, what="the broadcast to resume and finish after the lock")
        await emu.wait_until(lambda: any("발송 완료" in t and "성공" in t for t in progress_texts(staff)),
                             timeout=10, what="the final report")

        # 3. The disk "fills up" (no write may grow a file: SQLite gets I/O errors), then space is freed.
        await broadcast(staff, "DISK-TEST 공지")
        await emu.wait_until(lambda: sum(tally(emu, chat_ids, "DISK-TEST").values()) >= 30, timeout=20,
                             what="the second broadcast to start")
        psutil.Process(bot.proc.pid).rlimit(psutil.RLIMIT_FSIZE, (4096, psutil.RLIM_INFINITY))
        await emu.wait_until(lambda: bot.count("sending paused (io_error)") == 1, timeout=8,
                             what="the disk stall")
        stalled = sum(tally(emu, chat_ids, "DISK-TEST").values())
        await asyncio.sleep(1.5)
        assert sum(tally(emu, chat_ids, "DISK-TEST").values()) <= stalled + 8  # at most what was in flight
        assert await ask(asker, "마감 언제예요") < 1.5
        psutil.Process(bot.proc.pid).rlimit(psutil.RLIMIT_FSIZE, (psutil.RLIM_INFINITY,) * 2)
        await emu.wait_until(lambda: all(n == 1 for n in tally(emu, chat_ids, "DISK-TEST").values()),
                             timeout=30, what="the broadcast to resume after space was freed")
        assert bot.proc.returncode is None  # alive all along
    finally:
        if locker is not None and locker.returncode is None:
            locker.kill()
        code = await bot.stop()
    assert code == 0, bot.output[-3000:]
    assert TOKEN not in bot.output and SECRET not in bot.output
    notices = [m for m in flooder.inbox if "너무 빠르게" in (m.text or "")]
    assert len(notices) == 1 and len(flooder.inbox) <= 11, [(m.text or "")[:20] for m in flooder.inbox]
    # each stall logged once (with its traceback), its end too; nothing else at ERROR
    errors = [line for line in bot.lines if " ERROR " in line or " CRITICAL " in line]
    assert len(errors) == 2, errors
    assert "paused (locked)" in errors[0] and "paused (io_error)" in errors[1], errors
    assert bot.count("sending resumed") == 2


async def test_rejected_tokens_end_the_process_with_one_line(emu, settings):
    # 401 at start: a wrong token; 404 at start: a wrong TELEGRAM_BASE_URL path
    wrong = bot_env(emu, settings, TELEGRAM_BOT_TOKEN="123456:WRONG-secret-TOKEN-zzzzzz")  # noqa: S106
    wrong_path = bot_env(emu, settings, TELEGRAM_BASE_URL=emu.base_url.replace("/bot", "/api/bot"),
                         DATABASE_PATH=settings.database_path.with_name("second.db"))
    starts = [await BotProcess.start(env) for env in (wrong, wrong_path)]
    codes = await asyncio.gather(*(bot.wait_exit(60) for bot in starts))
    for bot, code, status in zip(starts, codes, ("Unauthorized", "Not Found"), strict=True):
        assert code == 2, bot.output[-2000:]
        last = bot.lines[-1]
        assert last.startswith("TELEGRAM_BOT_TOKEN"), bot.output[-2000:]
        assert status in last and "getMe" in last, last
        assert "Traceback" not in bot.output
        assert "WRONG-secret" not in bot.output and SECRET not in bot.output

    # Passing polling errors are retried; a token rejected later (401 on getUpdates) ends the process.
    user = emu.user(5301)
    bot = await BotProcess.start(bot_env(emu, settings))
    try:
        await ask(user, "마감 언제예요", timeout=60)
        emu.inject("getUpdates", status=502, times=2)
        emu.inject("getUpdates", drop=True, times=1)
        assert await ask(user, "지원 금액이 얼마예요", timeout=20) < 15
        emu.inject("getUpdates", status=401, description="Unauthorized", times=None)
        code = await bot.wait_exit(30)
    finally:
        emu.clear_faults()
        await bot.stop()
    assert code == 2
    last = bot.lines[-1]
    assert last.startswith("TELEGRAM_BOT_TOKEN") and "getUpdates" in last, bot.output[-2000:]
    assert "Traceback" not in bot.output and "Task was destroyed" not in bot.output
    assert SECRET not in bot.output


def _drop_file_permission_override() -> None:
    """As root, drop the capabilities that ignore file modes (the read-only case then holds for root too)."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: gone after exec


def _unusable_database(tmp_path: Path, case: str) -> Path:
    if case == "corrupt":
        path = tmp_path / "corrupt.db"
        path.write_bytes(b"this is not a database" * 500)
    elif case == "missing folder":
        (tmp_path / "a-file").write_text("x")
        path = tmp_path / "a-file" / "sub" / "bot.db"  # its folder cannot be created
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        path = folder / "bot.db"
        Store(path).close()
        os.chmod(path, 0o444)
        os.chmod(folder, 0o555)  # noqa: S103 - read-only for its owner too
        probe = subprocess.run([sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"],
                               capture_output=True, preexec_fn=_drop_file_permission_override)
        if probe.returncode == 0:
            pytest.skip("root here cannot give up its right to ignore file modes")
    return path


@pytest.mark.parametrize("case, says", [
    ("read-only", "read-only"),
    ("corrupt", "not a SQLite database or is corrupt"),
    ("missing folder", "cannot create its folder"),
])
def test_database_problems_at_start_are_one_line_and_status_2(tmp_path, settings, case, says):
    path = _unusable_database(tmp_path, case)
    try:
        env = bot_env(None, settings, DATABASE_PATH=path)
        result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, text=True,
                                capture_output=True, timeout=60, preexec_fn=_drop_file_permission_override)
    finally:
        if case == "read-only":
            os.chmod(path.parent, 0o755)  # noqa: S103
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-2000:]
    assert lines[-1].startswith("Database error") and str(path) in lines[-1] and says in lines[-1], lines[-1]
    assert "Traceback" not in result.stderr
    if case == "read-only":
        with sqlite3.connect(path) as conn:  # untouched
            assert conn.execute("PRAGMA user_version").fetchone()[0] > 0


@pytest.fixture(autouse=True)
def _no_stray_faults(emu):
    yield
    emu.clear_faults()

