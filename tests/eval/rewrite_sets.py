"""The labelled pairs of ../shared/data/rewrites and Clough & Stevenson, for the judge's gates and
its calibration (benchmarks/calibrate_judge.py).

Every set gives its derived pairs (a rewrite and its source) and, as hard negatives, each rewrite
against the ``OTHERS`` next sources of the same set in name order (skipping a source that is the
same text as its own): same kind of text, often the same subject
(PolitiFact's campaign news, the Guardian's features, BBC and CNN news), not derived.

Each pair belongs to a half by its source: "dev" for sources at even positions in name order,
"test" for odd ones. The judge's model is fitted on "dev" only; gates and figures report "test"
(and "all", said so).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from unspun.represent.lexical import ngrams
from unspun.words import tokens

OTHERS = 3
MISLABELLED = {"g2pE_taskc.txt", "g4pD_taskb.txt"}  # Clough `cut` answers that copy another article


@dataclass(frozen=True)
class Pair:
    set: str
    group: str  # a subset worth reporting apart (sheepdog style, frank cnndm/bbc, clough label)
    source: Path | str  # a file, or (STS) the text itself
    rewrite: Path | str
    derived: bool
    half: str

    @staticmethod
    def name(side: Path | str) -> str:
        return side.name if isinstance(side, Path) else side[:60]


def _rows(folder: Path) -> list[tuple[str, str, str]]:
    with open(folder / "pairs.tsv", newline="", encoding="utf-8") as f:
        return [(r["source"], r["rewrite"], r["kind"]) for r in csv.DictReader(f, delimiter="\t")]


def _grams(path: Path, n: int = 5) -> frozenset[tuple[str, ...]]:
    return ngrams(tokens(path.read_text(encoding="utf-8", errors="replace")), n)


def same_text(a: Path, b: Path, grams: dict) -> bool:
    """Two listed sources that are one text (sheepdog lists 16 such pairs: a page scraped twice):
    half or more of the shorter one's word 5-grams in the other. A rewrite of one is derived
    from the other too, so neither serves as the other's unrelated source."""
    ga = grams.setdefault(a, _grams(a))
    gb = grams.setdefault(b, _grams(b))
    return bool(ga and gb) and len(ga & gb) >= 0.5 * min(len(ga), len(gb))


def _with_negatives(name: str, folder: Path, rows: list[tuple[str, str, str]], group_of) -> list[Pair]:
    sources = sorted({s for s, _, _ in rows})
    grams: dict = {}
    position = {s: k for k, s in enumerate(sources)}
    own: dict[str, set[str]] = {}
    for s, r, _ in rows:
        own.setdefault(r, set()).add(s)
    pairs = []
    for s, r, kind in rows:
        half = "dev" if position[s] % 2 == 0 else "test"
        docs = folder / "docs"
        pairs.append(Pair(name, group_of(s, kind), docs / s, docs / r, True, half))
        others = [sources[(position[s] + k) % len(sources)] for k in range(1, len(sources))]
        chosen = []
        for o in others:
            if len(chosen) == OTHERS:
                break
            if o not in own[r] and not same_text(docs / s, docs / o, grams):
                chosen.append(o)
        for other in chosen:
            pairs.append(Pair(name, group_of(s, kind), docs / other, docs / r, False, half))
    return pairs


def sheepdog(folder: Path) -> list[Pair]:
    return _with_negatives("sheepdog", folder, _rows(folder), lambda s, kind: kind)


def onestopenglish(folder: Path) -> list[Pair]:
    return _with_negatives("onestopenglish", folder, _rows(folder), lambda s, kind: kind)


def frank(folder: Path) -> list[Pair]:
    """The publishers' own summaries (kind ``reference``): BBC's one sentence (XSum, numeric ids)
    and CNN/DailyMail's highlights (hexadecimal ids)."""
    rows = [r for r in _rows(folder) if r[2] == "reference"]
    return _with_negatives("frank", folder, rows, lambda s, kind: "bbc" if s.split("-")[0].isdigit() else "cnndm")


def clough(folder: Path) -> list[Pair]:
    """Each answer against its own original: derived unless written independently (``non``); the
    two mislabelled ``cut`` answers are left out. Halves by answer, alternating in file order."""
    with open(folder / "file_information.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Category"] in ("non", "heavy", "light", "cut") and r["File"] not in MISLABELLED]
    return [
        Pair("clough", r["Category"], folder / f"orig_task{r['Task']}.txt", folder / r["File"], r["Category"] != "non", "dev" if k % 2 == 0 else "test")
        for k, r in enumerate(rows)
    ]


def every(pairs: list[Pair], step: int) -> list[Pair]:
    """A subset for the default gates: the pairs of every ``step``-th rewrite."""
    rewrites = sorted({p.rewrite for p in pairs})
    keep = set(rewrites[::step])
    return [p for p in pairs if p.rewrite in keep]


def sts(folder: Path, name: str = "sts-dev.csv", half: str = "test") -> list[Pair]:
    """STS-benchmark sentence pairs as a paraphrase test: rated 4 or more of 5 ("mostly
    equivalent") derived, 1 or less ("not equivalent, on the same topic" at most) not; the pairs
    between are left out."""
    pairs = []
    with open(folder / name, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7:
                continue
            score = float(row[4])
            if score >= 4.0 or score <= 1.0:
                pairs.append(Pair("sts", row[1], row[5], row[6], score >= 4.0, half))
    return pairs
