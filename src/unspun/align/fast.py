"""The aligner that runs: vectorised seeding and extension, a sorted sweep for merging."""

from __future__ import annotations

import numpy as np

from .params import MERGE, NEIGHBOURS, SPLIT, STEP, AlignParams


def align_matrix(sim: np.ndarray, params: AlignParams = AlignParams()) -> list[list[tuple[int, int]]]:
    """Groups of aligned (query row, source column) cells, one group per passage.

    ``sim[i, j]`` is the similarity of query segment i and source segment j. Groups are sorted,
    each group's cells sorted; groups come ordered by their first cell.
    """
    if sim.size == 0:
        return []
    sim = np.asarray(sim, dtype=np.float64)
    row_best = sim.max(axis=1, keepdims=True)
    col_best = sim.max(axis=0, keepdims=True)
    near_row = sim >= row_best - params.margin
    near_col = sim >= col_best - params.margin
    seeds = (sim >= params.seed_threshold) & near_row & near_col
    high = sim >= params.extend_threshold
    allowed = {SPLIT: high & near_row, MERGE: high & near_col, STEP: high & (near_row | near_col)}

    chosen = seeds.copy()
    n, m = sim.shape
    for i, j in zip(*np.nonzero(seeds)):
        for (da, db), kind in NEIGHBOURS.items():
            a, b = i + da, j + db
            if 0 <= a < n and 0 <= b < m and allowed[kind][a, b]:
                chosen[a, b] = True

    cells = sorted((int(i), int(j)) for i, j in zip(*np.nonzero(chosen)))
    return components(cells, params.max_gap + 1)


def components(cells: list[tuple[int, int]], reach: int) -> list[list[tuple[int, int]]]:
    """Connected components where two cells connect if both coordinates differ by <= reach."""
    parent = list(range(len(cells)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # cells are sorted by row: only cells within `reach` rows ahead can connect.
    for k, (i, j) in enumerate(cells):
        for t in range(k + 1, len(cells)):
            i2, j2 = cells[t]
            if i2 - i > reach:
                break
            if abs(j2 - j) <= reach:
                ra, rb = find(k), find(t)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[tuple[int, int]]] = {}
    for k, cell in enumerate(cells):
        groups.setdefault(find(k), []).append(cell)
    return sorted(groups.values())
