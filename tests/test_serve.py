"""`mkdocs serve` never hangs on a mistake: every page keeps answering with the last good build and a
panel listing each problem, the terminal prints each problem in full every time, and the page
recovers by itself (live reload) when the mistake is fixed. `mkdocs build` still fails on each."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import START_ENV, copy_project, run_build
from seatlas.model.load import load_data
from seatlas.render.paths import PAGE_CHECKS

DEADLINE_S = 60
PAGE = "districts/eunpyeong-gu/"
OTHER_PAGES = ("", "clusters/", "timelines/history/")
FIRST = "- id: cluster-eunpyeong\n"


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
            env={**START_ENV, "NO_MKDOCS_2_WARNING": "1"},
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

    def timed_get(self, path: str) -> tuple[float, str | None]:
        start = time.perf_counter()
        body = self.get(path, timeout=DEADLINE_S)
        return time.perf_counter() - start, body

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


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str
    new: str  # "" with old == "*" empties the file; old == "+" appends new
    message: str  # the exact message up to the parser's own words, if any


def apply(text: str, m: Mistake) -> str:
    if m.old == "*":
        return m.new
    if m.old == "+":
        return text + m.new
    assert text.count(m.old) >= 1, m.old
    return text.replace(m.old, m.new, 1)


CLUSTERS = Path(__file__).resolve().parent.parent / "data" / "clusters.yml"
EUNPYEONG = CLUSTERS.read_text(encoding="utf-8").split("\n\n- id: cluster-seongbuk")[0].split(FIRST, 1)[1]
MISTAKES = [
    Mistake(
        "tab",
        "  kind: district-cluster\n",
        "\tkind: district-cluster\n",
        "data/clusters.yml:8: record cluster-eunpyeong: 탭 문자는 쓸 수 없습니다: 스페이스로 들여쓰세요 (YAML: ",
    ),
    Mistake(
        "over-indented",
        "  kind: district-cluster\n",
        "    kind: district-cluster\n",
        "data/clusters.yml:8: record cluster-eunpyeong: 이 줄이 윗줄보다 더 들여 쓰여 있습니다: "
        "윗줄의 필드와 같은 칸에서 시작하세요 (스페이스 2칸) (YAML: ",
    ),
    Mistake(
        "under-indented",
        "  kind: district-cluster\n",
        " kind: district-cluster\n",
        "data/clusters.yml:8: record cluster-eunpyeong: 이 줄이 윗줄보다 덜 들여 쓰여 있습니다: "
        "같은 기록의 필드는 윗줄의 필드와 같은 칸에서 시작하세요 (스페이스 2칸) (YAML: ",
    ),
    Mistake(
        "unclosed-quote",
        "  name: 은평구 사회적경제허브센터\n",
        '  name: "은평구 사회적경제허브센터\n',
        'data/clusters.yml:7: record cluster-eunpyeong: 따옴표(")가 닫히지 않았습니다: 값 끝에 "를 붙이세요, '
        '예: name: "은평구 사회적경제허브센터" (YAML: ',
    ),
    Mistake(
        "district-name",
        '  district: "11380"\n',
        "  district: 은평구\n",
        "data/clusters.yml:9: record cluster-eunpyeong: district: 자치구는 이름이 아니라 코드로 씁니다: 은평구 -> 11380 "
        '("11380"처럼 따옴표로 감싸 쓰세요) (expected a 5-digit code, got "은평구")',
    ),
    Mistake(
        "repeated-tab",
        "  kind: district-cluster\n",
        "\tkind: district-cluster\n",
        "data/clusters.yml:8: record cluster-eunpyeong: 탭 문자는 쓸 수 없습니다: 스페이스로 들여쓰세요 (YAML: ",
    ),
    Mistake(
        "duplicated-id",
        "+",
        "\n" + FIRST + EUNPYEONG,
        "record cluster-eunpyeong: id: duplicate id: already used at data/clusters.yml:6",
    ),
    Mistake(
        "emptied",
        "*",
        "",
        "data/clusters.yml:1: 파일이 비어 있습니다: 기록 목록을 쓰세요, 기록이 없으면 [] 한 줄 (the file is empty)",
    ),
]


def test_build_still_fails_on_each_mistake(tmp_path):
    original = CLUSTERS.read_text(encoding="utf-8")
    for m in MISTAKES:
        data = tmp_path / m.name / "data"
        copy_data(data)
        (data / "clusters.yml").write_text(apply(original, m), encoding="utf-8")
        # The check `mkdocs build` runs in on_config: any problem raises, nothing is built.
        _, problems = load_data(data, extra_checks=PAGE_CHECKS)
        found = [str(p) for p in problems]
        assert len(found) == 1, (m.name, found)
        assert m.message in found[0] and found[0].startswith("data/clusters.yml:"), (m.name, found)


def copy_data(dest: Path) -> None:
    import shutil

    shutil.copytree(CLUSTERS.parent, dest)


@pytest.mark.slow
def test_a_strict_build_with_a_yaml_mistake_publishes_nothing(project):
    clusters = project / "data" / "clusters.yml"
    clusters.write_text(apply(clusters.read_text(encoding="utf-8"), MISTAKES[0]), encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1
    assert "The atlas data has 1 problem; nothing was published:" in result.output
    assert MISTAKES[0].message in result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


def assert_answers_at_once(server: Server, path: str) -> str:
    """The page answers within a second (best of three: the machine may be busy), with the panel."""
    times, body = [], None
    for _ in range(3):
        seconds, body = server.timed_get(path)
        assert body is not None, path
        times.append(seconds)
    assert min(times) < 1.0 and max(times) < 5.0, (path, times, server.output()[-2000:])
    assert 'id="atlas-problems"' in body and "사회적경제" in body
    return body


def panel_items(page) -> list[str]:
    return page.locator("#atlas-problems li").all_inner_texts()


@pytest.mark.browser
@pytest.mark.slow
def test_every_mistake_shows_in_the_browser_and_recovers_by_itself(project, browser):
    from browser import close, new_page

    clusters = project / "data" / "clusters.yml"
    original = clusters.read_text(encoding="utf-8")
    server = Server(project, free_port())
    page, log = new_page(browser)
    try:
        server.wait_for(lambda: "은평구 사회적경제허브센터" in (server.get(PAGE) or ""), "the first build")
        page.goto(server.url + PAGE, wait_until="load")
        assert page.locator("#atlas-problems").count() == 0
        for m in MISTAKES:
            builds = server.output().count("records checked")
            clusters.write_text(apply(original, m), encoding="utf-8")
            # The open page reloads by itself and shows the panel (MkDocs' live reload).
            page.wait_for_selector("#atlas-problems", timeout=DEADLINE_S * 1000)
            items = panel_items(page)
            assert len(items) == 1 and m.message in items[0], (m.name, items)
            assert page.locator("#atlas-problems h2").inner_text() == "고칠 곳이 1개 있습니다"
            # The same words in the terminal, in full, as often as the mistake was made.
            server.wait_for(lambda b=builds: server.output().count("records checked") > b, f"{m.name}: summary")
            out = server.output()
            made = sum(1 for x in MISTAKES[: MISTAKES.index(m) + 1] if x.new == m.new and x.old == m.old)
            assert out.count(f"  {items[0]}\n") == made, (m.name, out)
            assert "Traceback" not in out and "Aborted" not in out
            # Every page keeps answering at once, from the last good build, with the panel.
            for path in OTHER_PAGES:
                assert_answers_at_once(server, path)
            assert "은평구 사회적경제허브센터" in page.content(), "the last good page stays under the panel"

            clusters.write_text(original, encoding="utf-8")
            page.wait_for_selector("#atlas-problems", state="detached", timeout=DEADLINE_S * 1000)
            page.locator("article h1").wait_for()
            assert page.locator("#atlas-problems").count() == 0
            assert "은평구 사회적경제허브센터" in page.locator("article").inner_text()
        last = server.output().splitlines()
        summaries = [ln for ln in last if "records checked" in ln]
        assert re.search(r"atlas: \d+ records checked, \d+ pages built in [\d.]+ s$", summaries[-1]), summaries[-1]
        broken = [ln for ln in summaries if "problem" in ln]
        assert len(broken) == len(MISTAKES), summaries
        assert all(ln.endswith("; 1 problem on the preview's panel") for ln in broken), broken
        assert log.real_errors() == []
    finally:
        close(page)
        server.stop()


@pytest.mark.slow
def test_serve_started_on_broken_data_answers_and_recovers(tmp_path):
    root = copy_project(tmp_path)
    clusters = root / "data" / "clusters.yml"
    original = clusters.read_text(encoding="utf-8")
    clusters.write_text(apply(original, MISTAKES[0]), encoding="utf-8")
    server = Server(root, free_port())
    try:
        # No good build yet: the records that could be read are shown, under the panel.
        server.wait_for(lambda: 'id="atlas-problems"' in (server.get("") or ""), "the first page with the panel")
        for path in ("", "districts/eunpyeong-gu/", "clusters/"):
            body = assert_answers_at_once(server, path)
            assert MISTAKES[0].message in re.sub(r"<[^>]+>", "", body)
        clusters.write_text(original, encoding="utf-8")
        server.wait_for(lambda: 'id="atlas-problems"' not in (server.get(PAGE) or "atlas-problems"), "recovery")
        assert "은평구 사회적경제허브센터" in server.get(PAGE)
        # Any other failure (here mkdocs.yml itself broken) also ends in the panel, never in a held request.
        config = root / "mkdocs.yml"
        good_config = config.read_text(encoding="utf-8")
        config.write_text(
            good_config.replace("use_directory_urls: true", "use_directory_urls: [true"), encoding="utf-8"
        )
        server.wait_for(lambda: 'id="atlas-problems"' in (server.get(PAGE) or ""), "the panel for a broken mkdocs.yml")
        body = re.sub(r"<[^>]+>", "", assert_answers_at_once(server, "clusters/"))
        assert "the site could not be built: MkDocs encountered an error parsing the configuration file" in body
        config.write_text(good_config, encoding="utf-8")
        server.wait_for(lambda: 'id="atlas-problems"' not in (server.get(PAGE) or "atlas-problems"), "recovery")
        out = server.output()
        assert "Traceback" not in out
        assert out.count("records are older than") == 1, "the stale-records notice is told once a session"
        assert "not included in the" not in out, "generated pages are not listed as missing from the nav"
    finally:
        server.stop()
