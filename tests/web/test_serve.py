"""`qorgau serve`: gunicorn with the production settings answers, static files included."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qorgau.web.management.commands.serve import default_workers

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"QORGAU_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="serve-test-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
    )
    command = [
        sys.executable,
        "manage.py",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    "qorgau serve did not start:\n"
                    + (process.stdout.read() if process.stdout else "")
                )
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_serves_pages_and_static_files_with_debug_off(server):
    status, headers, body = get(server + "/static/qorgau/qorgau.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert len(body) > 0

    assert get(server + "/static/qorgau/no-such-file.css")[0] == 404
    status, headers, _ = get(server + "/")
    assert status == 302
    assert headers["Location"].startswith("/login/")
    assert get(server + "/login/")[0] == 200


def test_workers_are_sized_to_the_cores_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert default_workers() == 2 * len(os.sched_getaffinity(0)) + 1
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert default_workers() == 3


def test_bad_worker_counts_are_refused(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(CommandError, match="WEB_CONCURRENCY must be a whole number"):
        default_workers()
    with pytest.raises(CommandError, match="must be at least 1"):
        call_command("serve", "--workers", "0", "--no-collectstatic")
