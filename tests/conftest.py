"""Shared fixtures: real SQLite files in tmp_path, the real Application over real HTTP to the
project's Telegram Bot API emulator."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import PROJECT_ROOT, Secret, Settings
from bot.core import Core
from bot.program import DATA_FILES
from tgemu import TelegramEmulator

TOKEN = "123456:TEST-secret-TOKEN-abcdefXYZ"
ADMIN_ID = 9001
DATA_DIR = PROJECT_ROOT / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may edit or break."""
    target = tmp_path / "data"
    target.mkdir()
    for name in DATA_FILES:
        shutil.copy(DATA_DIR / name, target / name)
    return target


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path) -> Settings:
    return Settings(
        token=Secret(TOKEN),
        base_url="http://127.0.0.1:9/bot",  # replaced by the emulator's URL in bot_app
        admin_ids=frozenset({ADMIN_ID}),
        database_path=tmp_path / "bot.db",
        data_dir=data_dir,
        log_level="DEBUG",
        send_rate=200.0,
        per_chat_interval=0.0,
        poll_timeout=1,
        flood_limit=0,  # test users type at machine speed; flood control has its own test (test_process)
    )


@pytest.fixture(scope="module")
def shipped_core(tmp_path_factory):
    """The answering core on the shipped data (read only), shared by a module's tests. (The ``data_dir``
    copies hold the data files only, not the question-kind examples: the bots of the conversation tests
    answer without the learned kind check, as a deployment without that file does.)"""
    core = Core(Settings(database_path=tmp_path_factory.mktemp("core") / "bot.db", data_dir=DATA_DIR))
    yield core
    core.close()


@pytest.fixture(scope="module")
def core(shipped_core):
    """The shipped data's core, under the name the answer tables use (tests/answering.py asks it)."""
    return shipped_core


@pytest.fixture
async def emu():
    async with TelegramEmulator(token=TOKEN, bot_username="sangsaeng_test_bot") as emulator:
        yield emulator


@pytest.fixture
def make_app(emu, settings):
    """Build an Application against the emulator (optionally with changed settings)."""

    def _make(**changes):
        return build_application(dataclasses.replace(settings, base_url=emu.base_url, **changes))

    return _make


@pytest.fixture
async def bot_app(make_app):
    app = make_app()
    async with running(app):
        yield app


@pytest.fixture
def rt(bot_app):
    return bot_app.bot_data["rt"]


async def eventually(predicate, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll ``predicate`` (for state outside the emulator, e.g. the database)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)
