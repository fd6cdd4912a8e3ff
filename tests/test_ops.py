"""Operations: deployment settings, JSON logs, the backup command, the CLI's refusals."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.backup import BackupError, backup, resolve_target
from bot.config import ConfigError, load_settings
from bot.logs import setup_logging
from bot.store import Store
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parent.parent
SECRET = "0123456789abcdef-_XYZ"


def load(tmp_path, **env):
    return load_settings(env, env_file=tmp_path / "absent.env")


def run_cli(*args, env, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", **env},
    )


# -- settings -----------------------------------------------------------------------------------------
def test_webhook_settings_and_defaults(tmp_path):
    s = load(tmp_path)
    assert s.mode == "polling" and s.webhook_listen == "127.0.0.1" and s.webhook_port == 8443
    assert s.log_format == "text" and not s.dashboard_password
    s = load(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.org/tg/hook-path",
             WEBHOOK_SECRET=SECRET, WEBHOOK_PORT="9000", WEBHOOK_LISTEN="0.0.0.0", LOG_FORMAT="JSON",
             DASHBOARD_PASSWORD="long-enough")
    assert s.mode == "webhook" and s.webhook_path == "/tg/hook-path" and s.webhook_port == 9000
    assert s.webhook_listen == "0.0.0.0" and s.log_format == "json"
    assert SECRET not in repr(s) and "long-enough" not in repr(s) and TOKEN not in repr(s)
    assert {TOKEN, SECRET, "long-enough"} <= set(s.secrets)


@pytest.mark.parametrize(
    ("env", "variable", "hint"),
    [
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET", "secrets.token_urlsafe"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET",
         "16-256"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": SECRET + ":"}, "WEBHOOK_SECRET",
         "A-Z"),
        ({"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL", "https://"),
        ({"WEBHOOK_URL": "bot.example.org/hook", "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL", "https://"),
        ({"WEBHOOK_URL": "https://x.org/h?a=1", "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL", "query"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT", "between"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT", "text, json"),
        ({"DASHBOARD_PASSWORD": "abc"}, "DASHBOARD_PASSWORD", "at least 8"),
    ],
)
def test_deployment_settings_errors_name_the_variable(tmp_path, env, variable, hint):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, **env)
    assert info.value.variable == variable and hint in str(info.value)


def test_loopback_http_webhook_is_allowed_for_local_proxies(tmp_path):
    s = load(tmp_path, WEBHOOK_URL="http://127.0.0.1:8443/hook", WEBHOOK_SECRET=SECRET)
    assert s.webhook_path == "/hook"


def test_cli_refuses_webhook_mode_without_a_secret_and_says_how_to_make_one(tmp_path):
    result = run_cli("run", env={"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://bot.example.org/hook",
                                 "DATABASE_PATH": str(tmp_path / "bot.db")})
    assert result.returncode == 2
    assert "WEBHOOK_SECRET" in result.stderr and "secrets.token_urlsafe(32)" in result.stderr
    assert "Traceback" not in result.stderr and TOKEN not in result.stderr


# -- logs ---------------------------------------------------------------------------------------------
def test_json_log_lines_carry_fields_and_tracebacks_and_no_secrets():
    stream = io.StringIO()
    handler = setup_logging("INFO", TOKEN, stream=stream, fmt="json", secrets=[SECRET])
    try:
        log = logging.getLogger("bot.updates")
        fields = {"update_id": 5, "kind": "message:text", "latency_ms": 3.2}
        log.info("update %s ok", 5, extra={"fields": fields})
        try:
            raise RuntimeError(f"boom with {TOKEN} and {SECRET}")
        except RuntimeError:
            logging.getLogger("handlers.errors").exception("Error while handling update %s", 6)
    finally:
        logging.getLogger().removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "update 5 ok" and first["kind"] == "message:text"
    assert first["latency_ms"] == 3.2
    assert first["level"] == "INFO" and first["logger"] == "bot.updates" and first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "RuntimeError" in second["exc"] and "Traceback" in second["exc"]
    assert TOKEN not in stream.getvalue() and SECRET not in stream.getvalue()
    assert "[REDACTED]" in second["exc"]


# -- backup -------------------------------------------------------------------------------------------
def seeded_db(path: Path, subscribers: int = 50) -> Path:
    store = Store(path)
    for chat_id in range(1, subscribers + 1):
        store.subscribe(chat_id)
    store.create_job("broadcast:t", "broadcast", {"type": "text", "text": "x"}, range(1, subscribers + 1))
    store.close()
    return path


def test_backup_to_a_directory_is_timestamped_verified_and_self_contained(tmp_path):
    db = seeded_db(tmp_path / "bot.db")
    result = backup(db, str(tmp_path / "backups") + "/")
    assert result.path.parent == tmp_path / "backups" and result.path.name.startswith("bot-")
    assert result.subscribers == 50 and result.deliveries == 50 and result.schema_version >= 4
    assert not Path(str(result.path) + "-wal").exists() and not list((tmp_path / "backups").glob("*.partial"))
    conn = sqlite3.connect(result.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert "integrity ok" in result.describe()


def test_backup_refusals(tmp_path):
    db = seeded_db(tmp_path / "bot.db")
    with pytest.raises(BackupError, match="live database"):
        backup(db, db)
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "missing.db", tmp_path / "copy.db")
    assert resolve_target(db, tmp_path / "one.db") == tmp_path / "one.db"


def test_backup_that_fails_the_integrity_check_is_not_kept(tmp_path, monkeypatch):
    db = seeded_db(tmp_path / "bot.db")

    def broken(path):
        raise BackupError("the copy failed PRAGMA integrity_check: *** in database main ***")

    monkeypatch.setattr("bot.backup.verify", broken)
    with pytest.raises(BackupError, match="integrity_check"):
        backup(db, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "copy.db.partial").exists()


def test_cli_backup_and_its_error(tmp_path):
    db = seeded_db(tmp_path / "bot.db")
    ok = run_cli("backup", str(tmp_path / "nightly.db"), env={"DATABASE_PATH": str(db)})
    assert ok.returncode == 0 and ok.stdout.startswith("Backup OK: ") and "50 subscribers" in ok.stdout
    bad = run_cli("backup", str(tmp_path / "x.db"), env={"DATABASE_PATH": str(tmp_path / "none.db")})
    assert bad.returncode == 1 and "Backup failed: no database" in bad.stderr
    assert "Traceback" not in bad.stderr


# -- dashboard and health refusals --------------------------------------------------------------------
def test_cli_dashboard_refuses_to_start_without_a_password(tmp_path):
    db = seeded_db(tmp_path / "bot.db", 1)
    result = run_cli("dashboard", env={"DATABASE_PATH": str(db)})
    assert result.returncode == 2
    assert "DASHBOARD_PASSWORD is not set" in result.stderr and "token_urlsafe" in result.stderr


def test_cli_healthcheck_in_polling_mode_and_with_nothing_listening(tmp_path):
    polling = run_cli("healthcheck", env={})
    assert polling.returncode == 0 and "polling mode" in polling.stdout
    webhook = {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": "9"}
    down = run_cli("healthcheck", env=webhook)
    assert down.returncode == 1 and down.stdout.startswith("unhealthy")
