"""Logs that carry a request id and never carry a personal link's token.

- ``RequestIdFilter`` puts the current request's id on every record.
- ``RedactTokensFilter`` masks token-looking path segments (emailed links,
  password reset keys, calendar feeds) in every message.
- ``JsonFormatter`` writes one JSON object per line (LOG_FORMAT=json).
- ``GunicornLogger`` applies the same masking to gunicorn's access log
  (config/gunicorn.py).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# A path segment or query value of 20+ URL-safe characters is a token (ours
# are 43; Django's reset keys and allauth's keys are longer than 20).
TOKEN_RE = re.compile(r"(?<=[/=])[A-Za-z0-9_\-:.]{20,}(?=[/?&\s\"']|$)")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with every token-looking URL part replaced by ``[redacted]``."""
    return TOKEN_RE.sub(REDACTED, text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                data[field] = getattr(record, field)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


try:
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # pragma: no cover - gunicorn is only in the image
    _GunicornBase = object


class GunicornLogger(_GunicornBase):
    """gunicorn's logger with request lines, paths and query strings masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


def sentry_before_send(event, hint):
    """Mask tokens in what Sentry receives about the request."""
    request = event.get("request") or {}
    for key in ("url", "query_string"):
        if isinstance(request.get(key), str):
            request[key] = redact(request[key])
    return event
