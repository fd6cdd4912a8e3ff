"""Delivery benchmark: a reminder and a staff broadcast to N subscribers (default 10,000) through the
emulator enforcing Telegram's pace (30 messages/s overall, 1/s per chat).

    python bench/delivery.py                       # both scenarios, 10,000 subscribers (~12 minutes)
    python bench/delivery.py --recipients 2000 --scenario broadcast

The bot runs as a real subprocess (`python -m bot run`) with its default pacing; this process runs
the emulator. Printed: achieved rate as a fraction of the cap, 429s provoked by our own pacing,
lost and duplicate messages, time to first delivery, the bot's peak memory (VmHWM, and resident
anonymous/file-backed memory at the end), and, during the broadcast, the answer latency of a user
asking questions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import TZ  # noqa: E402
from bot.store import Store  # noqa: E402
from tgemu import RateLimits, TelegramEmulator  # noqa: E402

TOKEN = "424242:BENCH-token-secret"
STAFF = 4_000_001
ASKER = 4_000_002
FIRST_CHAT = 1_000_000
SENDING = ("sendmessage", "copymessage", "sendphoto", "senddocument")


def proc_memory(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key = line.split(":")[0]
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                    out[key] = int(line.split()[1]) // 1024
    except FileNotFoundError:
        pass
    return out


class Counter2:
    """Counts deliveries per chat as they happen (O(1) per message, so the emulator stays responsive)."""

    def __init__(self, emu, needle: str) -> None:
        self.needle = needle
        self.per_chat: Counter = Counter()
        emu.on_bot_message = self.on_message

    def on_message(self, chat_id, message, edited) -> None:
        if not edited and self.needle in (message.text or ""):
            self.per_chat[chat_id] += 1

    def complete(self, chat_ids) -> bool:
        return len(self.per_chat) >= len(chat_ids) and all(self.per_chat[c] for c in chat_ids)


class Run:
    def __init__(self, recipients: int, cap: float, tmp: Path, cache_dir: Path | None = None) -> None:
        self.n = recipients
        self.cache_dir = cache_dir
        self.cap = cap
        self.tmp = tmp
        self.chat_ids = list(range(FIRST_CHAT, FIRST_CHAT + recipients))
        self.data_dir = tmp / "data"
        shutil.copytree(ROOT / "data", self.data_dir, ignore=shutil.ignore_patterns("*.db*"))
        self.db = tmp / "bench.db"

    def env(self, emu) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BOT_ENV_FILE": "/nonexistent",
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": emu.base_url, "DATABASE_PATH": str(self.db),
            "DATA_DIR": str(self.data_dir), "ADMIN_IDS": str(STAFF), "LOG_LEVEL": "WARNING", "POLL_TIMEOUT": "1",
            **({"CACHE_DIR": str(self.cache_dir)} if self.cache_dir else {}),
        }

    def seed(self) -> None:
        store = Store(self.db)
        with store.atomic():
            for chat_id in self.chat_ids:
                store.conn.execute(
                    "INSERT OR IGNORE INTO subscribers (chat_id, status, subscribed_at, updated_at) "
                    "VALUES (?, 'active', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')", (chat_id,))
        store.close()

    def set_deadline(self, deadline: datetime) -> None:
        """Deadline moved so that only the "last call" slot (3 h before) fires, a few seconds from now."""
        path = self.data_dir / "program.yaml"
        program = yaml.safe_load(path.read_text(encoding="utf-8"))
        program["application"]["deadline"] = deadline.isoformat()
        program["reminders"] = [{"id": "last_call", "hours_before": 3}]
        path.write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")


@contextlib.asynccontextmanager
async def bot_process(run: Run, emu, log_path: Path):
    """The bot as a subprocess against ``emu``; yields the list its memory samples go to."""
    with open(log_path, "wb") as log:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT,
                                                    env=run.env(emu), stdout=log, stderr=log)
        mem: list = []
        watcher = asyncio.create_task(watch_memory(proc.pid, mem))
        try:
            yield mem
        finally:
            watcher.cancel()
            proc.terminate()
            await proc.wait()


async def watch_memory(pid: int, samples: list) -> None:
    while True:
        samples.append(proc_memory(pid))
        await asyncio.sleep(0.5)


def tally(emu, chat_ids, needle):
    return Counter({c: sum(1 for m in emu.messages_to(c) if needle in (m.text or "")) for c in chat_ids})


async def wait_all(counter, chat_ids, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if counter.complete(chat_ids):
            return True
        await asyncio.sleep(0.5)
    return False


def delivery_times(emu, chat_ids, needle) -> list[float]:
    """Monotonic times of the successful message calls that delivered ``needle`` to recipients."""
    wanted = set(chat_ids)
    out = []
    for call in emu.calls:
        if call.status == 200 and call.method.lower() in ("sendmessage", "copymessage"):
            chat = call.params.get("chat_id")
            try:
                chat = int(chat)
            except (TypeError, ValueError):
                continue
            if chat in wanted:
                out.append(call.time)
    return sorted(out)


def started_sample(mem: list) -> int:
    """How many memory samples were taken before the scenario marked its start (see mark_start)."""
    return next((i for i, m in enumerate(mem) if m.get("mark")), len(mem))


def mark_start(mem: list) -> None:
    mem.append({"mark": 1})


def report(title, run, emu, needle, started, mem, extra=None):
    counts = tally(emu, run.chat_ids, needle)
    lost = sum(1 for v in counts.values() if v == 0)
    dups = sum(v - 1 for v in counts.values() if v > 1)
    times = delivery_times(emu, run.chat_ids, needle)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    # The cap is shared by every message the bot sends (interactive replies too), so count them all.
    all_sends = [c.time for c in emu.calls if c.status == 200 and c.method.lower() in SENDING
                 and times and times[0] <= c.time <= times[-1]]
    total_rate = (len(all_sends) - 1) / span if span else 0.0
    hwm = max((m.get("VmHWM", 0) for m in mem), default=0)
    last = next((m for m in reversed(mem) if m and "mark" not in m), {})
    at_start = next((m.get("VmHWM", 0) for m in reversed(mem[:started_sample(mem)]) if m), 0)
    print(f"\n== {title}: {run.n:,} recipients, emulator cap {run.cap:.0f} msg/s (1/s per chat) ==")
    print(f"delivered            {len(times):,}")
    print(f"achieved rate        {total_rate:.2f} msg/s = {total_rate / run.cap:.3f} of the cap (all bot messages, "
          f"first to last delivery); to recipients alone {rate:.2f} msg/s")
    limited = [c for c in emu.calls if c.status == 429]
    where = Counter("staff/asker" if str(c.params.get("chat_id")) in (str(STAFF), str(ASKER)) else "recipients"
                    for c in limited)
    print(f"429s provoked        {emu.rate_limited_count}" + (f" ({dict(where)})" if limited else ""))
    print(f"lost                 {lost}")
    print(f"duplicates           {dups}")
    if times:
        print(f"time to first        {times[0] - started:.2f} s")
        print(f"total time           {times[-1] - started:.1f} s")
    print(f"bot peak memory      VmHWM {hwm} MB ({at_start} MB before the sending began); at the end RSS {last.get('VmRSS')} MB "
          f"(anonymous {last.get('RssAnon')} MB, file-backed {last.get('RssFile')} MB)")
    for k, v in (extra or {}).items():
        print(f"{k:<21}{v}")


async def scenario_reminder(args, tmp: Path) -> None:
    run = Run(args.recipients, args.cap, tmp / "reminder", args.cache_dir)
    run.seed()
    deadline = (datetime.now(TZ) + timedelta(hours=3, seconds=8)).replace(microsecond=0)
    run.set_deadline(deadline)
    slot_wall = deadline - timedelta(hours=3)
    async with TelegramEmulator(token=TOKEN) as emu:
        emu.add_users(run.chat_ids)
        emu.rate_limits = RateLimits(global_per_second=args.cap, per_chat_per_second=1.0)
        counter = Counter2(emu, "신청 마감 알림")
        async with bot_process(run, emu, tmp / "reminder.log") as mem:
            await asyncio.sleep(5)  # start-up done (the slot is 8 s away)
            mark_start(mem)
            # the "last call" slot fires 3 h before the deadline; its instant on the monotonic clock:
            slot_time = time.monotonic() + (slot_wall - datetime.now(TZ)).total_seconds()
            ok = await wait_all(counter, run.chat_ids, timeout=run.n / args.cap * 2 + 120)
            await asyncio.sleep(2)
        report("Reminder (last call slot)", run, emu, "신청 마감 알림", slot_time, mem,
               {"completed": ok, "started": "time is from the slot's scheduled instant"})


async def scenario_broadcast(args, tmp: Path) -> None:
    run = Run(args.recipients, args.cap, tmp / "broadcast", args.cache_dir)
    run.seed()
    async with TelegramEmulator(token=TOKEN) as emu:
        emu.add_users(run.chat_ids)
        staff = emu.user(STAFF, first_name="센터")
        asker = emu.user(ASKER, first_name="질문자")
        emu.rate_limits = RateLimits(global_per_second=args.cap, per_chat_per_second=1.0)
        latencies = []
        counter = Counter2(emu, "BENCH")
        async with bot_process(run, emu, tmp / "broadcast.log") as mem:
            await staff.send("/start")
            await staff.wait_reply(timeout=30)
            await staff.send("/broadcast")
            await staff.wait_reply(timeout=10)
            await staff.send_html("<b>BENCH</b> 설명회 안내")
            _, confirm = await staff.wait_messages(2, timeout=10)
            mark_start(mem)
            started = time.monotonic()
            await staff.press(confirm, text="보내기")
            # a user keeps asking questions while the broadcast runs
            questions = ["마감 언제예요", "3억이면 우리 부담금은?", "LG전자 과제 뭐예요", "서류 뭐 필요해요"]
            i = 0
            while not counter.complete(run.chat_ids):
                asker.mark_read()
                t = time.monotonic()
                await asker.send(questions[i % len(questions)])
                await asker.wait_reply(timeout=30)
                latencies.append((time.monotonic() - t) * 1000)
                i += 1
                await asyncio.sleep(1.5)
            await asyncio.sleep(2)
        lat = sorted(latencies)
        extra = {}
        if lat:
            extra["answer latency"] = (f"p50 {statistics.median(lat):.0f} ms, p95 {lat[int(0.95 * (len(lat) - 1))]:.0f} ms, "
                                       f"max {lat[-1]:.0f} ms over {len(lat)} questions during the broadcast")
        report("Broadcast (staff /broadcast -> 보내기)", run, emu, "BENCH", started, mem, extra)


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--cap", type=float, default=30.0, help="emulator's enforced messages/s")
    parser.add_argument("--scenario", choices=["reminder", "broadcast", "both"], default="both")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="keep the bot's analyses here between runs (a later start); default: a fresh "
                             "folder beside each run's database (the first start)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.scenario in ("reminder", "both"):
            await scenario_reminder(args, Path(tmp))
        if args.scenario in ("broadcast", "both"):
            await scenario_broadcast(args, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
