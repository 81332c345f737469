"""`cocity serve` starts the production server: DEBUG off, pages and static files served."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_serve_answers_pages_and_static_files_with_debug_off(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "COCITY_DATA_DIR": str(tmp_path),
        "COCITY_DEBUG": "1",  # serve must turn it off whatever the environment says
        "COCITY_WORKERS": "1",
    }
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "cocity.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        status = 0
        while time.monotonic() < deadline:
            try:
                status, body, _ = _get(f"http://127.0.0.1:{port}/")
                break
            except (ConnectionError, urllib.error.URLError, TimeoutError):
                if proc.poll() is not None:
                    raise AssertionError(
                        proc.stdout.read().decode() if proc.stdout else ""
                    ) from None
                time.sleep(0.5)
        assert status == 200
        assert b"Territories" in body
        css_status, css, _headers = _get(f"http://127.0.0.1:{port}/static/cocity/app.css")
        assert css_status == 200 and b"--accent" in css
        missing, page, _ = _get(f"http://127.0.0.1:{port}/no/such/page/")
        assert missing == 404
        assert b"Traceback" not in page and b"URLconf" not in page  # no DEBUG page
    finally:
        proc.terminate()
        proc.wait(timeout=20)
