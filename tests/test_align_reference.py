"""The fast aligner agrees with its slow, obviously correct twin on random similarity matrices."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from unspun.align.fast import align_matrix
from unspun.align.params import AlignParams
from unspun.align.reference import align_matrix_reference

# Values on a coarse grid, so ties and exact threshold hits happen often.
values = st.sampled_from([round(x, 2) for x in np.linspace(0.0, 1.0, 21)])
matrices = st.tuples(st.integers(1, 12), st.integers(1, 12)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=values)
)
params = st.builds(
    AlignParams,
    seed_threshold=st.sampled_from([0.5, 0.62, 0.8]),
    margin=st.sampled_from([0.0, 0.08, 0.2]),
    extend_threshold=st.sampled_from([0.3, 0.42, 0.6]),
    max_gap=st.integers(0, 3),
)


@settings(max_examples=300, deadline=None)
@given(matrices, params)
def test_fast_equals_reference(sim, p):
    assert align_matrix(sim, p) == align_matrix_reference(sim, p)


@settings(max_examples=100, deadline=None)
@given(matrices)
def test_groups_are_disjoint_and_sorted(sim):
    groups = align_matrix(sim)
    cells = [c for g in groups for c in g]
    assert len(cells) == len(set(cells))
    assert all(g == sorted(g) for g in groups)
    assert groups == sorted(groups)


def test_known_matrix():
    # (0,0) and (2,2) seed; (1,0) extends (0,0) as a split; with one sentence of gap allowed,
    # all three form one passage; with none, (2,2) stands alone.
    sim = np.array([[0.9, 0.1, 0.0], [0.5, 0.2, 0.1], [0.0, 0.1, 0.95]])
    assert align_matrix_reference(sim) == [[(0, 0), (1, 0), (2, 2)]]
    assert align_matrix(sim) == [[(0, 0), (1, 0), (2, 2)]]
    tight = AlignParams(max_gap=0)
    assert align_matrix(sim, tight) == align_matrix_reference(sim, tight) == [[(0, 0), (1, 0)], [(2, 2)]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "strike"]), max_size=14), st.integers(0, 9))
def test_word_ngrams_are_every_run_of_n_words(words, n):
    """ngrams zips the word list against itself: the same n-grams as slicing every run, for any
    length, n longer than the sentence, and words as a tuple or a list."""
    from unspun.represent.lexical import ngrams

    runs = frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    assert ngrams(tuple(words), n) == ngrams(words, n) == runs
