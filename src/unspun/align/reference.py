"""The slow, obviously correct twin of ``fast.align_matrix``: the definitions, as loops.

Kept beside the fast one and compared with it by a property test (tests/test_align_reference.py).
"""

from __future__ import annotations

from .params import NEIGHBOURS, AlignParams


def align_matrix_reference(sim, params: AlignParams = AlignParams()) -> list[list[tuple[int, int]]]:
    rows = [[float(x) for x in row] for row in sim]
    n = len(rows)
    m = len(rows[0]) if n else 0
    if n == 0 or m == 0:
        return []

    def row_best(i):
        return max(rows[i][b] for b in range(m))

    def col_best(j):
        return max(rows[a][j] for a in range(n))

    def near_row(i, j):
        return rows[i][j] >= row_best(i) - params.margin

    def near_col(i, j):
        return rows[i][j] >= col_best(j) - params.margin

    # Seeds: similar enough, and near-best in both its row and its column.
    chosen = set()
    for i in range(n):
        for j in range(m):
            if rows[i][j] >= params.seed_threshold and near_row(i, j) and near_col(i, j):
                chosen.add((i, j))

    # Extension: repeat until nothing changes; a cell joins when it is a neighbour of a chosen one.
    changed = True
    while changed:
        changed = False
        for i in range(n):
            for j in range(m):
                if (i, j) in chosen:
                    continue
                if rows[i][j] < params.extend_threshold:
                    continue
                if not (near_row(i, j) or near_col(i, j)):
                    continue
                if any((i - a, j - b) in NEIGHBOURS for a, b in chosen):
                    chosen.add((i, j))
                    changed = True

    # Merging: start with one group per cell, join any two groups with close cells, repeat.
    reach = params.max_gap + 1
    groups = [[c] for c in sorted(chosen)]
    merged = True
    while merged:
        merged = False
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                if any(
                    abs(a[0] - b[0]) <= reach and abs(a[1] - b[1]) <= reach
                    for a in groups[x]
                    for b in groups[y]
                ):
                    groups[x] = sorted(groups[x] + groups[y])
                    del groups[y]
                    merged = True
                    break
            if merged:
                break

    return sorted(sorted(g) for g in groups)
