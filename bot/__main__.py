"""``python -m bot``: the command line.

    python -m bot              run with TELEGRAM_BOT_TOKEN (long polling against TELEGRAM_BASE_URL)
    python -m bot start        like the above, or the local chat when no token is configured
    python -m bot chat [--admin]   talk to the real bot in this terminal through the local emulator
    python -m bot ask [--now ISO] ["질문"]  answer one question, or one per stdin line as JSON lines,
                               as the bot would at that instant (default: now)
    python -m bot faq export   print the FAQ as JSON
    python -m bot faq import FILE   validate and replace the FAQ atomically
    python -m bot data check   validate the files in data/
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

from bot import staff_texts
from bot.config import TZ, ConfigError, Settings, load_settings
from bot.core import Core
from bot.logs import setup_logging
from bot.program import DataError, deadline_confirmation, load_files

log = logging.getLogger("bot")

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set.\n"
    "  - To run on Telegram: get a token from @BotFather and put it in .env "
    "(copy .env.example) or the environment.\n"
    "  - To try the bot locally without Telegram: python -m bot chat   (or: make run)"
)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(settings: Settings) -> int:
    if not settings.has_token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    # Lazy: python-telegram-bot and the whole application (about 0.45 s more than the answering core)
    # are only needed to run the bot; `ask`, `faq` and `data check` start without them.
    from telegram import Update

    from bot.app import build_application

    setup_logging(settings.log_level, settings.token.get())
    app = build_application(settings)
    log.info("Starting long polling against %s", settings.base_url)
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout)
    return 0


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO date-time (KST when it has no offset)."""
    if value is None:
        return None
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {value!r}") from None
    return now if now.tzinfo else now.replace(tzinfo=TZ)


def cmd_ask(settings: Settings, question: str | None, now: datetime | None = None) -> int:
    setup_logging("WARNING", settings.token.get())
    core = Core(settings)
    try:
        if question is not None:
            answer = core.answer(question, now)
            d = answer.as_dict(question)
            print(d["answer"])
            print(f"\n[entry={d['entry_id']} score={d['score']:.3f} abstained={str(d['abstained']).lower()} "
                  f"kind={answer.kind}]")
            return 0
        for line in sys.stdin:
            q = line.strip()
            if not q:
                continue
            print(json.dumps(core.answer(q, now).as_dict(q), ensure_ascii=False), flush=True)
        return 0
    finally:
        core.close()


def cmd_faq(settings: Settings, action: str, path: str | None) -> int:
    setup_logging("WARNING", settings.token.get())
    core = Core(settings)
    try:
        if action == "export":
            json.dump(core.content_manager.export_faq(), sys.stdout, ensure_ascii=False, indent=2)
            print()
            return 0
        if not path:
            print("usage: python -m bot faq import FILE", file=sys.stderr)
            return 2
        try:
            n = core.content_manager.import_faq(Path(path))
        except DataError as exc:
            print(f"FAQ import rejected, nothing changed: {exc}", file=sys.stderr)
            return 1
        print(f"Imported {n} FAQ entries.")
        return 0
    finally:
        core.close()


def cmd_data_check(settings: Settings) -> int:
    try:
        content = load_files(settings.data_dir)
    except DataError as exc:
        print(f"Data error: {exc}", file=sys.stderr)
        return 1
    program = content.program
    print(f"OK: {len(content.challenges)} challenges, {len(content.faq)} FAQ entries, "
          f"{len(content.synonyms)} synonym groups, every fact with a source; round {program.round_id}, "
          f"deadline {program.deadline.isoformat()}{deadline_confirmation(program)}")
    return 0


def _guard(func, *args) -> int:
    """Data errors at start-up (no good data at all) are one clear line, not a traceback."""
    try:
        return func(*args)
    except DataError as exc:
        print(f"Data error, cannot start: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=staff_texts.CLI_DESCRIPTION)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="long polling with TELEGRAM_BOT_TOKEN")
    sub.add_parser("start", help="run with a token, else the local chat")
    chat = sub.add_parser("chat", help="chat with the bot in this terminal (local emulator)")
    chat.add_argument("--admin", action="store_true", help="act as center staff")
    ask = sub.add_parser("ask", help="answer a question (or JSON lines from stdin)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--now", type=parse_now,
                     help="answer as at this instant, e.g. 2026-12-27T10:00:00+09:00")
    faq = sub.add_parser("faq", help="export or import the FAQ")
    faq.add_argument("action", choices=["export", "import"])
    faq.add_argument("file", nargs="?")
    data = sub.add_parser("data", help="validate data files")
    data.add_argument("action", choices=["check"])
    args = parser.parse_args(argv)

    settings = _settings()
    command = args.command or "run"
    if command == "start":
        command = "run" if settings.has_token else "chat"
        args.admin = getattr(args, "admin", False)
    if command == "run":
        return _guard(cmd_run, settings)
    if command == "chat":
        # Lazy: the local chat adds the emulator (aiohttp) and the application; only this command needs them.
        from bot.chat import run_chat

        return _guard(lambda: asyncio.run(run_chat(settings, admin=getattr(args, "admin", False))))
    if command == "ask":
        return _guard(cmd_ask, settings, args.question, args.now)
    if command == "faq":
        return _guard(cmd_faq, settings, args.action, args.file)
    if command == "data":
        return cmd_data_check(settings)
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
