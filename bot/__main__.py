"""``python -m bot``: the command line.

    python -m bot              run with TELEGRAM_BOT_TOKEN (long polling against TELEGRAM_BASE_URL)
    python -m bot start        like the above, or the local chat when no token is configured
    python -m bot chat [--admin]   talk to the real bot in this terminal through the local emulator
    python -m bot ask [--now ISO] ["질문"]  answer one question, or one per stdin line as JSON lines,
                               as the bot would at that instant (default: now)
    python -m bot faq export   print the FAQ as JSON
    python -m bot faq import FILE   validate and replace the FAQ atomically
    python -m bot data check   validate the files in data/
    python -m bot backup PATH  a verified online copy of the database (PATH: a file or a directory)
    python -m bot dashboard [--host H] [--port P]   the staff dashboard (Datasette, read-only)
    python -m bot healthcheck  exit 0 if the running bot answers GET /healthz (webhook mode)
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path

from bot import kinds, staff_texts
from bot.backup import BackupError, backup
from bot.config import TZ, ConfigError, Settings, load_settings
from bot.core import Core
from bot.logs import install_excepthooks as supervise_hooks
from bot.logs import setup_logging
from bot.program import DataError, deadline_confirmation, load_files
from bot.store import StoreError

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
    setup_logging(settings.log_level, settings.token.get(), fmt=settings.log_format, secrets=settings.secrets)
    core = _open_core(settings)  # the database and the data first: a problem there is one line and status 2
    # The intent model is trained before the Telegram stack is imported: training's temporaries are freed
    # before those modules take their memory, so the two never add up (the start-up peak, ~20 MB lower).
    core.answerer  # noqa: B018
    # Lazy: python-telegram-bot and the whole application (about 0.45 s more than the answering core)
    # are only needed to run the bot; `ask`, `faq` and `data check` start without them.
    from telegram.error import InvalidToken

    from bot import supervise
    from bot.app import build_application
    from bot.webhook import WebhookSetupError, run_webhook

    app = build_application(settings, core=core)
    try:
        if settings.mode == "webhook":
            log.info("Starting in webhook mode: %s, listening on %s:%s", settings.webhook_url,
                     settings.webhook_listen, settings.webhook_port)
            run_webhook(app, settings)
            return 0
        log.info("Starting long polling against %s", settings.base_url)
        return supervise.run(app, settings)  # a token rejected later ends the process (status 2)
    except InvalidToken as exc:
        print(supervise.rejected_token_line(settings, "getMe", exc), file=sys.stderr)
        return 2
    except WebhookSetupError as exc:
        print(f"{exc}. Check the URL (https, port 443, 80, 88 or 8443) and that it reaches this bot.",
              file=sys.stderr)
        return 2


def _open_core(settings: Settings, patience: float = 60.0) -> Core:
    """Open the store and the data; a lock another process holds at start is waited out."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return Core(settings)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            log.warning("Database %s is locked by another process; waiting", settings.database_path)
            time.sleep(1.0)


def cmd_backup(settings: Settings, target: str) -> int:
    try:
        result = backup(settings.database_path, target)
    except BackupError as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(result.describe())
    return 0


def cmd_dashboard(settings: Settings, host: str, port: int) -> int:
    # Lazy: Datasette is an optional extra and only this command needs it.
    from bot.dashboard import DashboardError, serve

    try:
        return serve(settings, host=host, port=port)
    except DashboardError as exc:
        print(exc, file=sys.stderr)
        return exc.status


def cmd_healthcheck(settings: Settings) -> int:
    """For container health checks: in webhook mode ask /healthz; polling mode has no endpoint."""
    if settings.mode != "webhook":
        print("polling mode: no health endpoint (the process supervisor restarts a bot that exits)")
        return 0
    import urllib.error
    import urllib.request

    host = "127.0.0.1" if settings.webhook_listen in ("0.0.0.0", "::", "") else settings.webhook_listen  # noqa: S104
    url = f"http://{host}:{settings.webhook_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a fixed http URL
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as exc:
        print(f"unhealthy: {exc.code} {exc.read().decode(errors='replace')}")
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}")
    return 1


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
    except Exception as exc:  # a checker never shows a traceback; DataError should cover every case
        print(f"Data error: {type(exc).__name__}: {str(exc)[:500]}", file=sys.stderr)
        return 1
    kinds_ok, kinds_line = kinds.check(settings.data_dir)
    if not kinds_ok:
        print(f"Data error: {kinds_line}", file=sys.stderr)
        return 1
    program = content.program
    print(f"OK: {len(content.challenges)} challenges, {len(content.faq)} FAQ entries, "
          f"{len(content.synonyms)} synonym groups, every fact with a source; round {program.round_id}, "
          f"deadline {program.deadline.isoformat()}{deadline_confirmation(program)}")
    print(kinds_line)
    return 0


def _guard(func, *args) -> int:
    """Data errors at start-up (no good data at all) and an unusable database are one clear line
    (naming the file), not a traceback."""
    try:
        return func(*args)
    except DataError as exc:
        print(f"Data error, cannot start: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"Database error, cannot start: {exc}", file=sys.stderr)
        return 2
    except sqlite3.OperationalError as exc:
        print(f"Database error: {exc} (another process holds it?); try again", file=sys.stderr)
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
    bak = sub.add_parser("backup", help="verified online copy of the database")
    bak.add_argument("path", help="backup file, or a directory for a timestamped file")
    dash = sub.add_parser("dashboard", help="staff dashboard (Datasette, read-only, password)")
    dash.add_argument("--host", default="127.0.0.1")
    dash.add_argument("--port", type=int, default=8001)
    sub.add_parser("healthcheck", help="exit 0 if the running bot is healthy (webhook mode)")
    args = parser.parse_args(argv)

    settings = _settings()
    supervise_hooks(settings.secrets)  # no traceback may show the token (or any other secret)
    command = args.command or "run"
    if command == "start":
        command = "run" if settings.has_token else "chat"
        args.admin = getattr(args, "admin", False)
    if command == "run":
        return _guard(cmd_run, settings)
    if command == "chat":
        # Lazy: the local chat adds an event loop, the emulator (aiohttp) and the application; only this
        # command needs them (asyncio alone costs `ask` ~55 ms).
        import asyncio

        from bot.chat import run_chat

        return _guard(lambda: asyncio.run(run_chat(settings, admin=getattr(args, "admin", False))))
    if command == "ask":
        return _guard(cmd_ask, settings, args.question, args.now)
    if command == "faq":
        return _guard(cmd_faq, settings, args.action, args.file)
    if command == "data":
        return cmd_data_check(settings)
    if command == "backup":
        return cmd_backup(settings, args.path)
    if command == "dashboard":
        return cmd_dashboard(settings, args.host, args.port)
    if command == "healthcheck":
        return cmd_healthcheck(settings)
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
