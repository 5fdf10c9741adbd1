"""The quality gates' floors, in one file: tests/eval/baseline.json.

Each gate there has its figures, each with a ``floor`` (the measure must be at least that) or a
``ceiling`` (at most that: false-positive rates, granularity, wrong directions), the figure last
measured, and the data it was measured on: ``data``, the files the gate reads (glob patterns
relative to ../shared/data, or to the repository when the gate's ``root`` is ``"repo"``), and
``digest``, the sha256 of those files (sorted relative paths and bytes). ``check`` fails when a
figure is past its floor, and when the data no longer has that digest: a floor measured on other
data says nothing, so it must be re-measured. ``python -m tests.eval.baseline`` lists every
gate's stored and current digest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path

from ..conftest import DATA, ROOT

BASELINE = Path(__file__).with_name("baseline.json")


class DataChanged(AssertionError):
    """The files a gate reads are not those its floors were measured on."""


def load(baseline: Path = BASELINE) -> dict[str, dict]:
    return json.loads(Path(baseline).read_text(encoding="utf-8"))["gates"]


@functools.lru_cache(maxsize=None)
def digest(root: Path, patterns: tuple[str, ...]) -> str:
    """sha256 over the files the patterns match under root, in order of their relative paths:
    each file's relative path, its length and its bytes. Cached: once per process and data."""
    files: dict[str, Path] = {}
    for pattern in patterns:
        found = [p for p in root.glob(pattern) if p.is_file()]
        if not found:
            raise DataChanged(f"no file matches {pattern!r} under {root}: the data is missing or has changed")
        files.update((p.relative_to(root).as_posix(), p) for p in found)
    h = hashlib.sha256()
    for rel in sorted(files):
        data = files[rel].read_bytes()
        h.update(rel.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return h.hexdigest()


def gate_digest(gate: Mapping, data_root: Path = DATA, repo_root: Path = ROOT) -> str:
    root = repo_root if gate.get("root") == "repo" else data_root
    return digest(Path(root).resolve(), tuple(gate["data"]))


def check(name: str, measured: Mapping[str, float], *, baseline: Path = BASELINE,
          data_root: Path = DATA, repo_root: Path = ROOT) -> None:
    """Asserts that gate ``name`` ran on the data its floors were measured on, and that each of
    its figures in ``measured`` is at or above its floor (at or below its ceiling). Figures the
    gate does not pin may be in ``measured`` too; they are left alone."""
    gates = load(baseline)
    if name not in gates:
        raise AssertionError(f"no gate {name!r} in {baseline}")
    gate = gates[name]
    now = gate_digest(gate, data_root, repo_root)
    if now != gate["digest"]:
        raise DataChanged(
            f"{name}: the data this gate reads ({', '.join(gate['data'])}) has changed since its floors "
            f"were measured (digest {gate['digest']}, now {now}). Re-measure the floors on the new data, "
            f"then set the gate's figures and its digest to {now} in {Path(baseline).name}."
        )
    failed = []
    for figure, pinned in gate["figures"].items():
        if figure not in measured:
            raise AssertionError(f"{name}: no measure of {figure!r} (measured: {sorted(measured)})")
        if "floor" not in pinned and "ceiling" not in pinned:
            raise AssertionError(f"{name}: {figure!r} has neither a floor nor a ceiling in {Path(baseline).name}")
        value = measured[figure]
        if "floor" in pinned and not value >= pinned["floor"]:
            failed.append(f"{figure} {value:.4g} below its floor {pinned['floor']}")
        if "ceiling" in pinned and not value <= pinned["ceiling"]:
            failed.append(f"{figure} {value:.4g} above its ceiling {pinned['ceiling']}")
    if failed:
        raise AssertionError(f"{name}: " + "; ".join(failed))


def main() -> int:
    changed = 0
    for name, gate in load().items():
        try:
            now = gate_digest(gate)
        except DataChanged as exc:
            now = str(exc)
        same = now == gate["digest"]
        changed += not same
        print(f"{'ok' if same else 'CHANGED':8} {name:45} {gate['digest'][:16]}" + ("" if same else f" now {now}"))
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
