"""Measure the atlas build side by side with plain MkDocs; write the Benchmarks page.

Usage: scripts/benchmark [--runs N] [--national-runs N] [--loop-runs N] [--scale S] [--skip PART ...]
       [--no-browser] [--dry-run]

Real atlas cold (empty cache) and warm (the cache of the build before) against plain MkDocs building
the same final pages; the national data set the same way; the editor loop under `mkdocs serve`; the
search index sizes; the national map page in Chromium; peak memory. The table is printed and written
to content/benchmarks.md, unless --dry-run is given or the run was partial (a part skipped, a scale
other than 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import yaml
from seatlas.glue.events import POLL_S  # how often the preview looks for saved files

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PARTS = ("real", "national", "loop", "map")


def copy_project(dest: Path, data: Path | None = None) -> Path:
    """What a build reads (mkdocs.yml, content/, data/, the hook file); no cache."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(data or ROOT / "data", dest / "data")
    (dest / "hooks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "hooks" / "atlas.py", dest / "hooks" / "atlas.py")
    return dest


# -- timed builds ---------------------------------------------------------------------------

# A child Python runs the build and reports its own peak memory (ru_maxrss of its children, in KiB).
_MEASURE = (
    "import resource,subprocess,sys,time;t=time.perf_counter();"
    "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);d=time.perf_counter()-t;"
    "sys.stderr.write(r.stdout+r.stderr) if r.returncode else None;"
    "print(r.returncode,d,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed_build(root: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one `mkdocs build --strict`."""
    cmd = [PY, "-c", _MEASURE, PY, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"]
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=ENV, check=True)
    code, seconds, kib = out.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed in {root}:\n{out.stderr}")
    return float(seconds), int(kib) / 1024


def cold_build(root: Path) -> tuple[float, float]:
    """A build with an empty cache, as on a fresh checkout."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    return timed_build(root)


@dataclass
class Series:
    """Seconds and peak MiB of the runs of one kind of build."""

    seconds: list[float] = field(default_factory=list)
    mib: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.mib)


def side_by_side(runs: int, builds: dict[str, tuple]) -> dict[str, Series]:
    """Each build in turn, `runs` rounds, so that every kind meets the same load of the machine."""
    series = {name: Series() for name in builds}
    for _ in range(runs):
        for name, (func, root) in builds.items():
            seconds, mib = func(root)
            series[name].seconds.append(seconds)
            series[name].mib.append(mib)
    return series


def versus(a: Series, b: Series) -> tuple[str, float]:
    """'3.1 s vs 2.0 s: 1.55x' and the ratio of the medians."""
    r = a.median / b.median
    return f"{a.median:.2f} s vs {b.median:.2f} s: {r:.2f}x", r


# -- plain MkDocs of the same pages ------------------------------------------------------


def write_generated(project: Path, content: Path) -> None:
    """Child process: write every generated file of the project into content/; print the expanded nav."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from mkdocs.config import load_config
    from seatlas.glue import events

    config = load_config(str(project / "mkdocs.yml"))
    events.on_config(config)  # makes every generated file
    for out in events.state.outputs:
        target = content / out.path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = out.content if isinstance(out.content, bytes) else out.content.encode("utf-8")
        target.write_bytes(data)
    print(json.dumps(config["nav"], ensure_ascii=False))


def plain_copy(project: Path) -> Path:
    """The same final pages as plain Markdown and files, built by MkDocs with no hooks."""
    plain = project.parent / f"{project.name}-plain"
    shutil.copytree(project / "content", plain / "content")
    # A child process makes them, so this one does not hold a national atlas while it measures.
    done = subprocess.run(
        [PY, __file__, "--write-generated", str(project), str(plain / "content")],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    raw = yaml.safe_load(
        re.sub(r"!ENV \[[^,]+, *(\"[^\"]*\")\]", r"\1", (project / "mkdocs.yml").read_text(encoding="utf-8"))
    )
    raw.pop("hooks", None)
    raw.pop("watch", None)
    raw["nav"] = json.loads(done.stdout.strip().splitlines()[-1])
    raw.get("extra", {}).pop("atlas", None)
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return plain


# -- the editor loop -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, needle: str, limit: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if needle in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}")


def editor_loop(project: Path, runs: int) -> tuple[float, float]:
    """Median seconds from saving a file to the rebuilt page: a YAML record, then a Markdown page."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base, "<html")
        yaml_times, md_times = [], []
        clusters = project / "data" / "clusters.yml"
        page = project / "content" / "guide.md"

        # The preview looks for changes by polling each watched folder every POLL_S. Saving right after
        # the last page came back would tie each save to the same moment of a poller's cycle; saves
        # spread evenly over the cycle wait what an editor waits on average.
        def pause(n: int) -> None:
            time.sleep(POLL_S * ((n * 0.6180339887) % 1))

        for i in range(runs):
            pause(2 * i)
            text = clusters.read_text(encoding="utf-8")
            new = 900 + i
            clusters.write_text(re.sub(r"tenant_count: \d+", f"tenant_count: {new}", text, count=1), "utf-8")
            yaml_times.append(wait_for(base + "districts/eunpyeong-gu/", f"{new}개 조직"))
            pause(2 * i + 1)
            marker = f"benchmark-marker-{i}"
            page.write_text(page.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
            md_times.append(wait_for(base + "guide/", marker))
        print("editor loop, YAML:", " ".join(f"{t:.2f}" for t in yaml_times), file=sys.stderr)
        print("editor loop, Markdown:", " ".join(f"{t:.2f}" for t in md_times), file=sys.stderr)
        return statistics.median(yaml_times), statistics.median(md_times)
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the map page in a browser -------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def served_page(site: Path) -> Iterator[tuple[str, object] | None]:
    """(base address, page) of headless Chromium with the site served locally and every other
    host refused; None without Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
            try:
                yield f"http://127.0.0.1:{httpd.server_address[1]}/", page
            finally:
                browser.close()
    finally:
        httpd.shutdown()


def map_transfer(site: Path) -> tuple[int, int, float] | None:
    """Bytes the map page transfers (the map document with its files; the whole page with the theme)
    and the seconds until the first marker shows, in headless Chromium with tiles blocked."""
    with served_page(site) as opened:
        if opened is None:
            return None
        base, page = opened
        url = base + "map/"
        responses = []
        page.on("response", lambda r: responses.append(r))
        start = time.perf_counter()
        page.goto(url)
        frame = page.frame_locator("iframe").first
        frame.locator(".leaflet-marker-icon, .marker-cluster").first.wait_for(state="visible", timeout=60_000)
        first = time.perf_counter() - start
        page.wait_for_load_state("load")
        # Settled when no response came for 2 s; Playwright's "networkidle" never came on the national
        # page (a connection stays open), so the quiet time is watched here, for at most 60 s.
        deadline = time.perf_counter() + 60
        seen = -1
        while time.perf_counter() < deadline and seen != len(responses):
            seen = len(responses)
            page.wait_for_timeout(2000)
        whole = in_map = 0
        for r in responses:
            if not r.url.startswith("http://127.0.0.1") or r.status >= 300:
                continue
            size = len(r.body())
            whole += size
            if r.frame is not page.main_frame:
                in_map += size
        return in_map, whole, first


# In the page: the time from each key press to the frame after the list has been rebuilt.
_LATENCY_PROBE = """() => {
  window.atlasLatency = [];
  let t0 = null;
  const q = document.querySelector('.atlas-q');
  q.addEventListener('keydown', () => { t0 = performance.now(); }, true);
  document.addEventListener('atlas-list', () => {
    if (t0 === null) return;
    const start = t0;
    t0 = null;
    requestAnimationFrame(() => window.atlasLatency.push(performance.now() - start));
  });
}"""
LATENCY_QUERIES = ("사회적경제", "협동조합", "02-3", "센터")


def list_latency(site: Path) -> tuple[float, float, int] | None:
    """Milliseconds from a key press in the map's search box to the updated list on screen (median and
    worst over every key of a few queries, typed and erased), and the number of places, in headless Chromium."""
    with served_page(site) as opened:
        if opened is None:
            return None
        base, page = opened
        page.goto(base + "map/atlas.html")
        page.wait_for_function("window.atlasMapState !== undefined", timeout=120_000)
        places = page.evaluate("window.atlasMapState.places.length")
        page.evaluate(_LATENCY_PROBE)
        page.click(".atlas-q")
        for query in LATENCY_QUERIES:
            page.keyboard.type(query, delay=250)
            for _ in query:
                page.keyboard.press("Backspace", delay=50)
                page.wait_for_timeout(250)
        page.wait_for_timeout(500)
        times = page.evaluate("window.atlasLatency")
        return statistics.median(times), max(times), places


def index_bytes(site: Path) -> int:
    return (site / "search" / "search_index.json").stat().st_size


# -- the page ------------------------------------------------------------------------------

EXPLAINED = """\
## 무엇을 재는지

비율은 모두 같은 측정에서 잰 두 숫자로 보입니다: 지도 빌드 시간 vs 훅 없이 같은 최종 Markdown 페이지와
파일을 MkDocs(mkdocs-material)로만 빌드한 시간. 여러 번 잴 때는 종류를 번갈아 빌드해 컴퓨터의 부하가
고르게 나뉘게 하고, 중앙값을 적습니다.

1. 실제 자료의 빌드. **cold**는 캐시(`.cache/`)가 빈 빌드(새로 받은 저장소, 캐시를 지운 뒤), **warm**은
   바로 앞 빌드의 캐시가 있는 빌드입니다. 캐시에는 PNG 지도, SVG 그래프, 지도(Folium) 파일, 경계 색인,
   검사한 자료, 만든 페이지와 내려받기 파일이 그 입력(자료, 설정, 글꼴, 엔진 파일)의 지문으로 저장됩니다.
2. 전국 규모 합성 자료(`scripts/make-national-data`: 시군구 251곳, 클러스터·센터 2,000곳, 조직 30,000곳)의
   cold와 warm 빌드, 그리고 같은 페이지의 plain MkDocs 빌드.
3. `mkdocs serve`가 켜진 상태에서 YAML 기록(클러스터 입주 수)을 저장한 뒤 자치구 페이지에 새 값이 보일 때까지,
   그리고 Markdown 페이지를 고친 뒤 그 페이지에 보일 때까지의 시간. MkDocs는 어느 파일이 바뀌어도 사이트
   전체를 다시 만듭니다. 미리보기는 지켜보는 폴더를 0.1초마다 살펴(MkDocs 자체는 0.5초) 바뀐 파일을 찾으므로,
   저장하는 때를 그 0.1초 안에 고르게 나누어 두 가지를 번갈아 여러 번 고치고 중앙값을 적습니다
   (편집자가 평균으로 기다리는 시간).
4. 모든 페이지가 받는 검색 색인(`search/search_index.json`)의 크기 (압축하지 않은 바이트).
5. 헤드리스 Chromium이 전국 자료의 `map/` 페이지를 열 때 지도 iframe 문서와 그 파일로 받는 바이트 (타일 제외;
   괄호 안은 테마의 파일까지 합친 페이지 전체)와 첫 표시가 보일 때까지의 시간.
6. 빌드의 프로세스 가운데 가장 큰 것의 최대 메모리 (ru_maxrss; 그림을 그리는 작업 프로세스들의 메모리를 더하지는 않음).
7. 전국 규모 지도(`map/atlas.html`)의 찾기 칸에 글자를 하나 칠 때(또는 지울 때)마다, 키를 누른 때부터
   목록이 다시 만들어진 뒤의 첫 화면까지 걸린 시간 (헤드리스 Chromium). 목록은 보이는 줄만 만들고 스크롤하면
   더 붙입니다.
"""


def machine() -> str:
    cpu, mem = platform.processor(), ""
    try:
        info = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kib = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
        mem = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("mkdocs", "mkdocs-material", "folium", "matplotlib"))
    return f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}; {versions}"


NOT_MEASURED = ("not measured", "", False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds of the real-atlas builds and edits (median)")
    parser.add_argument("--national-runs", type=int, default=1, help="rounds of the national builds (median)")
    parser.add_argument(
        "--loop-runs", type=int, default=21, help="edits of each kind under mkdocs serve (median; the watcher varies)"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="size of the national data set (1.0: full)")
    parser.add_argument("--skip", action="append", default=[], choices=PARTS, help="leave a part out")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium measure")
    parser.add_argument("--dry-run", action="store_true", help="print the table without writing the page")
    parser.add_argument("--write-generated", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_generated:
        write_generated(*args.write_generated)
        return 0
    if args.no_browser:
        args.skip.append("map")

    rows: list[tuple[str, str, str, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real = copy_project(tmp / "real")
        if "real" not in args.skip:
            plain = plain_copy(real)
            # In each round the warm build finds the cache that the cold build just before it made.
            builds = {"plain": (timed_build, plain), "cold": (cold_build, real), "warm": (timed_build, real)}
            real_runs = side_by_side(args.runs, builds)
            text, r = versus(real_runs["warm"], real_runs["plain"])
            rows.append(("Real atlas, warm cache, vs plain MkDocs of the same pages", text, "≤ 1.3x", r <= 1.3))
            text, r = versus(real_runs["cold"], real_runs["plain"])
            rows.append(("Real atlas, cold (empty cache), vs plain MkDocs", text, "≤ 2.5x", r <= 2.5))
            size = index_bytes(real / "site")
            rows.append(("Search index, real atlas", f"{size / 1000:.0f} KB", "≤ 150 KB", size <= 150_000))
        else:
            rows.append(("Real atlas builds", *NOT_MEASURED))

        national = None
        if "national" not in args.skip:
            data = tmp / "data-national"
            subprocess.run(
                [str(ROOT / "scripts" / "make-national-data"), str(data), "--scale", str(args.scale)],
                check=True,
                capture_output=True,
                env=ENV,
            )
            national = copy_project(tmp / "national", data)
            nat_plain = plain_copy(national)
            builds = {
                "plain": (timed_build, nat_plain),
                "cold": (cold_build, national),
                "warm": (timed_build, national),
            }
            nat = side_by_side(args.national_runs, builds)
            cold, warm = nat["cold"], nat["warm"]
            rows.append(("National, cold", f"{cold.median:.1f} s", "≤ 30 s", cold.median <= 30))
            text, r = versus(warm, nat["plain"])
            ok = warm.median <= 20 and r <= 1.5
            rows.append(("National, warm, vs plain MkDocs of the same pages", text, "≤ 20 s, ≤ 1.5x", ok))
            size = index_bytes(national / "site")
            rows.append(("Search index, national", f"{size / 1e6:.2f} MB", "≤ 2 MB", size <= 2_000_000))
            peak = max(cold.peak, warm.peak)
            memory = f"cold {cold.peak:.0f} MiB, warm {warm.peak:.0f} MiB (plain MkDocs {nat['plain'].peak:.0f} MiB)"
            rows.append(("Peak memory, national build", memory, "≤ 600 MiB", peak <= 600))
        else:
            rows.append(("National builds", *NOT_MEASURED))

        if "loop" not in args.skip:
            t_yaml, t_md = editor_loop(copy_project(tmp / "loop"), args.loop_runs)
            rows.append(
                (
                    "Editor loop: save YAML → page reloaded (vs a Markdown edit)",
                    f"{t_yaml:.2f} s vs {t_md:.2f} s: {t_yaml / t_md:.2f}x",
                    "≤ 1.5 s, ≤ 1.2x",
                    t_yaml <= 1.5 and t_yaml / t_md <= 1.2,
                )
            )
        else:
            rows.append(("Editor loop", *NOT_MEASURED))

        measured = map_transfer(national / "site") if national and "map" not in args.skip else None
        if measured:
            in_map, whole, first = measured
            rows.append(
                (
                    "Map page, national: bytes without tiles / first markers",
                    f"{in_map / 1e6:.2f} MB / {first:.1f} s (whole page with the theme: {whole / 1e6:.2f} MB)",
                    "≤ 3 MB / ≤ 3 s",
                    in_map <= 3_000_000 and first <= 3,
                )
            )
        else:
            rows.append(("Map page, national", *NOT_MEASURED))
        latency = list_latency(national / "site") if national and "map" not in args.skip else None
        if latency:
            median, worst, places = latency
            result = f"median {median:.0f} ms, worst {worst:.0f} ms ({places:,} places)"
            rows.append(("National list and search: key press → updated list", result, "≤ 100 ms", worst <= 100))
        else:
            rows.append(("National list and search", *NOT_MEASURED))

    table = ["| Measure | Result | Target | Met |", "| --- | --- | --- | --- |"]
    table += [f"| {m} | {r} | {t} | {'yes' if ok else 'NO'} |" for m, r, t, ok in rows]
    print("\n".join(table))
    partial_run = bool(args.skip) or args.scale != 1.0
    if args.dry_run or partial_run:
        print("not written: " + ("--dry-run" if args.dry_run else "a partial run"))
        return 0
    page = ROOT / "content" / "benchmarks.md"
    page.write_text(
        FRONT_MATTER + "# 성능 측정 (Benchmarks)\n\n"
        "`scripts/benchmark`가 측정해 이 페이지를 씁니다. 숫자는 아래 컴퓨터에서 잰 중앙값입니다.\n\n"
        f"- 측정일: {dt.date.today().isoformat()}\n- 컴퓨터: {machine()}\n"
        f"- 반복: 실제 자료 {args.runs}회, 전국 자료 {args.national_runs}회, 편집 {args.loop_runs}회\n\n"
        + "\n".join(table)
        + "\n\n"
        + EXPLAINED,
        encoding="utf-8",
    )
    print(f"wrote {page.relative_to(ROOT)}")
    return 0


# An editors' page: reached from the guide, left out of the menu and the site search.
FRONT_MATTER = """---
title: 성능 측정
description: 빌드 시간, 규모, 편집 후 미리보기까지의 시간, 지도 무게를 잰 결과 (개발자용).
search:
  exclude: true
---

"""


if __name__ == "__main__":
    raise SystemExit(main())
