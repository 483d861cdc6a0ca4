"""bench/mixed.lua under wrk, against a tiny local server: the mix is read, weighted, counted."""

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load

pytestmark = pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (make bench-load installs it)"
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def site(tmp_path):
    (tmp_path / "ok.html").write_text("ok", encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_wrk(base, tmp_path, lines):
    mix = tmp_path / "mix.tsv"
    mix.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load.parse_wrk(load.wrk(base, mix, seconds=1, connections=2, threads=1))


def test_every_page_of_the_mix_answering_200_counts_as_a_page_view(site, tmp_path):
    result = run_wrk(site, tmp_path, ["3\tsessionid=x\t/ok.html\tok page", "1\t\t/ok.html\tagain"])

    assert result["requests"] > 0
    assert result["not_200"] == 0
    assert result["page_views_per_s"] == pytest.approx(result["requests_per_s"])
    assert 0 < result["latency_ms"]["p50"] <= result["latency_ms"]["p95"]


def test_answers_other_than_200_are_counted_and_not_page_views(site, tmp_path):
    result = run_wrk(site, tmp_path, ["1\tsessionid=x\t/missing\tgone"])

    assert result["requests"] > 0
    assert result["not_200"] == result["requests"]
    assert result["page_views_per_s"] == 0


def test_a_mix_without_pages_is_refused(site, tmp_path):
    with pytest.raises(subprocess.CalledProcessError):
        run_wrk(site, tmp_path, ["not a mix line"])
