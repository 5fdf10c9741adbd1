"""What a scan engine is: the stages of stages.py and candidates.py run on some collection type
(a dict and lists in this process, RDDs on Spark). ``engines.scan`` and ``scan_against`` drive any
``Engine`` the same way; ``engines.make_engine`` makes one by name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..types import Document
from .stages import Packed

Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total or None when unknown)


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


class Engine(ABC):
    name = "engine"

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress: Progress = progress or _quiet

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:  # noqa: B027 - most engines hold nothing to release
        pass

    @abstractmethod
    def prepare(self, docs: Iterable[Document]) -> Any:
        """Records, one per id (the last document read with an id wins)."""

    @abstractmethod
    def candidates(self, records: Any, top: int) -> Any:
        """Candidate pairs (a, b, score), one row per pair."""

    @abstractmethod
    def merge(self, candidates: Any, rows: list[tuple[str, str, float]]) -> Any:
        """The candidates with more rows, one per pair (its best score)."""

    @abstractmethod
    def verify(self, candidates: Any, records: Any, extra: dict[str, Packed] | None = None) -> list[dict[str, Any]]:
        """The derived pairs' rows, sorted; ``extra`` holds documents that are not records."""

    @abstractmethod
    def documents(self, records: Any) -> Iterator[Packed]: ...

    @abstractmethod
    def ids(self, records: Any) -> set[str]: ...

    @abstractmethod
    def size(self, items: Any) -> int: ...
