"""The benchmark's load client against a small HTTP server on 127.0.0.1."""

from __future__ import annotations

import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Bench, Page, Run
from bench.report import meets, writes_table


class _Recorder(BaseHTTPRequestHandler):
    """Answers every request; each POST adds a message to a cookie, as a flash would."""

    def do_GET(self):
        self.server.requests.append(("GET", self.headers.get("Cookie", "")))
        body = b'<input name="csrf_token" value="tok">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        cookie = self.headers.get("Cookie", "")
        self.server.requests.append(("POST", cookie))
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(302)
        self.send_header("Set-Cookie", f"session={cookie.removeprefix('session=')}x")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _post_page(**extra) -> Page:
    return Page(
        "post", "/new", method="POST", expect=302, form={"a": "1"}, form_page="/form", **extra
    )


def test_each_post_starts_from_the_session_the_form_left(server):
    bench = Bench(server.server_port, {"session": "s"}, concurrency=2, seconds=0.2, warmup=4)
    bench.single_seconds = 0

    measured = bench.measure(_post_page())

    posts = [cookie for method, cookie in server.requests if method == "POST"]
    assert measured.load.count > 4 and measured.load.errors == 0
    # Without the reset, each post would carry the messages of all posts before it.
    assert set(posts) == {"session=s"}


def test_writer_sends_at_its_rate_while_the_page_is_measured(server):
    writer = _post_page()
    page = Page("read", "/read", writer=writer, writes_per_second=20)
    bench = Bench(server.server_port, {"session": "s"}, concurrency=2, seconds=0.5, warmup=2)
    bench.single_seconds = 0

    measured = bench.measure(page)

    assert measured.writes is not None and measured.writes.errors == 0
    # 0.5 s at 20 a second: ten writes, give or take the first and the last.
    assert 8 <= measured.writes.count <= 12
    posts = [method for method, _ in server.requests if method == "POST"]
    assert len(posts) == measured.writes.count
    assert "| read | " in writes_table([measured])


def test_writer_failures_count_against_the_page(server):
    page = Page("read", "/read", writer=Page("w", "/w", expect=201), writes_per_second=50)
    bench = Bench(server.server_port, {}, concurrency=1, seconds=0.2, warmup=1)
    bench.single_seconds = 0

    measured = bench.measure(page)

    assert measured.load.errors == 0
    assert measured.writes.errors == measured.writes.count > 0
    assert not meets(measured, measured.load)


def test_percentile_is_nearest_rank():
    run = Run(latencies=[float(v) for v in range(1, 101)])
    assert run.percentile(50) == 50 and run.percentile(95) == 95 and run.percentile(100) == 100
    assert math.isnan(Run().percentile(95))
