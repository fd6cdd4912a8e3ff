"""Malformed data files: one error type (DataError) naming file and entry or line, for every kind of
typo; the bot keeps its last good data; /reload shows the message (trimmed to fit); `data check`
never shows a traceback."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bot.config import PROJECT_ROOT
from bot.core import Core
from bot.program import DataError, load_files
from tests.conftest import ADMIN_ID

DEADLINE_LINE = 'deadline: "2026-12-26T18:00:00+09:00"'
BOMB = "\nbomb:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &c0 [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"  c{i}: &c{i} [*c{i - 1}, *c{i - 1}]\n" for i in range(1, 30))

# (what, how program.yaml's text changes, what the error must say, where: entry or line)
MALFORMED = [
    ("impossible unquoted date", lambda t: t.replace(DEADLINE_LINE, "deadline: 2026-11-31 18:00:00"),
     "2026-11-31", "application"),
    ("year 9999", lambda t: t.replace(DEADLINE_LINE, "deadline: 9999-12-31 18:00:00"), "out of range",
     "application"),
    ("4,300-digit integer", lambda t: t.replace("max_months: 14", "max_months: " + "9" * 4300), "too large",
     "line"),
    ("5,000-deep nesting", lambda t: t + "\nextra: " + "[" * 5000 + "]" * 5000 + "\n", "nest", "line"),
    ("YAML alias bomb", lambda t: t + BOMB, "not allowed", "line"),
    ("3 MB file", lambda t: t + "\npad: '" + "가" * 1_000_000 + "'\n", "too large", None),
    ("a list, not a mapping", lambda t: "- 1\n- 2\n", "mapping", None),
    ("a key written twice (the second would erase the first)",
     lambda t: t.replace("  max_months: 14", "  max_months: 14\n  max_months: 12"), "duplicate key 'max_months'", "line"),
    ("nested structure of the wrong kind",
     lambda t: t.replace("reminders:", "reminders_old:") + "\nreminders: 7\n", "reminders", "reminders"),
]


def _break(data_dir, mutate) -> None:
    path = data_dir / "program.yaml"
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("what, mutate, says, where", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_every_malformed_file_is_one_data_error_naming_file_and_place(data_dir, what, mutate, says, where):
    _break(data_dir, mutate)
    started = time.monotonic()
    with pytest.raises(DataError) as info:
        load_files(data_dir)
    assert time.monotonic() - started < 2.0  # rejected before anything is expanded
    assert info.value.file == "program.yaml"
    assert says in str(info.value)
    if where:
        assert where in (info.value.entry or "")


def test_faq_import_of_deeply_nested_json_is_a_data_error(tmp_path, settings):
    path = tmp_path / "faq.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    core = Core(settings)
    try:
        with pytest.raises(DataError) as info:
            core.content_manager.import_faq(path)
        assert info.value.file == "faq.json"
    finally:
        core.close()


def test_a_start_with_a_bad_file_keeps_the_last_good_data(settings, data_dir):
    """The four typos of the issue, each met by a start (Core loads the data as `python -m bot` does)."""
    core = Core(settings)  # a first start stores good data
    original = (data_dir / "program.yaml").read_text(encoding="utf-8")
    try:
        for what, mutate, _, _ in MALFORMED[:3] + MALFORMED[4:5]:
            (data_dir / "program.yaml").write_text(mutate(original), encoding="utf-8")
            core.content_manager.load()  # must not raise
            assert core.content_manager.last_error.startswith("program.yaml"), what
            assert "26일" in core.answer("마감 언제예요").text, what
    finally:
        core.close()


@pytest.mark.parametrize("what, mutate", [m[:2] for m in MALFORMED[:4]], ids=[m[0] for m in MALFORMED[:4]])
def test_data_check_never_shows_a_traceback(tmp_path, data_dir, what, mutate):
    _break(data_dir, mutate)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "data", "check"], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=60, env={"PATH": "/usr/bin:/bin", "BOT_ENV_FILE": "/nonexistent", "DATA_DIR": str(data_dir),
                         "DATABASE_PATH": str(tmp_path / "x.db")},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Data error: program.yaml"), result.stderr


@pytest.mark.usefixtures("bot_app")
async def test_reload_shows_the_data_error_to_staff_trimmed_to_fit(emu, data_dir):
    staff, user = emu.user(ADMIN_ID), emu.user(2101)
    _break(data_dir, MALFORMED[0][1])
    await staff.send("/reload")
    reply = await staff.wait_reply()
    assert "이전 자료를 계속 사용합니다" in reply.text
    assert "program.yaml" in reply.text and "2026-11-31" in reply.text
    # an error far longer than a Telegram message (the offending value is quoted in it)
    _break(data_dir, lambda t: t.replace("deadline: 2026-11-31 18:00:00", "deadline: '" + "x" * 9000 + "'"))
    await staff.send("/reload")
    reply = await staff.wait_reply()
    assert "이전 자료를 계속 사용합니다" in reply.text and "program.yaml" in reply.text
    assert len(reply.text) <= 4096 and "생략" in reply.text
    await user.send("마감 언제예요")
    assert "26일" in (await user.wait_reply()).text
