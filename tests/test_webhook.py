"""Webhook mode end to end: the emulator POSTs updates to the bot's own webhook server over real HTTP."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest

from bot.config import Secret
from bot.webhook import SECRET_HEADER, WebhookSetupError, running_webhook
from tests.conftest import eventually

SECRET = "webhook-Secret_0123456789abcdef"  # noqa: S105 - a test secret


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hook(emu, settings):
    port = free_port()
    return {
        "webhook_url": f"http://127.0.0.1:{port}/tg/updates",
        "webhook_secret": Secret(SECRET),
        "webhook_listen": "127.0.0.1",
        "webhook_port": port,
    }


@pytest.fixture
def webhook_app(make_app, hook):
    def make():
        app = make_app(**hook)
        return app, app.bot_data["rt"].settings

    return make


def forged_update(update_id: int, chat_id: int, text: str) -> dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Mallory"}
    chat = {"id": chat_id, "type": "private", "first_name": "Mallory"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": user, "text": text,
               "entities": entities}
    return {"update_id": update_id, "message": message}


async def test_update_with_the_right_secret_is_answered(emu, webhook_app, hook, caplog):
    app, settings = webhook_app()
    user = emu.user(5101, first_name="김웹훅")
    with caplog.at_level(logging.INFO):
        async with running_webhook(app, settings):
            assert emu.webhook == {"url": hook["webhook_url"], "secret_token": SECRET, "max_connections": 40,
                                   "ip_address": None}
            await user.send("/start")
            reply = await user.wait_reply(timeout=10)
            assert "김웹훅님" in reply.text
            await user.send("마감 언제예요")
            answer = await user.wait_reply(timeout=10)
            assert "마감" in answer.text
    assert all(a.status == 200 and a.secret_sent for a in emu.webhook_attempts)
    assert not emu.calls_to("getUpdates")  # nothing was polled
    # One line per update handled: kind, handler, outcome, latency; never the message text.
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    assert len(lines) == 2
    assert lines[0].startswith("update 1 message:command chat=5101 handler=start.start outcome=ok ")
    assert lines[1].startswith("update 2 message:text chat=5101 handler=ask.on_text outcome=ok ")
    assert all(line.endswith(" ms") for line in lines)
    assert not any("마감 언제예요" in r.getMessage() for r in caplog.records)
    started = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Started sangsaeng-bot")]
    assert len(started) == 1 and f"(webhook {hook['webhook_url']})" in started[0]


async def test_missing_or_wrong_secret_is_refused_with_403_and_no_handler_runs(emu, webhook_app, hook,
                                                                               caplog):
    app, settings = webhook_app()
    victim, other = emu.user(5201), emu.user(5202)
    attempts = {"missing": {}, "wrong": {SECRET_HEADER: "wrong-secret-0123456789"},
                "empty": {SECRET_HEADER: ""}, "wrong case": {SECRET_HEADER: SECRET.upper()}}
    with caplog.at_level(logging.INFO):
        async with running_webhook(app, settings) as server:
            async with httpx.AsyncClient(timeout=5) as http:
                for n, headers in enumerate(attempts.values()):
                    r = await http.post(hook["webhook_url"], json=forged_update(700 + n, victim.id, "/start"),
                                        headers=headers)
                    assert r.status_code == 403
                # The same request with the secret is accepted, so 403 really was the secret.
                r = await http.post(hook["webhook_url"], json=forged_update(778, other.id, "/start"),
                                    headers={SECRET_HEADER: SECRET})
                assert r.status_code == 200
            await other.wait_reply(timeout=10)
            assert server.refused == len(attempts)
    assert emu.messages_to(victim.id) == []
    refusals = [r.getMessage() for r in caplog.records if "refused with 403" in r.getMessage()]
    assert len(refusals) == len(attempts)  # one line each
    assert ["missing" in line for line in refusals] == [True, False, False, False]
    updates = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    assert [u.split()[1] for u in updates] == ["778"]  # the refused updates never reached a handler
    assert all(SECRET not in r.getMessage() for r in caplog.records)


async def test_healthz_reports_ok_and_then_the_failed_check(emu, webhook_app, hook):
    app, settings = webhook_app()
    base = hook["webhook_url"].rsplit("/tg/", 1)[0]
    async with running_webhook(app, settings):
        async with httpx.AsyncClient(timeout=5) as http:
            r = await http.get(base + "/healthz")
            assert r.status_code == 200
            assert r.json() == {"status": "ok", "mode": "webhook",
                                "checks": {"application": True, "outbox": True, "database": True}}
            assert (await http.get(hook["webhook_url"])).status_code == 405   # updates are POST only
            await app.bot_data["rt"].outbox.stop()                             # a dead sender is unhealthy
            r = await http.get(base + "/healthz")
            assert r.status_code == 503 and r.json()["checks"]["outbox"] is False


async def test_updates_sent_while_the_bot_is_down_are_answered_after_restart(emu, webhook_app):
    emu.webhook_retry_delay, emu.webhook_retry_cap = 0.05, 0.2
    user = emu.user(5301)
    app, settings = webhook_app()
    async with running_webhook(app, settings):
        await user.send("/start")
        await user.wait_reply(timeout=10)
    # The webhook stays registered while the bot is away; Telegram keeps the update and retries.
    await user.send("/deadline")
    await eventually(lambda: any(a.status is None for a in emu.webhook_attempts), what="a refused connection")
    assert len(emu.pending_updates) == 1
    app, settings = webhook_app()
    async with running_webhook(app, settings):
        reply = await user.wait_reply(timeout=10)
        assert "마감" in reply.text
    assert emu.pending_updates == []


async def test_a_refused_webhook_url_is_one_clear_error_and_a_clean_stop(emu, webhook_app, hook):
    emu.inject("setWebhook", status=400, description="Bad Request: bad webhook: Failed to resolve host")
    app, settings = webhook_app()
    with pytest.raises(WebhookSetupError, match="(?i)Telegram refused WEBHOOK_URL .*failed to resolve host"):
        async with running_webhook(app, settings):
            pass
    assert app.bot_data["rt"].core is None  # the database was closed all the same
    with socket.socket() as s:              # and the port was released
        s.bind(("127.0.0.1", hook["webhook_port"]))
