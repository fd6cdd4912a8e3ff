"""Configuration: every variable, every error, exit status 2 with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_BASE_URL, ConfigError, Secret, load_settings

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:ABCdefGHIjkl-mnop"


def load(tmp_path, **env):
    return load_settings({k: v for k, v in env.items()}, env_file=tmp_path / "absent.env")


def test_defaults(tmp_path):
    s = load(tmp_path)
    assert not s.has_token
    assert s.base_url == DEFAULT_BASE_URL
    assert s.base_file_url == "https://api.telegram.org/file/bot"
    assert s.admin_ids == frozenset()
    assert s.database_path.name == "bot.db"
    assert s.log_level == "INFO"


def test_all_variables(tmp_path):
    s = load(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL="http://127.0.0.1:8081/bot/",
        ADMIN_IDS=" 11, 22 ,33 ",
        DATABASE_PATH=str(tmp_path / "x.db"),
        LOG_LEVEL="debug",
        SEND_RATE="20",
        SEND_TIMEOUT="7.5",
        FLOOD_LIMIT="0",
    )
    assert s.token.get() == TOKEN and s.has_token
    assert s.base_url == "http://127.0.0.1:8081/bot"
    assert s.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert s.admin_ids == {11, 22, 33}
    assert s.database_path == tmp_path / "x.db"
    assert s.log_level == "DEBUG"
    assert s.send_rate == 20.0
    assert s.send_timeout == 7.5 and s.flood_limit == 0


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "abc:defghijk"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BASE_URL": "ftp://x/bot"}, "TELEGRAM_BASE_URL"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SEND_RATE": "fast"}, "SEND_RATE"),
        ({"SEND_RATE": "0"}, "SEND_RATE"),
        ({"SEND_TIMEOUT": "0"}, "SEND_TIMEOUT"),
        ({"FLOOD_LIMIT": "-1"}, "FLOOD_LIMIT"),
        ({"DATA_DIR": "/nonexistent/dir"}, "DATA_DIR"),
    ],
)
def test_malformed_values_name_the_variable(tmp_path, env, variable):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, **env)
    assert info.value.variable == variable
    assert variable in str(info.value)


def test_token_error_does_not_echo_the_token(tmp_path):
    with pytest.raises(ConfigError) as info:
        load(tmp_path, TELEGRAM_BOT_TOKEN="12345:sh")
    assert "12345:sh" not in str(info.value)


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_IDS=5\nLOG_LEVEL=WARNING\n")
    s = load_settings({"ADMIN_IDS": "6"}, env_file=env_file)
    assert s.token.get() == TOKEN
    assert s.admin_ids == {6}
    assert s.log_level == "WARNING"


def test_secret_never_shows_itself():
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret) and TOKEN not in str(secret) and TOKEN not in f"{secret}"


def run_cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", **env},
    )


def test_cli_malformed_value_exits_2_with_one_line(tmp_path):
    result = run_cli(env={"ADMIN_IDS": "twelve", "DATABASE_PATH": str(tmp_path / "db.sqlite")})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "ADMIN_IDS" in lines[0] and "Traceback" not in result.stderr


def test_cli_without_token_explains_and_mentions_chat(tmp_path):
    result = run_cli(env={"DATABASE_PATH": str(tmp_path / "db.sqlite")})
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "python -m bot chat" in result.stderr
    assert "Traceback" not in result.stderr
