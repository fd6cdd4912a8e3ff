# The bot (and, with another command, the staff dashboard) in one small image.
# Not built by CI (no Docker there); the test suite lints this file with hadolint.
#   docker build -t sangsaeng-bot .
#   docker run -d --env-file .env -v sangsaeng-data:/var/lib/sangsaeng -p 127.0.0.1:8443:8443 sangsaeng-bot
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/var/lib/sangsaeng/bot.db \
    DATA_DIR=/app/data \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8443

RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir -p /var/lib/sangsaeng \
    && chown bot:bot /var/lib/sangsaeng

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY tgemu ./tgemu
COPY data/*.yaml ./data/
# This project itself; its dependencies are pinned with ~= in pyproject.toml.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[dashboard]"

USER 10001:10001
# The database (and its -wal/-shm files) lives on a volume; the image itself stays read-only.
VOLUME ["/var/lib/sangsaeng"]
# 8443: the webhook and GET /healthz (webhook mode); 8001: the dashboard (python -m bot dashboard).
EXPOSE 8443 8001
# Webhook mode: GET /healthz must answer 200. Polling mode has no endpoint; the command then exits 0.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "bot", "healthcheck"]
# SIGTERM stops cleanly within 15 s (sends in flight finish or are recorded unsent).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
