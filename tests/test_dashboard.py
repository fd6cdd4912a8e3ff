"""The staff dashboard in a real headless browser: Debian's chromium driven by Selenium (chromedriver).

`python -m bot dashboard` runs as a real process over a database seeded through the bot's own store.
On CI (CI=true) a missing browser fails these tests; elsewhere they are skipped with the install line.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.core import Core
from tests.test_webhook import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PASSWORD = "staff-Password-42"  # noqa: S105 - a test password
QUESTION = "특허 출원 비용도 연구개발비로 인정되나요?"

if not os.environ.get("CI"):  # on CI nothing is skipped: .ci/run installs all of it
    pytest.importorskip("selenium")
    pytest.importorskip("datasette")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs chromium: apt-get install -y chromium chromium-driver", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A database as the bot leaves it: content, subscribers, a miss, a broadcast, a reminder."""
    path = tmp_path_factory.mktemp("dashboard") / "bot.db"
    core = Core(Settings(database_path=path, data_dir=PROJECT_ROOT / "data"))
    store = core.store
    for chat_id in range(1, 21):
        store.subscribe(chat_id)
    for chat_id in range(1, 6):
        store.toggle_interest(chat_id, core.content.challenges[0].id)
    store.unsubscribe(20)
    entry = core.content.faq[0]
    store.log_unanswered(QUESTION, f"faq:{entry.id}", 0.312, "fallback")
    store.log_unanswered("점심 메뉴 추천해 줘", None, 0.0, "out_of_scope")
    job = store.create_job("broadcast:test", "broadcast", {"type": "text", "text": "설명회"}, range(1, 11))
    for delivery in store.db.query("SELECT id FROM deliveries WHERE job_id = ?", [job]):
        store.finish_delivery(delivery["id"], "sent")
    store.set_job_status_if(job, "done", "queued")
    core.close()
    return path


def count_subscribers(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def dashboard(database, tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("dashboard-log") / "dashboard.log"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BOT_ENV_FILE": "/nonexistent",
           "DATABASE_PATH": str(database), "DASHBOARD_PASSWORD": PASSWORD}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot", "dashboard", "--port", str(port)],
                                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/login", timeout=1).close()  # noqa: S310 - local test server
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("dashboard did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    assert PASSWORD not in log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads, tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def log_in(browser, base: str, password: str) -> None:
    browser.delete_all_cookies()
    browser.get(base + "/")
    assert browser.current_url == base + "/-/login"        # anonymous visitors are sent to the login page
    assert browser.find_element(By.TAG_NAME, "h1").text == "담당자 로그인"
    browser.find_element(By.ID, "id_password").send_keys(password)
    submit = browser.find_element(By.CSS_SELECTOR, "form.password-login input[type=submit]")
    submit.click()
    # The next page must have loaded (and its cookie been set) before the test navigates on: a get()
    # issued while the form's POST is in flight can race it and land on the redirect's target.
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(submit))


def test_wrong_password_is_refused(browser, dashboard):
    log_in(browser, dashboard, "not-the-password")
    assert "비밀번호가 맞지 않습니다" in browser.find_element(By.CLASS_NAME, "message-error").text
    browser.get(dashboard + "/bot/subscribers")
    assert browser.current_url == dashboard + "/-/login"


def test_staff_logs_in_opens_unanswered_questions_and_downloads_csv(browser, dashboard, downloads):
    log_in(browser, dashboard, PASSWORD)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("상생협력 혁신형도전과제 알림봇 운영 현황")
    saved = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.saved-queries a")]
    assert saved == ["관심 과제별 구독자 수", "날짜별 구독자 추이", "답하지 못한 질문", "공지 발송 보고",
                     "마감 알림 발송 보고"]
    tables = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.tables a")]
    assert {"구독자", "답하지 못한 질문", "발송 내역", "마감 알림 기록"} <= set(tables)
    saved_queries = browser.find_element(By.CSS_SELECTOR, "ul.saved-queries")
    saved_queries.find_element(By.LINK_TEXT, "답하지 못한 질문").click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("답하지 못한 질문")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns th")]
    assert headers[:4] == ["번호", "질문 시각 (KST)", "질문", "가장 가까운 항목"]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")]
    asked = next(r for r in rows if r[2] == QUESTION)
    assert asked[3] and asked[3] != "" and asked[4].startswith("faq:")  # the best guess, by its question

    csv_url = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    browser.get(csv_url + ("&" if "?" in csv_url else "?") + "_dl=1")
    deadline = time.monotonic() + 10
    while not [p for p in downloads.glob("*.csv")] and time.monotonic() < deadline:
        time.sleep(0.1)
    files = list(downloads.glob("*.csv"))
    assert files, "no CSV was downloaded"
    table = list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8"))))
    assert table[0][:3] == ["번호", "질문 시각 (KST)", "질문"]
    assert any(QUESTION in row for row in table[1:])

    browser.get(dashboard + "/bot/subscribers")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("구독자")
    assert "채팅 ID" in browser.find_element(By.CSS_SELECTOR, "dl.column-descriptions").text
    browser.get(dashboard + "/bot/subscribers_by_challenge")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td")]
    assert "구독 중인 사람" in cells and "19" in cells


def test_write_attempts_are_refused(browser, dashboard, database):
    log_in(browser, dashboard, PASSWORD)
    before = count_subscribers(database)
    for sql in ("DELETE FROM subscribers", "UPDATE subscribers SET status = 'inactive'",
                "INSERT INTO subscribers (chat_id, subscribed_at, updated_at) VALUES (1, 'x', 'x')"):
        browser.get(dashboard + "/bot?" + urllib.parse.urlencode({"sql": sql}))
        assert "Statement must be a SELECT" in browser.page_source
    # A POST to a saved query (the way a writable one would be run) is refused too.
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/bot/unanswered_questions', {method: 'POST', body: new URLSearchParams({x: '1'})})"
        ".then(r => done(r.status)).catch(e => done(String(e)));")
    assert status in (403, 405)
    assert count_subscribers(database) == before
