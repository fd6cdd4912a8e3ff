"""``python -m bot backup PATH``: a consistent, verified copy of the live database.

SQLite's online backup API copies the database in one step, inside one read transaction: in WAL
mode the running bot keeps writing meanwhile and the copy is the snapshot of one instant (a
step-by-step backup would restart whenever the bot writes, which during a broadcast is always).
The copy is written next to the target as ``<name>.partial``, switched to a single-file journal,
opened again and checked with ``PRAGMA integrity_check``, and only then renamed into place; a copy
that fails the check is deleted and the command exits 1.

PATH may be a file, or a directory (ending in ``/`` or existing), where the copy is named
``<database>-<UTC timestamp>.db``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BUSY_TIMEOUT_S = 30.0


class BackupError(Exception):
    """The backup could not be made or did not verify; the message is one line for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float
    schema_version: int
    subscribers: int
    deliveries: int

    def describe(self) -> str:
        return (f"Backup OK: {self.path} ({self.size / 1_048_576:.1f} MB, schema {self.schema_version}, "
                f"{self.subscribers} subscribers, {self.deliveries} deliveries, integrity ok) "
                f"in {self.seconds:.2f} s")


def resolve_target(database: Path, target: Path | str, now: datetime | None = None) -> Path:
    raw = str(target)
    target = Path(target)
    if raw.endswith(("/", os.sep)) or target.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        target = target / f"{database.stem}-{stamp}.db"
    return target


def verify(path: Path) -> tuple[int, int, int]:
    """integrity_check on a fresh read-only connection; returns (schema version, subscribers, deliveries)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(f"the copy failed PRAGMA integrity_check: {'; '.join(result[:3])}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        subscribers = deliveries = 0
        if "subscribers" in tables:
            subscribers = conn.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0]
        if "deliveries" in tables:
            deliveries = conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0]
        return version, subscribers, deliveries
    finally:
        conn.close()


def backup(database: Path, target: Path | str) -> BackupResult:
    start = time.perf_counter()
    database = Path(database)
    if not database.is_file():
        raise BackupError(f"no database at {database} (check DATABASE_PATH)")
    target = resolve_target(database, target)
    if target.exists() and target.resolve() == database.resolve():
        raise BackupError("the target is the live database itself; choose another path")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)

    source = sqlite3.connect(str(database), timeout=BUSY_TIMEOUT_S)
    try:
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)  # pages=-1: the whole database in one step, one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            copy.commit()
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from None
    finally:
        source.close()

    try:
        version, subscribers, deliveries = verify(partial)
    except (BackupError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(str(exc)) from None
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, time.perf_counter() - start, version, subscribers,
                        deliveries)
