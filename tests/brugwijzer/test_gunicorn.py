"""gunicorn.conf.py: it loads, reads its environment variables, and a real gunicorn serving the
app writes JSON access and error logs without query strings, form data or client addresses."""

import json
import logging
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CANARY = "Canarina Vogelzang"


def _load(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        logging.captureWarnings(False)  # the file switches it on for gunicorn's process, not ours


def test_the_configuration_loads_with_sensible_defaults(monkeypatch):
    config = _load(monkeypatch)
    assert config["wsgi_app"] == "brugwijzer.wsgi:application"
    assert config["bind"] == "0.0.0.0:8000"
    assert config["workers"] >= 3
    assert config["max_requests"] == 1000
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["accesslog"] == "-"
    assert config["logger_class"].__name__ == "GunicornLogger"


def test_the_environment_sets_bind_workers_and_trusted_proxies(monkeypatch):
    config = _load(
        monkeypatch, GUNICORN_BIND="127.0.0.1:9000", WEB_CONCURRENCY="5", FORWARDED_ALLOW_IPS="10.0.0.10,10.0.0.11"
    )
    assert (config["bind"], config["workers"], config["forwarded_allow_ips"]) == (
        "127.0.0.1:9000",
        5,
        "10.0.0.10,10.0.0.11",
    )


def test_gunicorn_accepts_the_configuration():
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "brugwijzer.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url, data=None):
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _serve(port, tmp_path, **env):
    return subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "brugwijzer.settings",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_up(port):
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)


def test_a_running_gunicorn_logs_json_lines_without_personal_data(tmp_path):
    port = _free_port()
    server = _serve(port, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(port)
        query = urllib.parse.urlencode({"q": CANARY})
        assert _fetch(f"{base}/healthz?{query}") == 200
        assert _fetch(f"{base}/no-such-page/?{query}") == 404
        form = urllib.parse.urlencode({"username": CANARY}).encode()
        assert _fetch(f"{base}/accounts/login/?{query}", data=form) == 403
    finally:
        server.terminate()
        stdout, stderr = server.communicate(timeout=30)

    access = [json.loads(line) for line in stdout.splitlines()]
    errors = [json.loads(line) for line in stderr.splitlines()]
    assert {key: value for key, value in access[-2].items() if key in {"method", "path", "status"}} == {
        "method": "GET",
        "path": "/no-such-page/",
        "status": 404,
    }
    assert access[-1]["status"] == 403
    assert all(line["logger"] == "gunicorn.access" and len(line["request_id"]) == 32 for line in access)
    django_404 = next(line for line in errors if line["message"] == "Not Found: /no-such-page/")
    assert django_404["request_id"] == access[-2]["request_id"]
    assert any(line["logger"] == "gunicorn.error" for line in errors)
    everything = stdout + stderr
    assert CANARY.split()[0] not in everything
    assert "q=" not in everything
    assert "127.0.0.1:" not in stdout, "the access log names no client address"


def test_gunicorn_believes_x_forwarded_proto_only_from_the_load_balancer(tmp_path):
    """With HTTPS on and BRUGWIJZER_BEHIND_PROXY off, gunicorn alone decides whether a request
    came over https: from an address in FORWARDED_ALLOW_IPS its X-Forwarded-Proto counts."""
    import http.client

    def status(port, headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz", headers=headers)
        return connection.getresponse().status

    for allowed, expected in (("127.0.0.1", 200), ("10.9.9.9", 301)):
        port = _free_port()
        server = _serve(port, tmp_path, BRUGWIJZER_HTTPS="true", FORWARDED_ALLOW_IPS=allowed)
        try:
            _wait_until_up(port)
            assert status(port, {"X-Forwarded-Proto": "https"}) == expected, f"FORWARDED_ALLOW_IPS={allowed}"
            assert status(port, {}) == 301  # plain http is sent to https
        finally:
            server.terminate()
            server.communicate(timeout=30)
