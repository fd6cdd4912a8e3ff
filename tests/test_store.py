"""The store on real SQLite files: migrations keep data, WAL, atomic content replacement."""

from __future__ import annotations

import sqlite3

import pytest

from bot.store import MIGRATIONS, SCHEMA_VERSION, Store


def test_fresh_database_is_fully_migrated_in_wal_mode(tmp_path):
    store = Store(tmp_path / "bot.db")
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    for table in ("program", "challenges", "faq", "subscribers", "unanswered", "jobs", "deliveries", "reminder_runs"):
        assert table in store.table_names()
    store.close()


def test_migrating_an_old_database_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    old = Store.__new__(Store)  # build a version-1 database by hand, as an old release would
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO subscribers (chat_id, status, subscribed_at, updated_at) VALUES (42, 'active', 'x', 'x')"
    )
    conn.execute("INSERT INTO unanswered (text, asked_at, reason) VALUES ('질문', 'x', 'fallback')")
    conn.commit()
    conn.close()
    del old

    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    sub = store.get_subscriber(42)
    assert sub["status"] == "active" and sub["reminder_optout"] == [] and sub["interests"] == []
    assert store.list_unanswered()[0]["text"] == "질문"
    # the new tables work on the migrated file
    assert store.toggle_interest(42, "kyobo") is True
    store.close()
    # reopening applies nothing twice
    again = Store(path)
    assert again.schema_version == SCHEMA_VERSION
    assert again.get_subscriber(42)["interests"] == ["kyobo"]
    again.close()


def test_replace_content_is_all_or_nothing(tmp_path):
    store = Store(tmp_path / "bot.db")
    good = [{"id": "a", "category": "신청", "question": "q", "answer": "a", "source": "s"}]
    store.replace_content(faq=good)
    bad = [{"id": "b", "category": "신청", "question": "q", "answer": "a", "source": "s"}, {"id": "c"}]
    with pytest.raises(KeyError):
        store.replace_content(faq=bad)
    assert [e["id"] for e in store.get_faq()] == ["a"]
    store.close()


def test_subscriber_lifecycle_and_privacy(tmp_path):
    store = Store(tmp_path / "bot.db")
    assert store.subscribe(7) == "new"
    assert store.subscribe(7) == "already"
    store.toggle_interest(7, "lg")
    store.set_company(7, "테스트")
    job = store.create_job("k1", "broadcast", {"type": "text", "text": "t"}, [7, 8])
    assert job is not None
    assert store.create_job("k1", "broadcast", {"type": "text", "text": "t"}, [7]) is None  # unique key
    assert store.unsubscribe(7) is True and store.get_subscriber(7)["status"] == "inactive"
    assert store.subscribe(7) == "reactivated"
    store.delete_user(7)
    assert store.rows_about_chat(7) == {"subscribers": 0, "subscriber_interests": 0, "deliveries": 0}
    assert store.rows_about_chat(8)["deliveries"] == 1
    store.close()


def test_claim_is_exclusive_between_two_connections(tmp_path):
    a = Store(tmp_path / "bot.db")
    b = Store(tmp_path / "bot.db")
    job = a.create_job("k", "broadcast", {"type": "text", "text": "t"}, [1])
    (row,) = a.due_deliveries(1e12, 10)
    assert a.claim_delivery(row["id"]) is True
    assert b.claim_delivery(row["id"]) is False
    assert a.job_counts(job)["sending"] == 1
    assert b.reset_in_flight() == 1
    assert a.job_counts(job)["pending"] == 1
    a.close()
    b.close()
