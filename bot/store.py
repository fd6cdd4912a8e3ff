"""The SQLite store: schema, migrations and every query the bot needs (all SQL lives here).

SQLite through sqlite-utils, WAL journal, a busy timeout, and versioned migrations tracked in
``PRAGMA user_version`` so the schema can grow without losing data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

BUSY_TIMEOUT_MS = 5000

# Each migration is a list of statements; index + 1 is the schema version it produces.
MIGRATIONS: list[list[str]] = [
    # 1: programme content, subscribers, the unanswered-question log
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE program (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE challenges (
            id TEXT PRIMARY KEY, position INTEGER NOT NULL, company TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]', title TEXT NOT NULL, summary TEXT NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]')""",
        """CREATE TABLE faq (
            id TEXT PRIMARY KEY, position INTEGER NOT NULL, category TEXT NOT NULL,
            question TEXT NOT NULL, alternates TEXT NOT NULL DEFAULT '[]',
            keywords TEXT NOT NULL DEFAULT '[]', answer TEXT NOT NULL, source TEXT NOT NULL,
            related TEXT NOT NULL DEFAULT '[]')""",
        """CREATE TABLE subscribers (
            chat_id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'active',
            inactive_reason TEXT, company TEXT, subscribed_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        """CREATE TABLE unanswered (
            id INTEGER PRIMARY KEY, text TEXT NOT NULL, asked_at TEXT NOT NULL, best_entry TEXT,
            score REAL, reason TEXT NOT NULL, resolved_entry TEXT, resolved_at TEXT)""",
    ],
    # 2: subscriber preferences, staff-taught phrasings that survive data reloads
    [
        """CREATE TABLE subscriber_interests (
            chat_id INTEGER NOT NULL, challenge_id TEXT NOT NULL, PRIMARY KEY (chat_id, challenge_id))""",
        "ALTER TABLE subscribers ADD COLUMN reminder_optout TEXT NOT NULL DEFAULT '[]'",
        """CREATE TABLE faq_learned (
            entry_id TEXT NOT NULL, text TEXT NOT NULL, added_at TEXT NOT NULL,
            PRIMARY KEY (entry_id, text))""",
        "CREATE TABLE subscription_events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, delta INTEGER NOT NULL)",
        "ALTER TABLE faq ADD COLUMN abstain INTEGER NOT NULL DEFAULT 0",
    ],
    # 3: the outbox (jobs + one delivery row per recipient) and the reminder ledger
    [
        """CREATE TABLE jobs (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
            content TEXT NOT NULL, segment TEXT, status TEXT NOT NULL, created_by INTEGER,
            created_at TEXT NOT NULL, scheduled_at TEXT, started_at TEXT, finished_at TEXT,
            total INTEGER NOT NULL DEFAULT 0, report_chat_id INTEGER, progress_message_id INTEGER)""",
        """CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL REFERENCES jobs(id), chat_id INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL DEFAULT 0, error TEXT, updated_at TEXT,
            UNIQUE (job_id, chat_id))""",
        "CREATE INDEX deliveries_by_state ON deliveries (state, next_attempt_at)",
        "CREATE INDEX deliveries_by_chat ON deliveries (chat_id)",
        """CREATE TABLE reminder_runs (
            deadline TEXT NOT NULL, slot TEXT NOT NULL, state TEXT NOT NULL, fire_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL, job_id INTEGER, PRIMARY KEY (deadline, slot))""",
    ],
    # 4: indexes for the sender's hot queries (next due rows in job order; a job's open rows)
    [
        "DROP INDEX deliveries_by_state",
        "CREATE INDEX deliveries_due ON deliveries (state, job_id, id, next_attempt_at)",
        "CREATE INDEX deliveries_by_job_state ON deliveries (job_id, state)",
    ],
    # 5: words that mark a question the source does not answer (FAQ entries with abstain)
    [
        "ALTER TABLE faq ADD COLUMN triggers TEXT NOT NULL DEFAULT '[]'",
    ],
    # 6: rounds: subscribers belong to a round and may opt in to the next one; the reminder ledger and
    #    jobs carry the round id (rows from before are adopted into the current round on start); the FAQ
    #    answer after the deadline; challenge sources
    [
        "ALTER TABLE subscribers ADD COLUMN round TEXT",
        "ALTER TABLE subscribers ADD COLUMN next_round INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE jobs ADD COLUMN round TEXT",
        """CREATE TABLE reminder_runs_by_round (
            round TEXT NOT NULL DEFAULT '', deadline TEXT NOT NULL, slot TEXT NOT NULL, state TEXT NOT NULL,
            fire_at TEXT NOT NULL, recorded_at TEXT NOT NULL, job_id INTEGER,
            PRIMARY KEY (round, deadline, slot))""",
        "INSERT INTO reminder_runs_by_round (round, deadline, slot, state, fire_at, recorded_at, job_id) "
        "SELECT '', deadline, slot, state, fire_at, recorded_at, job_id FROM reminder_runs",
        "DROP TABLE reminder_runs",
        "ALTER TABLE reminder_runs_by_round RENAME TO reminder_runs",
        "ALTER TABLE faq ADD COLUMN answer_closed TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE challenges ADD COLUMN source TEXT NOT NULL DEFAULT ''",
    ],
    # 7: spent confirmations (a confirming button acts once, whatever the taps or restarts)
    [
        "CREATE TABLE confirmations (key TEXT PRIMARY KEY, at TEXT NOT NULL)",
    ],
    # 8: a challenge's technical field terms (for matching self-descriptions)
    [
        "ALTER TABLE challenges ADD COLUMN field_terms TEXT NOT NULL DEFAULT '[]'",
    ],
    # 9: an honest FAQ entry that corrects a claim with what the source does say
    [
        "ALTER TABLE faq ADD COLUMN answers_claims INTEGER NOT NULL DEFAULT 0",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)

# delivery states
PENDING, SENDING, SENT, BLOCKED, FAILED, CANCELLED = (
    "pending", "sending", "sent", "blocked", "failed", "cancelled",
)
FINAL_STATES = (SENT, BLOCKED, FAILED, CANCELLED)
# meta key: the round, deadline and confirmation subscribers were last told about (JSON)
ROUND_STATE_KEY = "round_state"


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _loads(value: str | None, default: Any = None) -> Any:
    if value is None:
        return default
    return json.loads(value)


# An FAQ entry's ``abstain`` in its INTEGER column: 0 false, 1 true, 2 only while the deadline is unconfirmed.
ABSTAIN_UNTIL_CONFIRMED = "until_deadline_confirmed"  # (bot.program.UNTIL_CONFIRMED; the store imports no domain)
ABSTAIN_CODE_UNTIL_CONFIRMED = 2


def _abstain_code(value: Any) -> int:
    return ABSTAIN_CODE_UNTIL_CONFIRMED if value == ABSTAIN_UNTIL_CONFIRMED else int(bool(value))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class StoreError(RuntimeError):
    """The database cannot be used at all (read-only, corrupt, folder missing): the message names the path."""


def _open_problem(exc: BaseException) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return "the database or its folder is read-only (a writable file and folder are needed)"
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "malformed" in str(exc):
        return "the file is not a SQLite database or is corrupt (restore a backup or move it away)"
    if name.startswith("SQLITE_CANTOPEN"):
        return "cannot open or create the file (does the folder exist and is it writable?)"
    if isinstance(exc, OSError):
        return f"cannot create its folder ({exc.strerror or exc})"
    return str(exc)


class Store:
    """All database access. One instance per thread: the bot reads on the event loop and writes
    through :class:`bot.dbwriter.DbWriter`, which owns a second instance on its own thread."""

    def __init__(self, path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, check: bool = True) -> None:
        self.path = Path(path)
        existed = False
        try:
            if str(path) != ":memory:":
                existed = self.path.exists()
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: {_open_problem(exc)}") from None
        self.db = sqlite_utils.Database(conn)
        self.conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if check and str(path) != ":memory:":
                if existed and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("database disk image is malformed")
                self.migrate()
                conn.execute("BEGIN IMMEDIATE")  # can we write at all? (read-only files and folders)
                conn.execute("ROLLBACK")
            else:
                self.migrate()
        except sqlite3.Error as exc:
            conn.close()
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise  # another process holds the write lock: a passing condition, not a broken database
            raise StoreError(f"{self.path}: {_open_problem(exc)}") from None

    def close(self) -> None:
        self.conn.close()

    def set_busy_timeout(self, busy_timeout_ms: int) -> None:
        """How long a statement waits for a lock another connection holds (then: 'database is locked')."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")

    # -- schema -------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Apply pending migrations up to ``target``, each in its own transaction."""
        current = self.schema_version
        for version in range(current + 1, target + 1):
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                # Re-check under the write lock: a second process may have migrated already.
                if self.conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                    continue
                for statement in MIGRATIONS[version - 1]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version}")
        return self.schema_version

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self.conn:
            yield

    def table_names(self) -> list[str]:
        return self.db.table_names()

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.conn:
            self._put_meta(key, value)

    def _put_meta(self, key: str, value: str | None) -> None:
        """Inside a transaction."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- programme content --------------------------------------------------------------------
    def has_content(self) -> bool:
        return self.conn.execute("SELECT COUNT(*) FROM faq").fetchone()[0] > 0

    def replace_content(
        self,
        program: dict[str, Any] | None = None,
        challenges: list[dict[str, Any]] | None = None,
        faq: list[dict[str, Any]] | None = None,
        meta: dict[str, str] | None = None,
    ) -> None:
        """Replace any of the three content sets in one transaction (all or nothing)."""
        with self.conn:
            if program is not None:
                self.conn.execute("DELETE FROM program")
                self.conn.executemany(
                    "INSERT INTO program (key, value) VALUES (?, ?)",
                    [(k, _dumps(v)) for k, v in program.items()],
                )
            if challenges is not None:
                self.conn.execute("DELETE FROM challenges")
                self.conn.executemany(
                    "INSERT INTO challenges (id, position, company, aliases, title, summary, keywords, "
                    "source, field_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (c["id"], i, c["company"], _dumps(c.get("aliases", [])), c["title"],
                         c["summary"], _dumps(c.get("keywords", [])), c.get("source", ""),
                         _dumps(c.get("field_terms", [])))
                        for i, c in enumerate(challenges)
                    ],
                )
            if faq is not None:
                self.conn.execute("DELETE FROM faq")
                self.conn.executemany(
                    "INSERT INTO faq (id, position, category, question, alternates, keywords, answer, "
                    "source, related, abstain, triggers, answer_closed, answers_claims) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (e["id"], i, e["category"], e["question"], _dumps(e.get("alternates", [])),
                         _dumps(e.get("keywords", [])), e["answer"], e["source"],
                         _dumps(e.get("related", [])), _abstain_code(e.get("abstain", False)),
                         _dumps(e.get("triggers", [])), e.get("answer_closed") or "",
                         int(bool(e.get("answers_claims", False))))
                        for i, e in enumerate(faq)
                    ],
                )
            for key, value in (meta or {}).items():
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def get_program(self) -> dict[str, Any]:
        return {k: _loads(v) for k, v in self.conn.execute("SELECT key, value FROM program")}

    def set_program_value(self, key: str, value: Any) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO program (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, _dumps(value)),
            )

    def get_challenges(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT * FROM challenges ORDER BY position")
        return [
            {**r, "aliases": _loads(r["aliases"], []), "keywords": _loads(r["keywords"], []),
             "field_terms": _loads(r["field_terms"], [])} for r in rows
        ]

    def get_faq(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT * FROM faq ORDER BY position")
        out = []
        for r in rows:
            r = dict(r)
            for key in ("alternates", "keywords", "related", "triggers"):
                r[key] = _loads(r[key], [])
            r["abstain"] = ABSTAIN_UNTIL_CONFIRMED if r["abstain"] == ABSTAIN_CODE_UNTIL_CONFIRMED else bool(r["abstain"])
            r["answers_claims"] = bool(r["answers_claims"])
            out.append(r)
        return out

    def learned_phrasings(self) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT entry_id, text FROM faq_learned ORDER BY added_at"))

    def add_learned_phrasing(self, entry_id: str, text: str) -> bool:
        """Attach ``text`` as an alternate phrasing of FAQ entry ``entry_id``.

        Kept in ``faq_learned`` too, so it survives a reload of the data files.
        """
        with self.conn:
            row = self.conn.execute("SELECT alternates FROM faq WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                return False
            alternates = _loads(row[0], [])
            if text not in alternates:
                alternates.append(text)
                self.conn.execute(
                    "UPDATE faq SET alternates = ? WHERE id = ?", (_dumps(alternates), entry_id)
                )
            self.conn.execute(
                "INSERT OR IGNORE INTO faq_learned (entry_id, text, added_at) VALUES (?, ?, ?)",
                (entry_id, text, utcnow_iso()),
            )
        return True

    # -- subscribers ----------------------------------------------------------------------------
    def get_subscriber(self, chat_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM subscribers WHERE chat_id = ?", [chat_id]))
        if not rows:
            return None
        sub = dict(rows[0])
        sub["reminder_optout"] = _loads(sub["reminder_optout"], [])
        sub["interests"] = [
            r[0] for r in self.conn.execute(
                "SELECT challenge_id FROM subscriber_interests WHERE chat_id = ? ORDER BY challenge_id",
                (chat_id,),
            )
        ]
        return sub

    def subscribe(self, chat_id: int, round_id: str | None = None) -> str:
        """Make ``chat_id`` an active subscriber of round ``round_id``.

        Returns 'new', 'reactivated' or 'already'.
        """
        now = utcnow_iso()
        with self.conn:
            row = self.conn.execute(
                "SELECT status FROM subscribers WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            if row is None:
                self.conn.execute(
                    "INSERT INTO subscribers (chat_id, status, subscribed_at, updated_at, round) "
                    "VALUES (?, 'active', ?, ?, ?)",
                    (chat_id, now, now, round_id),
                )
                result = "new"
            elif row[0] == "active":
                return "already"
            else:
                self.conn.execute(
                    "UPDATE subscribers SET status = 'active', inactive_reason = NULL, subscribed_at = ?, "
                    "updated_at = ?, round = ?, next_round = 0 WHERE chat_id = ?",
                    (now, now, round_id, chat_id),
                )
                result = "reactivated"
            self.conn.execute(
                "INSERT INTO subscription_events (at, delta) VALUES (?, 1)", (now,)
            )
        return result

    def set_inactive(self, chat_id: int, reason: str) -> bool:
        """Mark a subscriber inactive (kept, not deleted). Returns True if it was active."""
        now = utcnow_iso()
        with self.conn:
            cur = self.conn.execute(
                "UPDATE subscribers SET status = 'inactive', inactive_reason = ?, updated_at = ? "
                "WHERE chat_id = ? AND status = 'active'",
                (reason, now, chat_id),
            )
            if cur.rowcount:
                self.conn.execute("INSERT INTO subscription_events (at, delta) VALUES (?, -1)", (now,))
        return cur.rowcount > 0

    def unsubscribe(self, chat_id: int) -> bool:
        return self.set_inactive(chat_id, "unsubscribed")

    def set_next_round(self, chat_id: int, wanted: bool) -> bool:
        """Whether an active subscriber hears about the next round. Returns True if it changed."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE subscribers SET next_round = ?, updated_at = ? "
                "WHERE chat_id = ? AND status = 'active' AND next_round != ?",
                (int(wanted), utcnow_iso(), chat_id, int(wanted)),
            )
        return cur.rowcount > 0

    def set_company(self, chat_id: int, company: str | None) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE subscribers SET company = ?, updated_at = ? WHERE chat_id = ?",
                (company, utcnow_iso(), chat_id),
            )

    def toggle_interest(self, chat_id: int, challenge_id: str) -> bool:
        """Flip interest in a challenge; returns the new state."""
        with self.conn:
            cur = self.conn.execute(
                "DELETE FROM subscriber_interests WHERE chat_id = ? AND challenge_id = ?",
                (chat_id, challenge_id),
            )
            if cur.rowcount:
                return False
            self.conn.execute(
                "INSERT INTO subscriber_interests (chat_id, challenge_id) VALUES (?, ?)",
                (chat_id, challenge_id),
            )
            return True

    def toggle_reminder_optout(self, chat_id: int, slot_id: str) -> bool:
        """Flip whether ``slot_id`` reminders are wanted; returns True if now wanted."""
        with self.conn:
            row = self.conn.execute(
                "SELECT reminder_optout FROM subscribers WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            if row is None:
                return False
            optout = set(_loads(row[0], []))
            wanted = slot_id in optout
            optout.symmetric_difference_update({slot_id})
            self.conn.execute(
                "UPDATE subscribers SET reminder_optout = ?, updated_at = ? WHERE chat_id = ?",
                (_dumps(sorted(optout)), utcnow_iso(), chat_id),
            )
            return wanted

    def delete_user(self, chat_id: int) -> None:
        """Remove everything stored about a chat (subscription, preferences, delivery rows)."""
        with self.conn:
            row = self.conn.execute(
                "SELECT status FROM subscribers WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            if row and row[0] == "active":
                self.conn.execute(
                    "INSERT INTO subscription_events (at, delta) VALUES (?, -1)", (utcnow_iso(),)
                )
            self.conn.execute("DELETE FROM subscriber_interests WHERE chat_id = ?", (chat_id,))
            self.conn.execute("DELETE FROM subscribers WHERE chat_id = ?", (chat_id,))
            self.conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (chat_id,))

    def rows_about_chat(self, chat_id: int) -> dict[str, int]:
        """How many rows in each table mention ``chat_id`` (for privacy checks)."""
        return {
            table: self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE chat_id = ?", (chat_id,)).fetchone()[0]  # noqa: S608
            for table in ("subscribers", "subscriber_interests", "deliveries")
        }

    def active_chat_ids(
        self,
        segment: str | None = None,
        slot_id: str | None = None,
        subscribed_before: str | None = None,
        round_id: str | None = None,
        next_round: bool | None = None,
    ) -> list[int]:
        sql = "SELECT s.chat_id FROM subscribers s WHERE s.status = 'active'"
        params: list[Any] = []
        if round_id is not None:
            sql += " AND s.round = ?"
            params.append(round_id)
        if next_round is not None:
            sql += " AND s.next_round = ?"
            params.append(int(next_round))
        if segment:
            sql += (
                " AND EXISTS (SELECT 1 FROM subscriber_interests i "
                "WHERE i.chat_id = s.chat_id AND i.challenge_id = ?)"
            )
            params.append(segment)
        if slot_id:
            sql += " AND NOT EXISTS (SELECT 1 FROM json_each(s.reminder_optout) j WHERE j.value = ?)"
            params.append(slot_id)
        if subscribed_before:
            sql += " AND s.subscribed_at <= ?"
            params.append(subscribed_before)
        sql += " ORDER BY s.chat_id"
        return [r[0] for r in self.conn.execute(sql, params)]

    def count_active(self, segment: str | None = None) -> int:
        return len(self.active_chat_ids(segment=segment))

    def subscriber_stats(self) -> dict[str, Any]:
        by_status = dict(
            self.conn.execute("SELECT status, COUNT(*) FROM subscribers GROUP BY status").fetchall()
        )
        by_reason = dict(
            self.conn.execute(
                "SELECT inactive_reason, COUNT(*) FROM subscribers WHERE status = 'inactive' "
                "GROUP BY inactive_reason"
            ).fetchall()
        )
        by_interest = dict(
            self.conn.execute(
                "SELECT i.challenge_id, COUNT(*) FROM subscriber_interests i "
                "JOIN subscribers s ON s.chat_id = i.chat_id AND s.status = 'active' "
                "GROUP BY i.challenge_id"
            ).fetchall()
        )
        return {
            "active": by_status.get("active", 0),
            "inactive": by_status.get("inactive", 0),
            "inactive_by_reason": by_reason,
            "by_interest": by_interest,
        }

    def subscription_series(self) -> list[tuple[str, int]]:
        """(KST day, active subscribers at the end of that day), from the anonymous event log."""
        rows = self.conn.execute(
            "SELECT date(at, '+9 hours') AS day, SUM(delta) FROM subscription_events GROUP BY day ORDER BY day"
        ).fetchall()
        total, series = 0, []
        for day, delta in rows:
            total += delta
            series.append((day, total))
        return series

    # -- unanswered questions -------------------------------------------------------------------
    def log_unanswered(self, text: str, best_entry: str | None, score: float, reason: str) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO unanswered (text, asked_at, best_entry, score, reason) VALUES (?, ?, ?, ?, ?)",
                (text, utcnow_iso(), best_entry, score, reason),
            )
        return cur.lastrowid

    def list_unanswered(self, limit: int = 10, offset: int = 0) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT * FROM unanswered WHERE resolved_at IS NULL ORDER BY id DESC LIMIT ? OFFSET ?",
                [limit, offset],
            )
        )

    def count_unanswered(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM unanswered WHERE resolved_at IS NULL").fetchone()[0]

    def get_unanswered(self, item_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM unanswered WHERE id = ?", [item_id]))
        return rows[0] if rows else None

    def resolve_unanswered(self, item_id: int, entry_id: str | None) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE unanswered SET resolved_entry = ?, resolved_at = ? WHERE id = ?",
                (entry_id, utcnow_iso(), item_id),
            )

    # -- outbox: jobs and deliveries ----------------------------------------------------------
    def create_job(
        self,
        key: str,
        kind: str,
        content: dict[str, Any],
        recipients: Iterable[int] | None,
        *,
        status: str = "queued",
        segment: str | None = None,
        created_by: int | None = None,
        scheduled_at: str | None = None,
        report_chat_id: int | None = None,
        extra_sql: tuple[str, tuple] | None = None,
        round_id: str | None = None,
    ) -> int | None:
        """Create a job and its delivery rows atomically. Returns None if ``key`` already exists.

        The unique key is what makes a repeated fire (restart, second instance, catch-up) a no-op.
        ``extra_sql`` runs in the same transaction (e.g. the reminder ledger row). The job belongs to
        ``round_id``, by default the round subscribers were last told about.
        """
        with self.conn:
            return self._create_job(key, kind, content, recipients, status, segment, created_by, scheduled_at,
                                    report_chat_id, extra_sql, round_id)

    def _create_job(self, key, kind, content, recipients, status="queued", segment=None, created_by=None,
                    scheduled_at=None, report_chat_id=None, extra_sql=None, round_id=None) -> int | None:
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO jobs (key, kind, content, segment, status, created_by, created_at, "
            "scheduled_at, report_chat_id, round) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "COALESCE(?, (SELECT json_extract(value, '$.round') FROM meta WHERE key = ?)))",
            (key, kind, _dumps(content), segment, status, created_by, utcnow_iso(), scheduled_at,
             report_chat_id, round_id, ROUND_STATE_KEY),
        )
        if not cur.rowcount:
            return None
        job_id = cur.lastrowid
        if recipients is not None:
            self._insert_deliveries(job_id, recipients)
        if extra_sql:
            sql, params = extra_sql
            self.conn.execute(sql, (*params, job_id))
        return job_id

    def _insert_deliveries(self, job_id: int, recipients: Iterable[int]) -> int:
        now = utcnow_iso()
        self.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (job_id, chat_id, state, updated_at) VALUES (?, ?, 'pending', ?)",
            ((job_id, chat_id, now) for chat_id in recipients),
        )
        total = self.conn.execute("SELECT COUNT(*) FROM deliveries WHERE job_id = ?", (job_id,)).fetchone()[0]
        self.conn.execute("UPDATE jobs SET total = ? WHERE id = ?", (total, job_id))
        return total

    def start_job(self, job_id: int, recipients: Iterable[int]) -> int:
        """Fill in the recipients of a scheduled job and mark it queued (once)."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE jobs SET status = 'queued' WHERE id = ? AND status = 'scheduled'", (job_id,)
            )
            if not cur.rowcount:
                return 0
            return self._insert_deliveries(job_id, recipients)

    def get_job(self, job_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM jobs WHERE id = ?", [job_id]))
        if not rows:
            return None
        job = dict(rows[0])
        job["content"] = _loads(job["content"], {})
        return job

    def job_id_for_key(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM jobs WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def job_status(self, job_id: int) -> str | None:
        row = self.conn.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row[0] if row else None

    def running_job_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM jobs WHERE status IN ('queued', 'sending')")]

    def jobs_with_status(self, *statuses: str) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(statuses))
        ids = [r[0] for r in self.conn.execute(f"SELECT id FROM jobs WHERE status IN ({marks}) ORDER BY id", statuses)]  # noqa: S608
        return [self.get_job(i) for i in ids]

    def recent_jobs(self, kind: str, limit: int = 10) -> list[dict[str, Any]]:
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT ?", (kind, limit)
            )
        ]
        return [self.get_job(i) for i in ids]

    def update_job(self, job_id: int, **fields: Any) -> None:
        if not fields:
            return
        allowed = {"status", "started_at", "finished_at", "progress_message_id", "report_chat_id", "scheduled_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update job fields {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.conn:
            self.conn.execute(
                f"UPDATE jobs SET {assignments} WHERE id = ?", (*fields.values(), job_id)  # noqa: S608
            )

    def set_job_status_if(self, job_id: int, new: str, *expected: str) -> bool:
        marks = ",".join("?" * len(expected))
        with self.conn:
            cur = self.conn.execute(
                f"UPDATE jobs SET status = ? WHERE id = ? AND status IN ({marks})",  # noqa: S608
                (new, job_id, *expected),
            )
        return cur.rowcount > 0

    def due_deliveries(self, now: float, limit: int, exclude_chats: set[int] | None = None) -> list[dict[str, Any]]:
        """Pending deliveries whose retry time has come, oldest job first (queued/sending jobs only)."""
        rows = self.db.query(
            "SELECT d.id, d.job_id, d.chat_id, d.attempts FROM deliveries d JOIN jobs j ON j.id = d.job_id "
            "WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND j.status IN ('queued', 'sending') "
            "ORDER BY d.job_id, d.id LIMIT ?",
            [now, limit],
        )
        out = [dict(r) for r in rows]
        if exclude_chats:
            out = [r for r in out if r["chat_id"] not in exclude_chats]
        return out

    def next_retry_time(self) -> float | None:
        row = self.conn.execute(
            "SELECT MIN(d.next_attempt_at) FROM deliveries d JOIN jobs j ON j.id = d.job_id "
            "WHERE d.state = 'pending' AND j.status IN ('queued', 'sending')"
        ).fetchone()
        return row[0]

    def claim_delivery(self, delivery_id: int, job_id: int | None = None) -> bool:
        """pending -> sending, written *before* the send. False if someone else claimed it.

        With ``job_id``, a queued job becomes 'sending' (and gets its start time) in the same transaction.
        """
        now = utcnow_iso()
        with self.conn:
            cur = self.conn.execute(
                "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? "
                "WHERE id = ? AND state = 'pending'",
                (now, delivery_id),
            )
            if cur.rowcount and job_id is not None:
                self.conn.execute(
                    "UPDATE jobs SET status = 'sending', started_at = COALESCE(started_at, ?) "
                    "WHERE id = ? AND status = 'queued'",
                    (now, job_id),
                )
        return cur.rowcount > 0

    def finish_delivery(
        self, delivery_id: int, state: str, error: str | None = None, next_attempt_at: float | None = None,
        refund_attempt: bool = False,
    ) -> None:
        """Record the outcome, written *after* the send."""
        with self.conn:
            self.conn.execute(
                "UPDATE deliveries SET state = ?, error = ?, next_attempt_at = COALESCE(?, next_attempt_at), "
                "attempts = attempts - ?, updated_at = ? WHERE id = ?",
                (state, error, next_attempt_at, 1 if refund_attempt else 0, utcnow_iso(), delivery_id),
            )

    def reset_in_flight(self) -> int:
        """After a crash: deliveries caught between claim and outcome go back to pending."""
        with self.conn:
            cur = self.conn.execute(
                "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'sending'",
                (utcnow_iso(),),
            )
        return cur.rowcount

    def stop_job(self, job_id: int) -> int:
        """A running job becomes 'stopped' and its pending deliveries 'cancelled', in one transaction.

        Returns how many were cancelled, or -1 if the job was not running.
        """
        now = utcnow_iso()
        with self.conn:
            cur = self.conn.execute(
                "UPDATE jobs SET status = 'stopped', finished_at = ? WHERE id = ? AND status IN ('queued', 'sending')",
                (now, job_id),
            )
            if not cur.rowcount:
                return -1
            cur = self.conn.execute(
                "UPDATE deliveries SET state = 'cancelled', updated_at = ? WHERE job_id = ? AND state = 'pending'",
                (now, job_id),
            )
        return cur.rowcount

    def cancel_pending(self, job_id: int) -> int:
        with self.conn:
            cur = self.conn.execute(
                "UPDATE deliveries SET state = 'cancelled', updated_at = ? WHERE job_id = ? AND state = 'pending'",
                (utcnow_iso(), job_id),
            )
        return cur.rowcount

    def finish_job_if_done(self, job_id: int) -> bool:
        """A running job with no pending or in-flight delivery left becomes 'done' (once)."""
        with self.conn:
            if self.conn.execute(
                "SELECT 1 FROM deliveries WHERE job_id = ? AND state IN ('pending', 'sending') LIMIT 1", (job_id,)
            ).fetchone():
                return False
            cur = self.conn.execute(
                "UPDATE jobs SET status = 'done', finished_at = ? WHERE id = ? AND status IN ('queued', 'sending')",
                (utcnow_iso(), job_id),
            )
        return cur.rowcount > 0

    def job_has_open_deliveries(self, job_id: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM deliveries WHERE job_id = ? AND state IN ('pending', 'sending') LIMIT 1", (job_id,)
        ).fetchone()
        return row is not None

    def job_counts(self, job_id: int) -> dict[str, int]:
        counts = dict(
            self.conn.execute(
                "SELECT state, COUNT(*) FROM deliveries WHERE job_id = ? GROUP BY state", (job_id,)
            ).fetchall()
        )
        return {state: counts.get(state, 0) for state in (PENDING, SENDING, *FINAL_STATES)}

    def job_errors(self, job_id: int) -> dict[str, int]:
        return dict(
            self.conn.execute(
                "SELECT error, COUNT(*) FROM deliveries WHERE job_id = ? AND state IN ('failed', 'blocked') "
                "GROUP BY error ORDER BY COUNT(*) DESC",
                (job_id,),
            ).fetchall()
        )

    def delivery_totals(self) -> dict[str, int]:
        counts = dict(self.conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())
        return {state: counts.get(state, 0) for state in (PENDING, SENDING, *FINAL_STATES)}

    def deliveries_for_chat(self, chat_id: int) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM deliveries WHERE chat_id = ? ORDER BY id", [chat_id]))

    # -- confirmations ----------------------------------------------------------------------------
    def spend_confirmation(self, key: str) -> bool:
        """Mark the confirmation ``key`` as used. True only the first time, across processes and restarts."""
        with self.conn:
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO confirmations (key, at) VALUES (?, ?)", (key, utcnow_iso())
            )
        return cur.rowcount > 0

    # -- reminder ledger (one row per round, deadline and slot) --------------------------------------
    def reminder_runs(self, round_id: str, deadline: str) -> dict[str, dict[str, Any]]:
        return {
            r["slot"]: dict(r)
            for r in self.db.query(
                "SELECT * FROM reminder_runs WHERE round = ? AND deadline = ?", [round_id, deadline]
            )
        }

    def record_skipped_run(self, round_id: str, deadline: str, slot: str, fire_at: str) -> bool:
        with self.conn:
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO reminder_runs (round, deadline, slot, state, fire_at, recorded_at) "
                "VALUES (?, ?, ?, 'skipped', ?, ?)",
                (round_id, deadline, slot, fire_at, utcnow_iso()),
            )
        return cur.rowcount > 0

    @staticmethod
    def ledger_insert(round_id: str, deadline: str, slot: str, fire_at: str) -> tuple[str, tuple]:
        """SQL for ``create_job(extra_sql=...)``: the ledger row written with the fan-out."""
        return (
            "INSERT INTO reminder_runs (round, deadline, slot, state, fire_at, recorded_at, job_id) "
            "VALUES (?, ?, ?, 'sent', ?, ?, ?)",
            (round_id, deadline, slot, fire_at, utcnow_iso()),
        )

    # -- rounds -------------------------------------------------------------------------------------
    def round_state(self) -> dict[str, Any] | None:
        """What subscribers were last told: round, deadline, confirmed (None before the first start)."""
        value = self.get_meta(ROUND_STATE_KEY)
        return _loads(value) if value else None

    def adopt_round(self, round_id: str) -> None:
        """Rows written before rounds existed belong to ``round_id``."""
        with self.conn:
            self.conn.execute("UPDATE subscribers SET round = ? WHERE round IS NULL", (round_id,))
            self.conn.execute("UPDATE jobs SET round = ? WHERE round IS NULL", (round_id,))
            self.conn.execute("UPDATE reminder_runs SET round = ? WHERE round = ''", (round_id,))

    def announce(self, state: dict[str, Any], key: str | None = None, content: dict[str, Any] | None = None,
                 recipients: Iterable[int] | None = None, round_id: str | None = None) -> int | None:
        """Record what subscribers now know and, in the same transaction, queue the notice telling them.

        Returns the notice's job id (None without a notice, or when ``key`` was queued before).
        """
        with self.conn:
            self._put_meta(ROUND_STATE_KEY, _dumps(state))
            if key is None:
                return None
            return self._create_job(key, "notice", content or {}, recipients, round_id=round_id)

    def open_round(self, state: dict[str, Any], key: str,
                   content: dict[str, Any] | None) -> tuple[int | None, int]:
        """Start round ``state['round']`` atomically: notify the subscribers who opted in to the next round
        (none when ``content`` is None), move them to the new round, and end the subscriptions of the
        others (kept as inactive, reason 'round_over'). Returns (notice job id, subscriptions ended).
        """
        new = state["round"]
        now = utcnow_iso()
        with self.conn:
            opted = [r[0] for r in self.conn.execute(
                "SELECT chat_id FROM subscribers WHERE status = 'active' AND next_round = 1 "
                "AND (round IS NULL OR round != ?) ORDER BY chat_id", (new,))]
            self._put_meta(ROUND_STATE_KEY, _dumps(state))
            job_id = self._create_job(key, "notice", content, opted, round_id=new) if content else None
            self.conn.executemany(
                "UPDATE subscribers SET round = ?, next_round = 0, updated_at = ? WHERE chat_id = ?",
                [(new, now, chat_id) for chat_id in opted],
            )
            ended = self.conn.execute(
                "UPDATE subscribers SET status = 'inactive', inactive_reason = 'round_over', updated_at = ? "
                "WHERE status = 'active' AND (round IS NULL OR round != ?)", (now, new),
            ).rowcount
            if ended:
                self.conn.execute("INSERT INTO subscription_events (at, delta) VALUES (?, ?)", (now, -ended))
        return job_id, ended

    def close_round(self, round_id: str, key: str, content: dict[str, Any]) -> int | None:
        """The deadline of ``round_id`` has passed: reminders not yet delivered are cancelled, and the
        round's subscribers who have not opted in to the next round are asked once (job ``key``)."""
        with self.conn:
            if self.conn.execute("SELECT 1 FROM jobs WHERE key = ?", (key,)).fetchone():
                return None  # closed before (the periodic sweep asks again every few minutes)
            self.conn.execute(
                "UPDATE deliveries SET state = 'cancelled', error = 'round_closed', updated_at = ? "
                "WHERE state = 'pending' "
                "AND job_id IN (SELECT id FROM jobs WHERE kind = 'reminder' AND round = ?)",
                (utcnow_iso(), round_id),
            )
            self.conn.execute(
                "UPDATE jobs SET status = 'done', finished_at = ? WHERE kind = 'reminder' AND round = ? "
                "AND status IN ('queued', 'sending') AND NOT EXISTS (SELECT 1 FROM deliveries d "
                "WHERE d.job_id = jobs.id AND d.state IN ('pending', 'sending'))",
                (utcnow_iso(), round_id),
            )
            recipients = self.active_chat_ids(round_id=round_id, next_round=False)
            return self._create_job(key, "notice", content, recipients, round_id=round_id)

    def round_report(self) -> list[dict[str, Any]]:
        """Per round: reminder slots sent and skipped, and deliveries by state (for /stats)."""
        rows = self.conn.execute(
            "SELECT j.round, d.state, COUNT(*) FROM deliveries d JOIN jobs j ON j.id = d.job_id "
            "GROUP BY j.round, d.state"
        ).fetchall()
        runs = self.conn.execute(
            "SELECT round, state, COUNT(*) FROM reminder_runs GROUP BY round, state").fetchall()
        report: dict[str, dict[str, Any]] = {}
        for round_id, state, n in rows:
            report.setdefault(round_id or "", {"round": round_id or "", "deliveries": {}, "slots": {}})
            report[round_id or ""]["deliveries"][state] = n
        for round_id, state, n in runs:
            report.setdefault(round_id or "", {"round": round_id or "", "deliveries": {}, "slots": {}})
            report[round_id or ""]["slots"][state] = n
        return list(report.values())

