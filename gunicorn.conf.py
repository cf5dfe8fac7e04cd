"""Gunicorn for Brugwijzer: `gunicorn brugwijzer.wsgi:application` from the project folder reads
this file. Each app server is stateless (sessions in the database or Redis, static files from
WhiteNoise), so a load balancer may send any request to any of them. See docs/deploy.md.

Every value can be changed by an environment variable, read with the same helpers as the
settings (a typo stops gunicorn at start-up).
"""

import logging
import multiprocessing
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gunicorn.glogging import Logger

from brugwijzer.env import env_int, env_str
from brugwijzer.logs import JsonFormatter, loggable_path

wsgi_app = "brugwijzer.wsgi:application"
bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: one request each. Two per core and one spare is gunicorn's rule of thumb.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 1)  # more than one switches to the gthread worker
# A worker silent for this long is killed and replaced; the slowest page (the HSDS import of a
# 10 MiB upload) stays well below it.
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the load balancer's idle timeout, so the balancer closes idle connections first.
keepalive = env_int("GUNICORN_KEEPALIVE", 75)
# Recycle a worker after this many requests (spread by the jitter so they do not all restart at
# once): bounds the memory a long-lived process may slowly gather.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The addresses of the load balancers whose X-Forwarded-Proto gunicorn believes (it then tells
# Django the request came over https). Gunicorn's own variable, with gunicorn's default.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Bigger request lines or headers than this are refused before they reach Django.
limit_request_line = 8190
# Worker heartbeats on tmpfs where there is one (containers often have a disk-backed /tmp).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108

# No runtime control socket (gunicornc): restarts and scaling go through the service manager.
control_socket_disable = True

# Access log on stdout, everything else on stderr, all as JSON lines; Python warnings too.
accesslog = "-"
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")
logging.captureWarnings(True)


class GunicornLogger(Logger):
    """Gunicorn's error and access logs as JSON lines (brugwijzer.logs.JsonFormatter). The access
    record names the method, the path without its query string (a search for a family's name
    would otherwise be logged) and without a calendar feed's token, the status, size, duration and
    request id; no client address, user agent or referrer, which the load balancer's own logs keep
    if needed."""

    def _set_handler(self, log, output, fmt, stream=None):
        super()._set_handler(log, output, JsonFormatter(), stream=stream)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {name.lower(): value for name, value in resp.headers}
        try:
            self.access_log.info(
                "request",
                extra={
                    "method": environ.get("REQUEST_METHOD"),
                    "path": loggable_path(environ.get("PATH_INFO")),
                    "status": int(status),
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": round(request_time.total_seconds() * 1000, 1),
                    "request_id": headers.get("x-request-id", "-"),
                },
            )
        except Exception:
            self.error(traceback.format_exc())


logger_class = GunicornLogger
