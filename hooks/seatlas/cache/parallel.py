"""Making many drawings at once: forked workers in a plain build, one helper process beside a preview.

A plain `mkdocs build` runs one thread, so it forks workers that inherit every make and send back
only results. `mkdocs serve` runs server threads, and forking beside them is unsafe; there, the
drawings whose makes carry only plain data ("portable": the charts) go to one helper process,
started fresh (spawn) with the preview and kept for its whole session, and are drawn there while
MkDocs renders the pages. Everything else is made in the calling process. (A spawned process
imports the main module again, as `__mp_main__`: MkDocs' entry points guard their command line.)
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("mkdocs.hooks.atlas")

_jobs: list[Callable[[], Any]] = []


def _run(indexes: list[int]) -> list[Any]:
    return [_jobs[i]() for i in indexes]


def _make_each(makes: list[Callable[[], Any]]) -> list[Any]:
    return [make() for make in makes]


# A kind of job (the library it draws with) with at most this many makes is given to one worker
# whole: each worker imports the libraries it draws with, and a few makes are not worth two imports.
WHOLE_KIND = 48


def _tasks(kinds: list[str], processes: int) -> list[list[int]]:
    """The indexes of the makes, cut into the tasks the workers take one at a time.

    Makes of one kind (the library they draw with) are kept together, in order of first appearance.
    """
    groups: dict[str, list[int]] = {}
    for i, kind in enumerate(kinds):
        groups.setdefault(kind, []).append(i)
    tasks: list[list[int]] = []
    for group in groups.values():
        size = len(group) if len(group) <= WHOLE_KIND else max(1, len(group) // (processes * 8))
        tasks += [group[i : i + size] for i in range(0, len(group), size)]
    return tasks


def _limit() -> int:
    wanted = os.environ.get("ATLAS_JOBS", "")
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)


def workers(count: int) -> int:
    """How many forked processes may make `count` things at once.

    Several only in a process with a single thread (a plain `mkdocs build`), where forking is
    safe; `mkdocs serve` runs a server thread (see Helper). ATLAS_JOBS=1 turns this off.
    """
    limit = _limit()
    if count < 2 or limit < 2 or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(limit, count)


class Started:
    """Makes started by start_all. `here` holds, by index, the values made in this process already;
    calling it waits for the others and returns every value, in order."""

    def __init__(
        self,
        makes: list[Callable[[], Any]],
        away: list[tuple[list[int], Future]],
        pool: ProcessPoolExecutor | None = None,
    ):
        self.makes, self.away, self.pool = makes, away, pool
        self.here: dict[int, Any] = {}

    @property
    def ready(self) -> bool:
        return not self.away

    def __call__(self) -> list[Any]:
        values = dict(self.here)
        try:
            for indexes, future in self.away:
                try:
                    values.update(zip(indexes, future.result(), strict=True))
                except BrokenProcessPool:
                    if self.pool is not None:
                        raise
                    # The preview's helper was killed: draw here, and start no more work there.
                    _helper_lost()
                    values.update((i, self.makes[i]()) for i in indexes)
        except BaseException:
            # One failed: the build fails now, not after the drawings being made are done too
            # (the workers end with the build process, see _exit_with_parent).
            self.cancel()
            raise
        if self.pool is not None:
            self.pool.shutdown()
        return [values[i] for i in range(len(self.makes))]

    def cancel(self) -> None:
        """Give up the makes not started yet; those being made are finished, and their values dropped."""
        for _indexes, future in self.away:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def start_all(
    makes: list[Callable[[], T]],
    kinds: list[str] | None = None,
    portable: list[bool] | None = None,
) -> Started:
    """Start make() of each; calling the result waits for the values, in order.

    In forked worker processes when `workers` allows, so the caller goes on meanwhile; else the
    portable makes go to the preview's helper (when one runs) and the rest are made here and
    now. Each result depends on its own inputs only, so it is the same bytes in any process.
    `kinds` names the kind of each make (the library it draws with), see WHOLE_KIND.
    """
    processes = workers(len(makes))
    if processes < 2:
        helper = _helper
        away = [i for i, p in enumerate(portable or []) if p] if helper is not None else []
        futures = []
        if away:
            try:
                futures = [(away, helper.submit([makes[i] for i in away]))]
            except RuntimeError:  # BrokenProcessPool: the helper was killed
                _helper_lost()
                away = []
        sent = set(away)
        started = Started(makes, futures)
        try:
            started.here = {i: make() for i, make in enumerate(makes) if i not in sent}
        except BaseException:
            started.cancel()
            raise
        return started
    global _jobs
    _jobs = makes  # the workers inherit the list: only indexes and results cross between processes
    # An executor, not a Pool: a worker that dies fails the build instead of hanging it. With the
    # fork context, every worker is forked by the first submit, while _jobs is set.
    tasks = _tasks(kinds or ["" for _ in makes], processes)
    pool = ProcessPoolExecutor(
        min(processes, len(tasks)),  # a small kind is one task: no worker started to stay idle
        mp_context=multiprocessing.get_context("fork"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        futures = [(task, pool.submit(_run, task)) for task in tasks]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _jobs = []
    return Started(makes, futures, pool)


def _exit_with_parent(parent: int, preload: Iterable[str] = ()) -> None:
    """In a worker: end when the build process ends, however it ends; import what it will draw with.

    A worker waits for its next task on a pipe whose other end it holds too, so a build that is
    killed (a stopped test run, Ctrl-C twice) would otherwise leave it waiting for ever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    for name in preload:
        importlib.import_module(name)


def _start_helper(parent: int, preload: list[str]) -> None:
    # Ctrl-C in the editor's terminal reaches every process of the preview: the helper is ended by
    # the preview as it stops, instead of printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent, preload)


def _started(names: list[str]) -> tuple[int, list[str]]:
    import sys

    return os.getpid(), [name for name in names if name in sys.modules]


# -- the preview's helper --------------------------------------------------------------------


class Helper:
    """One process beside `mkdocs serve` that makes portable drawings while the preview renders pages.

    Started fresh (spawn), not forked, because the server's threads may hold locks a fork would
    copy; it imports `preload` at once, so the first save that redraws a chart waits for no import.
    """

    def __init__(self, preload: Iterable[str]):
        self.preload = list(preload)
        self.pool = ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_helper,
            initargs=(os.getpid(), self.preload),
        )
        # Its process id and what it has imported, once it has started. The process starts here: it
        # inherits an ignored Ctrl-C, so even one pressed while it starts up prints nothing from it.
        with _sigint_ignored():
            self.started: Future = self.pool.submit(_started, self.preload)

    def pid(self, timeout: float | None = None) -> int:
        return self.started.result(timeout)[0]

    def imported(self, timeout: float | None = None) -> list[str]:
        return self.started.result(timeout)[1]

    def submit(self, makes: list[Callable[[], Any]]) -> Future:
        return self.pool.submit(_make_each, makes)


@contextlib.contextmanager
def _sigint_ignored():
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers; _start_helper covers this case
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_helper: Helper | None = None


def start_helper(preload: Iterable[str] = ()) -> Helper | None:
    """Start the preview's helper once per process (not when ATLAS_JOBS=1 or on a single core)."""
    global _helper
    if _helper is None and _limit() >= 2:
        _helper = Helper(preload)
    return _helper


def _helper_lost() -> None:
    log.info("atlas: the chart helper process stopped; the preview draws the charts itself")
    stop_helper()


def stop_helper(wait: bool = False) -> None:
    """Stop the helper: at the end of a preview, when it was killed, or after a test that started one.

    Drawings it has not started are dropped; `wait` waits for the one it is making and for its exit.
    """
    global _helper
    helper, _helper = _helper, None
    if helper is not None:
        helper.pool.shutdown(wait=wait, cancel_futures=True)
