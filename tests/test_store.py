"""The index: incremental adds, owner-only files, reopening, and finding a source."""

import sqlite3
import stat

import pytest

from unspun.errors import UnspunError
from unspun.read import read_text
from unspun.store import Index

STORY = (
    "Around 500 workers from the Industry Trade Union of Fuel and Energy Complex Workers began strike "
    "action at West Oil Software on 11 December 2023 as part of an existing labour dispute. The same day, "
    "a local court, in a private hearing with no trade union representation, ruled the strike illegal. "
    "Since then, striking workers and their families have faced a campaign of intimidation by the company "
    "and local authorities. An appeal against the court ruling has been rejected."
)
OTHERS = [
    "PageRank is a link analysis algorithm used by the Google Internet search engine that assigns a numerical weighting to each element of a hyperlinked set of documents.",
    "In object-oriented programming, inheritance is a way to form new classes using classes that have already been defined. The inheritance concept was invented in 1967 for Simula.",
    "Dynamic programming is a method of solving problems that exhibit the properties of overlapping subproblems and optimal substructure.",
]


def docs(extra=()):
    items = [read_text(STORY, doc_id="release.txt")] + [read_text(t, doc_id=f"other{k}.txt") for k, t in enumerate(OTHERS)]
    return items + list(extra)


def test_add_is_incremental(tmp_path):
    with Index(tmp_path / "idx") as ix:
        first = ix.add(docs())
        assert (first.added, first.unchanged, first.replaced) == (4, 0, 0)
        again = ix.add(docs())
        assert (again.added, again.unchanged, again.replaced) == (0, 4, 0)
        changed = ix.add([read_text(OTHERS[0] + " It was patented.", doc_id="other0.txt")])
        assert changed.replaced == 1
        assert len(ix) == 4 and ix.get("other0.txt").text.endswith("It was patented.")


def test_files_are_readable_by_their_owner_only(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
    assert stat.S_IMODE((tmp_path / "idx").stat().st_mode) == 0o700
    for f in (tmp_path / "idx").iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f.name


def test_reopened_index_traces_a_copy_and_a_paraphrase(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
    with Index(tmp_path / "idx", create=False) as ix:
        copy = "Breaking news from Kazakhstan. " + STORY + " More to follow."
        result = ix.trace(copy, top=3)
        assert result.sources[0].id == "release.txt"
        assert result.sources[0].verdict == "wholly-derived"
        data = result.to_dict()
        assert data["schema_version"] == 1 and data["sources"][0]["passages"]
        paraphrase = (
            "The dispute involves approximately 500 workers affiliated with the Industry Trade Union of Fuel and "
            "Energy Complex Workers, who initiated a strike at West Oil Software on December 11, 2023. However, "
            "a local court swiftly declared the strike illegal on the same day, with no representation from trade unions."
        )
        assert ix.trace(paraphrase, top=3).sources[0].id == "release.txt"


def test_stats(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
        stats = ix.stats()
    assert stats["documents"] == 4 and stats["sentences"] >= 4 and stats["fingerprints"] > 0 and stats["bytes"] > 0


def test_one_id_twice_in_a_batch_keeps_the_last_text(tmp_path):
    first = read_text(STORY, doc_id="same.txt")
    second = read_text(OTHERS[0], doc_id="same.txt")
    with Index(tmp_path / "idx") as ix:
        result = ix.add([first, second])
        assert (result.added, result.replaced) == (1, 1)
        assert len(ix) == 1 and ix.get("same.txt").text == OTHERS[0]
        assert ix.trace(OTHERS[0], top=1).sources[0].id == "same.txt"


def test_an_id_changed_and_changed_back_in_one_batch(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add([read_text(STORY, doc_id="x.txt")])
        result = ix.add([read_text(OTHERS[1], doc_id="x.txt"), read_text(STORY, doc_id="x.txt")])
        assert result.replaced == 2 and ix.get("x.txt").text == STORY


def _contents(ix):
    rows = ix.db.execute("SELECT id, sha, text, codes FROM docs ORDER BY id").fetchall()
    postings = ix.db.execute("SELECT hash, d.id FROM shingles JOIN docs d ON d.rowid = shingles.doc ORDER BY 1, 2").fetchall()
    return rows, postings


def test_worker_processes_write_the_same_index(tmp_path, monkeypatch):
    import unspun.store.index as index_module

    monkeypatch.setattr(index_module, "INDEX_BATCH", 2)  # several batches, so workers really take part
    many = docs([read_text(f"{t} Copy number {k} of it, with its own ending.", doc_id=f"copy{k}.txt")
                 for k, t in enumerate(OTHERS * 3)])
    with Index(tmp_path / "one") as one, Index(tmp_path / "two") as two:
        a = one.add(many, jobs=1)
        b = two.add(many, jobs=2)
        assert a == b and a.added == len(many)
        assert _contents(one) == _contents(two)
        assert two.trace(STORY, top=1, verify=0).sources[0].id == "release.txt"
        assert two.add(many, jobs=2).unchanged == len(many)  # and incremental, the same


def test_an_index_of_another_layout_is_refused(tmp_path):
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
    db = sqlite3.connect(tmp_path / "idx" / "index.sqlite")
    db.execute("UPDATE info SET value = '1' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(UnspunError, match="build it again"):
        Index(tmp_path / "idx")


def test_nearest_codes_by_chunks_equal_the_whole_product(monkeypatch):
    import numpy as np

    from unspun.represent import sketches

    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, (1000, sketches.BYTES), dtype=np.uint8)
    query = rng.integers(0, 256, (9, sketches.BYTES), dtype=np.uint8)
    query[3] = base[777]
    whole = np.sort(sketches.hamming(query, base), axis=1)[:, :5]
    monkeypatch.setattr(sketches, "CHUNK", 64)  # 16 chunks: the running best must merge right
    found, distances = sketches.nearest(query, base, 5)
    assert (distances == whole).all()
    assert found[3][0] == 777 and distances[3][0] == 0
    assert (sketches.hamming(query, base)[np.arange(9)[:, None], found] == distances).all()


def test_nearest_codes_with_the_base_unpacked_once():
    import numpy as np

    from unspun.represent import sketches

    rng = np.random.default_rng(3)
    base = rng.integers(0, 256, (300, sketches.BYTES), dtype=np.uint8)
    query = rng.integers(0, 256, (4, sketches.BYTES), dtype=np.uint8)
    a = sketches.nearest(query, base, 3)
    b = sketches.nearest(query, base, 3, sketches.signs(base))
    assert (a[1] == b[1]).all()


@pytest.mark.parametrize("chunk", [64, 1 << 16])
def test_nearest_codes_within_a_distance_are_the_near_ones_first_ties_to_the_earlier(monkeypatch, chunk):
    import numpy as np

    from unspun.represent import sketches

    rng = np.random.default_rng(11)
    base = rng.integers(0, 256, (1000, sketches.BYTES), dtype=np.uint8)
    query = rng.integers(0, 256, (6, sketches.BYTES), dtype=np.uint8)
    for row, copies in ((0, [5, 900, 300, 70, 640, 12, 999]), (1, [400]), (2, [])):
        for c in copies:  # a code held by many documents: more near ones than k
            base[c] = query[row]
    base[41] = query[1]
    base[41, 0] ^= 1  # one bit from query 1: near, behind its exact copy
    monkeypatch.setattr(sketches, "CHUNK", chunk)
    found, distances = sketches.nearest(query, base, 5, within=10)
    assert found.shape == distances.shape == (6, 5)
    assert found[0].tolist() == [5, 12, 70, 300, 640] and (distances[0] == 0).all()
    assert found[1].tolist() == [400, 41, -1, -1, -1] and distances[1].tolist()[:2] == [0, 1]
    full = sketches.hamming(query, base)
    for row in range(2, 6):  # random codes: none within 10 bits (some 128 apart)
        assert (full[row] > 10).all() and (found[row] == -1).all() and np.isinf(distances[row]).all()
    # Where a row's near codes are no more than k, they are what the unbounded search keeps.
    bounded, _ = sketches.nearest(query, base, 5)
    assert set(bounded[1][:2]) == {400, 41}


@pytest.mark.parametrize("width, within", [(32, 56.32), (32, 40.0), (64, 163.84), (48, 142.08)])
def test_nearest_codes_within_a_distance_are_those_the_distances_give(monkeypatch, width, within):
    # The search reads the bound on the codes' dot products, not on their distances: the same
    # codes, distances and order as filtering every distance (the trace's bounds, fractional ones
    # among them, and codes as wide as xcodes.py's), chunk by chunk or with the base unpacked.
    import numpy as np

    from unspun.represent import sketches

    rng = np.random.default_rng(width)
    base = rng.integers(0, 256, (700, width), dtype=np.uint8)
    chosen = rng.choice(700, 40, replace=False)
    query = base[chosen].copy()
    for row in range(len(query)):  # near copies: on the bound, one bit inside it, one outside
        bits = np.unpackbits(query[row])
        flip = rng.choice(len(bits), int(within) + row % 3 - 1, replace=False)
        bits[flip] ^= 1
        query[row] = np.packbits(bits)
    full = sketches.hamming(query, base)
    assert {int(within) - 1, int(within), int(within) + 1} <= set(full[np.arange(40), chosen].tolist())
    monkeypatch.setattr(sketches, "CHUNK", 64)
    for base_signs in (None, sketches.signs(base)):
        found, distances = sketches.nearest(query, base, 4, base_signs, within=within)
        for row in range(len(query)):
            near = [c for c in np.lexsort((np.arange(len(base)), full[row])) if full[row, c] <= within][:4]
            assert found[row][: len(near)].tolist() == near
            assert distances[row][: len(near)].tolist() == full[row, near].tolist()
            assert (found[row][len(near):] == -1).all()


def test_an_index_opens_for_reading_while_another_process_writes(tmp_path):
    # A trace (or the web service) must not wait for the write lock of an indexing run: it
    # used to, 30 s, then fail with "database is locked".
    with Index(tmp_path / "idx") as ix:
        ix.add(docs())
    writer = sqlite3.connect(tmp_path / "idx" / "index.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM shingles")  # uncommitted: readers still see the committed index
    try:
        with Index(tmp_path / "idx", create=False) as reader:
            reader.db.execute("PRAGMA busy_timeout=1000")  # fail fast, should it wait after all
            assert reader.trace(STORY, top=1, verify=0).sources[0].id == "release.txt"
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / "index.sqlite").write_bytes(b"not a database at all, just text" * 100)
    with pytest.raises(UnspunError, match="not an unspun index"):
        Index(tmp_path / "idx", create=False)
