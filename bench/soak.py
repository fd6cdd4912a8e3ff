"""Fault soak: a staff broadcast and a reminder slot to N subscribers (default 2,000 each) while the
emulator injects 429s, 5xx answers, timeouts and dropped connections, and another process takes the
SQLite write lock now and then; a user asks a question every 1.5 s throughout.

    python bench/soak.py                      # 2,000 recipients, ~4 minutes
    python bench/soak.py --recipients 500 --seed 3

The bot runs as a real subprocess (`python -m bot run`) with SEND_TIMEOUT=2 (so a 3 s delay is a
timeout); the emulator enforces Telegram's pace (30 messages/s, 1/s per chat). Printed: delivered,
lost (must be 0), duplicates and the README's bound for them (one extra copy at most per attempt
whose outcome was unknown: a timeout or a connection dropped mid-request), the faults injected, the
lock episodes, and the reply times of the user asking (p50/p95/max).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.delivery import ASKER, STAFF, TOKEN, Counter2, Run  # noqa: E402
from bot.config import TZ  # noqa: E402
from tgemu import RateLimits, TelegramEmulator  # noqa: E402

SEND_TIMEOUT = 2.0
SENDS = ("sendMessage", "copyMessage")
LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
conn.execute("BEGIN IMMEDIATE")
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def chaos(emu, rate: float) -> list:
    """Faults on every message-sending call (bulk and replies alike) and a few on polling."""
    rules = []
    for method in SENDS:
        rules += [
            emu.inject(method, status=429, retry_after=1, times=None, probability=rate),
            emu.inject(method, status=502, times=None, probability=rate),
            emu.inject(method, status=500, times=None, probability=rate / 2),
            # an answer that never comes back in time, although the message was delivered
            emu.inject(method, delay=SEND_TIMEOUT + 1.0, times=None, probability=rate / 2),
            # a connection dropped mid-request (not delivered)
            emu.inject(method, drop=True, times=None, probability=rate),
            # slow, but in time
            emu.inject(method, delay=0.5, times=None, probability=rate),
        ]
    rules.append(emu.inject("getUpdates", status=502, times=None, probability=0.02))
    return rules


async def lock_now_and_then(db: Path, stop: asyncio.Event, rng: random.Random, episodes: list) -> None:
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), rng.uniform(8, 15))
            return
        except TimeoutError:
            pass
        hold = rng.uniform(2.0, 7.0)
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", LOCKER, str(db), f"{hold:.1f}")
        await proc.wait()
        episodes.append(hold)


class Asker:
    """A user asking `/calc <amount>` every 1.5 s; the reply names the amount, so a late duplicate
    of an earlier answer is never mistaken for the answer to the current question."""

    def __init__(self, user) -> None:
        self.user = user
        self.latencies: list[float] = []
        self.missing = 0

    async def run(self, stop: asyncio.Event) -> None:
        i = 0
        while not stop.is_set():
            amount = 100_000_000 + 10_000 * i
            i += 1
            started = time.monotonic()
            await self.user.send(f"/calc {amount:,}원")
            try:
                await self.user._emu.wait_until(
                    lambda a=amount: any(f"{a:,}원" in (m.text or "") for m in self.user.inbox), timeout=30)
                self.latencies.append(time.monotonic() - started)
            except TimeoutError:
                self.missing += 1
            await asyncio.sleep(1.5)


def fault_counts(emu, recipients: set[int]) -> dict[str, int]:
    """What the chaos did to sends to recipients: unknown outcomes are timeouts and dropped connections."""
    counts: Counter = Counter()
    for call in emu.calls:
        if call.method not in SENDS:
            continue
        try:
            chat = int(call.params.get("chat_id"))
        except (TypeError, ValueError):
            continue
        if chat not in recipients:
            continue
        if call.dropped:
            counts["dropped"] += 1
        elif call.status == 429:
            counts["429"] += 1
        elif call.status >= 500:
            counts["5xx"] += 1
    return dict(counts)


async def soak(args, tmp: Path) -> int:
    rng = random.Random(args.seed)
    run = Run(args.recipients, 30.0, tmp)
    run.seed()
    deadline = (datetime.now(TZ) + timedelta(hours=3, seconds=20)).replace(microsecond=0)
    run.set_deadline(deadline)  # the "last call" slot fires 20 s after start
    recipients = set(run.chat_ids)
    async with TelegramEmulator(token=TOKEN) as emu:
        emu.fault_random = random.Random(args.seed)
        emu.add_users(run.chat_ids)
        emu.rate_limits = RateLimits(global_per_second=30, per_chat_per_second=1.0)
        staff, asker = emu.user(STAFF, first_name="센터"), emu.user(ASKER, first_name="질문자")
        reminder_count = Counter2(emu, "신청 마감 알림")

        def broadcast_counts() -> Counter:
            return Counter({c: sum(1 for m in emu.messages_to(c) if "SOAK" in (m.text or "")) for c in run.chat_ids})

        env = {**run.env(emu), "LOG_LEVEL": "INFO", "SEND_TIMEOUT": str(SEND_TIMEOUT)}
        log_path = tmp / "bot.log"
        with open(log_path, "wb") as log:
            proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                                                        stdout=log, stderr=log)
            stop = asyncio.Event()
            episodes: list[float] = []
            try:
                await staff.send("/start")
                await staff.wait_reply(timeout=60)
                started = time.monotonic()
                chaos(emu, args.fault_rate)
                locker = asyncio.create_task(lock_now_and_then(run.db, stop, rng, episodes))
                questions = Asker(asker)
                asking = asyncio.create_task(questions.run(stop))
                staff.mark_read()
                await staff.send("/broadcast")
                await staff.wait_reply(timeout=30)
                await staff.send_html("<b>SOAK</b> 설명회 안내")
                _, confirm = await staff.wait_messages(2, timeout=30)
                await staff.press(confirm, text="보내기")

                limit = time.monotonic() + args.recipients * 2 / 25 + 300
                while time.monotonic() < limit:
                    if reminder_count.complete(run.chat_ids) and all(broadcast_counts().values()):
                        break
                    await asyncio.sleep(2)
                finished = time.monotonic()
                await asyncio.sleep(SEND_TIMEOUT + 3)  # late copies of timed-out sends land now
                stop.set()
                await asyncio.gather(locker, asking)
            finally:
                stop.set()
                proc.terminate()
                code = await proc.wait()
        emu.clear_faults()
        text = log_path.read_text(errors="replace")
        broadcast = broadcast_counts()
        reminder = Counter({c: reminder_count.per_chat.get(c, 0) for c in run.chat_ids})
        faults = fault_counts(emu, recipients)
    timed_out = text.count(": outcome unknown")  # the outbox's line for a recipient's send
    lost = sum(1 for n in broadcast.values() if n == 0) + sum(1 for n in reminder.values() if n == 0)
    dups = sum(n - 1 for n in broadcast.values() if n > 1) + sum(n - 1 for n in reminder.values() if n > 1)
    delivered = sum(broadcast.values()) + sum(reminder.values())
    lat = sorted(questions.latencies)
    print(f"\n== Fault soak: broadcast + reminder slot to {args.recipients:,} subscribers each "
          f"(emulator: 30 msg/s, 1/s per chat; fault rate {args.fault_rate:.1%} per kind; seed {args.seed}) ==")
    print(f"delivered            {delivered:,} of {2 * args.recipients:,} in {finished - started:.0f} s")
    print(f"lost                 {lost}")
    print(f"duplicates           {dups} (bound: attempts with an unknown outcome = {timed_out}; "
          f"{'within' if dups <= timed_out else 'OVER'} the bound)")
    print(f"faults on recipients 429: {faults.get('429', 0)}, 5xx: {faults.get('5xx', 0)}, "
          f"dropped connections: {faults.get('dropped', 0)}, timeouts (delivered late): "
          f"{max(0, timed_out - faults.get('dropped', 0))}")
    print(f"429s by pacing       {emu.rate_limited_count} (the emulator's own 30/s and 1/s-per-chat limits, "
          f"staff and asker included)")
    print(f"write-lock episodes  {len(episodes)}: {', '.join(f'{h:.1f} s' for h in episodes)}")
    print(f"bot stalls logged    {text.count('sending paused')} (resumed {text.count('sending resumed')})")
    if lat:
        print(f"reply time           p50 {statistics.median(lat):.2f} s, p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} s, "
              f"max {lat[-1]:.2f} s over {len(lat)} questions ({questions.missing} unanswered within 30 s)")
    print(f"bot exit status      {code}; tracebacks in its log: {text.count('Traceback')}; "
          f"token in its log: {TOKEN.partition(':')[2] in text}")
    return 0 if lost == 0 and dups <= timed_out and questions.missing == 0 else 1


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--fault-rate", type=float, default=0.01, help="probability of each fault kind per send")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        return await soak(args, Path(tmp))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(asyncio.run(main()))
