"""Shared fixtures: where the evaluation data lives, and the embedders."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = DATA / "seeds"
CLOUGH = DATA / "clough-stevenson"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"evaluation data missing: {path} (../shared must sit beside the repository)")
    return path


@pytest.fixture(scope="session")
def seeds() -> tuple[Path, Path]:
    return need(SEEDS / "press-release.txt"), need(SEEDS / "blog-rewrite.txt")


@pytest.fixture(scope="session")
def clough() -> Path:
    return need(CLOUGH)


# Every process the tests start carries this mark in its environment, so that any left running
# at the end (a server, a Spark worker, an index worker orphaned by a kill test) is found even
# after it has been re-parented away from pytest.
SESSION_MARK = "UNSPUN_TEST_SESSION"


def pytest_configure(config):
    import os
    import uuid

    os.environ.setdefault(SESSION_MARK, uuid.uuid4().hex)


def _left_running() -> list:
    import os

    import psutil

    mark = os.environ.get(SESSION_MARK)
    mine = os.getpid()
    found = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == mine:
            continue
        try:
            if proc.environ().get(SESSION_MARK) == mark:
                found.append(proc)
        except (psutil.Error, OSError):
            continue  # gone, or not ours to read
    return found


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if a process it started is still running a few seconds after the last test."""
    import time

    import psutil

    deadline = time.monotonic() + 10
    left = _left_running()
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = _left_running()
    if not left:
        return
    names = []
    for proc in left:
        try:
            names.append(f"{proc.pid} {' '.join(proc.cmdline())[:120]}")
            proc.kill()
        except psutil.Error:
            continue
    print(f"\nprocesses the tests started were left running (now killed): {names}")
    session.exitstatus = 1


# The browser tests drive Debian's chromium through Playwright (Playwright's own download would
# need the internet). CI installs it (.ci/run); a bare machine may not have it.
CHROMIUM = Path("/usr/bin/chromium")


def require_chromium() -> None:
    """Skip the calling test module when chromium is missing (call it at module level)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                    allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    """Headless chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield b
        b.close()
