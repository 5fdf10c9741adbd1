"""The slow, obviously correct twin of ``fast.align_matrix``: the definitions, as loops.

Kept beside the fast one and compared with it by a property test (tests/test_align_reference.py).
"""

from __future__ import annotations

from .params import MERGE, NEIGHBOURS, SPLIT, AlignParams


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

    # Extension, one step from a seed: the cell must be similar enough, and near-best in its row
    # (a split), its column (a merge), or either (a step along the diagonal).
    def may_extend(i, j, kind):
        if rows[i][j] < params.extend_threshold:
            return False
        if kind == SPLIT:
            return near_row(i, j)
        if kind == MERGE:
            return near_col(i, j)
        return near_row(i, j) or near_col(i, j)

    seeds = set(chosen)
    for i in range(n):
        for j in range(m):
            for a, b in seeds:
                kind = NEIGHBOURS.get((i - a, j - b))
                if kind is not None and may_extend(i, j, kind):
                    chosen.add((i, j))

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
