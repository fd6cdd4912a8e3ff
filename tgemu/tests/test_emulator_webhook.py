"""tgemu's webhook delivery: setWebhook/deleteWebhook/getWebhookInfo and updates POSTed to a receiver.

The receiver is a bare aiohttp server in the test; PTB's Bot is the client for the methods.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import socket
import sys

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

_ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tgemu import TelegramEmulator  # noqa: E402
from tgemu.webhook import SECRET_HEADER  # noqa: E402

TOKEN = "123456:TEST-token"
SECRET = "s3cret-Token_for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook endpoint that records requests and answers with ``self.status``."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.status = 200
        self.requests: list[tuple[dict, dict]] = []  # (headers, body)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook/path"

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), json.loads(await request.read())))
        return web.Response(status=self.status)

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook/path", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    def texts(self) -> list[str]:
        return [body["message"]["text"] for _, body in self.requests if "message" in body]


@pytest.fixture
async def emu():
    async with TelegramEmulator(token=TOKEN) as e:
        e.webhook_retry_delay = 0.05
        e.webhook_retry_cap = 0.2
        yield e


@pytest.fixture
async def bot(emu):
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


@pytest.fixture
async def receiver():
    r = await Receiver().start()
    yield r
    await r.stop()


async def test_updates_are_posted_with_the_secret_header(emu, bot, receiver):
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0 and info.max_connections == 40
    user = emu.user(42, first_name="Kim")
    await user.send("첫 번째")
    await user.send("두 번째")
    await emu.wait_until(lambda: len(receiver.requests) == 2, what="two webhook POSTs")
    headers, body = receiver.requests[0]
    assert headers[SECRET_HEADER] == SECRET
    assert headers["Content-Type"].startswith("application/json")
    assert body["update_id"] == 1 and body["message"]["from"]["id"] == 42
    assert receiver.texts() == ["첫 번째", "두 번째"]          # in order, once each
    assert emu.pending_updates == []
    attempts = [(a.update_id, a.status, a.secret_sent) for a in emu.webhook_attempts]
    assert attempts == [(1, 200, True), (2, 200, True)]


async def test_no_secret_header_without_a_secret_token(emu, bot, receiver):
    await bot.set_webhook(receiver.url)
    await emu.user(1).send("hi")
    await emu.wait_until(lambda: receiver.requests, what="a webhook POST")
    assert SECRET_HEADER not in receiver.requests[0][0]


async def test_refused_updates_stay_queued_and_are_retried_in_order(emu, bot, receiver):
    receiver.status = 403
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    user = emu.user(7)
    await user.send("a")
    await user.send("b")
    await emu.wait_until(lambda: len(emu.webhook_attempts) >= 3, what="retries")
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 2
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert info.last_error_date is not None
    assert {a.update_id for a in emu.webhook_attempts} == {1}   # never skips ahead of a refused update
    receiver.status = 200
    await emu.wait_until(lambda: emu.pending_updates == [], what="delivery once accepted")
    assert receiver.texts()[-2:] == ["a", "b"]


async def test_connection_refused_then_the_receiver_comes_back(emu, bot):
    port = free_port()
    late = Receiver(port)
    await bot.set_webhook(late.url, secret_token=SECRET)
    await emu.user(5).send("waiting")
    await emu.wait_until(lambda: emu.webhook_attempts, what="a failed attempt")
    assert emu.webhook_attempts[0].status is None
    assert (await bot.get_webhook_info()).last_error_message == "Connection refused"
    await late.start()
    try:
        await bot.set_webhook(late.url, secret_token=SECRET)  # as a restarted bot does: delivery resumes now
        await emu.wait_until(lambda: late.texts() == ["waiting"], timeout=3, what="delivery after restart")
    finally:
        await late.stop()


async def test_get_updates_conflicts_while_a_webhook_is_set(emu, bot, receiver):
    await bot.set_webhook(receiver.url)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    await emu.user(3).send("polled")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["polled"]
    assert receiver.requests == []


async def test_a_webhook_set_during_a_long_poll_ends_it_with_409(emu, bot, receiver):
    poll = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    while not emu.calls_to("getUpdates"):  # call records do not wake wait_until
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    await bot.set_webhook(receiver.url)
    with pytest.raises(Conflict):
        await asyncio.wait_for(poll, 3)


async def test_drop_pending_updates_and_allowed_updates(emu, bot, receiver):
    receiver.status = 500
    user = emu.user(9)
    await user.send("old")
    await bot.set_webhook(receiver.url, drop_pending_updates=True, allowed_updates=["callback_query"])
    assert emu.pending_updates == []
    receiver.status = 200
    await user.send("a message, not allowed")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    reply = await bot.send_message(9, "press", reply_markup=markup)
    await user.press(reply.message_id, data="go")
    await emu.wait_until(lambda: receiver.requests, what="the callback query")
    await asyncio.sleep(0.1)
    assert [list(body)[1] for _, body in receiver.requests] == ["callback_query"]
    assert (await bot.get_webhook_info()).allowed_updates == ("callback_query",)


@pytest.mark.parametrize(
    ("kwargs", "description"),
    [
        ({"url": "http://example.com/hook"}, "An HTTPS URL must be provided for webhook"),
        ({"url": "ftp://127.0.0.1/hook"}, "An HTTPS URL must be provided for webhook"),
        ({"url": "https://example.com:1234/hook"}, "Webhook can be set up only on ports 80, 88, 443 or 8443"),
        ({"url": "https://x.org/h", "secret_token": "a:b"}, "secret token contains unallowed characters"),
        ({"url": "https://x.org/hook", "max_connections": 0}, "max_connections must be between 1 and 100"),
    ],
)
async def test_set_webhook_validation(emu, bot, kwargs, description):
    with pytest.raises(BadRequest, match="(?i)" + description):
        await bot.set_webhook(**kwargs)
    assert emu.webhook is None


async def test_empty_url_removes_the_webhook(emu, bot, receiver):
    await bot.set_webhook(receiver.url)
    assert await bot.set_webhook("")
    assert emu.webhook is None


async def test_raw_http_set_webhook_and_info(emu):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{emu.port}", timeout=10) as http:
        params = {"url": "https://bot.example.org/tg/hook", "secret_token": SECRET, "max_connections": "5"}
        r = await http.post(f"/bot{TOKEN}/setWebhook", data=params)
        assert r.json() == {"ok": True, "result": True}
        info = (await http.get(f"/bot{TOKEN}/getWebhookInfo")).json()["result"]
        assert info == {"url": "https://bot.example.org/tg/hook", "has_custom_certificate": False,
                        "pending_update_count": 0, "max_connections": 5}
        r = await http.get(f"/bot{TOKEN}/getUpdates")
        assert r.status_code == 409
