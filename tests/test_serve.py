"""`mkdocs serve` rebuilds on data changes, survives a broken data file and recovers on the next save."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

DEADLINE_S = 60
PAGE = "districts/eunpyeong-gu/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A `mkdocs serve` subprocess whose output is collected by a thread."""

    def __init__(self, root: Path, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line)

    def output(self) -> str:
        with self._lock:
            return "".join(self.lines)

    def get(self, path: str, timeout: float = 5) -> str | None:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as resp:
                return resp.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, condition, what: str) -> None:
        """Poll until `condition()` holds; fail after the deadline with the server's output."""
        end = time.monotonic() + DEADLINE_S
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                pytest.fail(f"the server stopped while waiting for {what}:\n{self.output()}")
            if condition():
                return
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}:\n{self.output()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_serve_survives_a_broken_data_file_and_recovers(project):
    clusters = project / "data" / "clusters.yml"
    original = clusters.read_text(encoding="utf-8")
    good_line = "  floors: 지상3~4층\n"
    assert original.count(good_line) == 1
    server = Server(project, free_port())
    try:
        server.wait_for(lambda: (server.get(PAGE) or "").find("은평구 사회적경제허브센터") >= 0, "the first build")

        # Break the YAML: an unclosed list.
        builds_before = server.output().count("Documentation built")
        clusters.write_text(original.replace(good_line, "  floors: [지상3~4층\n"), encoding="utf-8")
        server.wait_for(lambda: "data/clusters.yml:" in server.output(), "the error message")
        server.wait_for(
            lambda: "An error happened during the rebuild" in server.output(), "the end of the failed build"
        )
        log = server.output()
        assert re.search(r"data/clusters\.yml:\d+: YAML syntax error", log), log
        assert "nothing was published" in log
        assert "Traceback" not in log
        assert server.proc.poll() is None, "the server must keep running"
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
        # MkDocs holds page requests until a build succeeds (never a half-built site): a request made
        # now is answered after the fix, with the fixed page.
        held: dict[str, str | None] = {}
        request = threading.Thread(target=lambda: held.update(page=server.get(PAGE, timeout=DEADLINE_S)), daemon=True)
        request.start()

        # Fix it, with a visible change: the page shows the new name after the next rebuild.
        fixed = original.replace("name: 은평구 사회적경제허브센터\n", "name: 은평구 사회적경제허브센터 (고침)\n")
        assert fixed != original
        clusters.write_text(fixed, encoding="utf-8")
        server.wait_for(lambda: "사회적경제허브센터 (고침)" in (server.get(PAGE) or ""), "the fixed page")
        request.join(timeout=DEADLINE_S)
        assert "사회적경제허브센터 (고침)" in (held.get("page") or ""), "the held request must get the fixed page"
        assert server.output().count("Documentation built") > builds_before
        assert "Traceback" not in server.output()
    finally:
        server.stop()
