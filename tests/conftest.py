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
