"""``python -m bot dashboard``: the database, read-only, in Datasette, behind a staff password.

No web app of our own: Datasette (the optional ``dashboard`` extra) serves the SQLite file with
the Korean titles and saved queries of ``bot/dashboard.yaml``; datasette-auth-passwords checks
DASHBOARD_PASSWORD (its PBKDF2 hash is handed over in an environment variable, the password itself
never leaves this process); ``bot/dashboard_plugins`` sends visitors who are not logged in to the
login page, whose Korean form is in ``bot/dashboard_templates``.

Nothing can write: Datasette opens a mutable database file with ``mode=ro``, accepts only SELECT
in its SQL box, and has no write endpoints in the 0.65 series; the metadata defines no writable
query. Every table and query result has Datasette's CSV export.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

import yaml

from bot.config import MIN_DASHBOARD_PASSWORD, Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
METADATA = HERE / "dashboard.yaml"
PLUGINS_DIR = HERE / "dashboard_plugins"
TEMPLATES_DIR = HERE / "dashboard_templates"
HASH_VARIABLE = "DASHBOARD_PASSWORD_HASH"
USERNAME = "staff"
DEFAULT_PORT = 8001
SETTINGS = {
    "allow_download": "off",        # no download of the whole .db file
    "default_page_size": "100",
    "max_returned_rows": "10000",
    "sql_time_limit_ms": "5000",
}
NO_PASSWORD = (
    "DASHBOARD_PASSWORD is not set: the dashboard shows subscriber data and needs a password.\n"
    f"  Put one of at least {MIN_DASHBOARD_PASSWORD} characters in .env, for example the output of:\n"
    '  python3 -c "import secrets; print(secrets.token_urlsafe(16))"'
)
NOT_INSTALLED = (
    "The dashboard needs Datasette, an optional extra: pip install -e '.[dashboard]' "
    "(the Docker image and `make test` include it)."
)


class DashboardError(Exception):
    """One line for the operator; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def build_metadata(database: Path) -> dict:
    """The metadata file's content, keyed by the database name Datasette derives from the file name."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    metadata["databases"] = {database.stem: metadata["databases"]["bot"]}
    return metadata


def datasette_args(database: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    args = ["serve", str(database), "--metadata", str(metadata_path), "--host", host, "--port", str(port),
            "--plugins-dir", str(PLUGINS_DIR), "--template-dir", str(TEMPLATES_DIR)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    return args


def prepare(settings: Settings) -> str:
    """Check everything the dashboard needs; returns the password hash for Datasette."""
    if not settings.dashboard_password:
        raise DashboardError(NO_PASSWORD)
    try:
        from datasette_auth_passwords.utils import hash_password
    except ImportError:
        raise DashboardError(NOT_INSTALLED) from None
    if not settings.database_path.is_file():
        raise DashboardError(
            f"no database at {settings.database_path} (check DATABASE_PATH; the bot creates it)", 1
        )
    return hash_password(settings.dashboard_password.get())


def serve(settings: Settings, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
    password_hash = prepare(settings)
    from datasette.cli import cli

    os.environ[HASH_VARIABLE] = password_hash
    with tempfile.TemporaryDirectory(prefix="sangsaeng-dashboard-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(json.dumps(build_metadata(settings.database_path), ensure_ascii=False),
                                 encoding="utf-8")
        print(f"Staff dashboard (read-only) at http://{host}:{port}/ - log in with DASHBOARD_PASSWORD; "
              "Ctrl-C stops it.", flush=True)
        cli.main(args=datasette_args(settings.database_path, metadata_path, host, port),
                 prog_name="datasette", standalone_mode=False)
    return 0
