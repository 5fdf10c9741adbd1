"""Lexical evidence: the sparse scorer agrees with its reference twin; isf weighting does its job."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.align.scores import identical, isf_weights, lexical_matrix, lexical_matrix_reference, stem_sets

WORDS = ["strike", "workers", "court", "Kazakhstan", "union", "the", "of", "ruled", "illegal", "500", "appeal", "rejected"]
sentence = st.lists(st.sampled_from(WORDS), min_size=0, max_size=9).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=7), st.lists(sentence, min_size=1, max_size=7), st.booleans())
def test_matrix_products_equal_reference(query, source, sparse):
    import unspun.align.scores as sim

    old = sim.DENSE_LIMIT
    sim.DENSE_LIMIT = 0 if sparse else old  # both the dense and the sparse path
    try:
        np.testing.assert_allclose(lexical_matrix(query, source), lexical_matrix_reference(query, source), atol=1e-6)
    finally:
        sim.DENSE_LIMIT = old


def test_rare_shared_words_count_more_than_common_ones():
    source = [
        "PageRank ranks pages by links.",
        "PageRank was patented in 1998 by Stanford.",
        "PageRank is used by Google.",
    ]
    query = ["PageRank ranks pages.", "The 1998 patent went to Stanford."]
    m = lexical_matrix(query, source)
    # "PageRank" is in every source sentence: sharing it says little; "Stanford 1998" says a lot.
    assert m[1].argmax() == 1 and m[1, 1] > 0.5
    weights = isf_weights(stem_sets(query + source))
    assert weights["pagerank"] < weights["stanford"]


def test_identical_ignores_case_and_punctuation_but_not_words():
    got = identical(["The court ruled it illegal.", "A b", "Something else entirely here."], ["the court -- ruled it illegal", "a b"])
    assert got.tolist() == [[True, False], [False, False], [False, False]]


def test_copy_matrix_measures_containment_of_word_5grams():
    from unspun.align.scores import copy_matrix

    long = "Acme Oil Company Beta Lubricants Inc Gamma Fluids Corporation Delta Products Company Epsilon Grease LLC"
    part = "Gamma Fluids Corporation Delta Products Company Epsilon Grease"
    other = "Completely different words about a strike at the plant on Monday"
    m = copy_matrix([part, other], [long])
    assert m[0, 0] == 1.0  # every 5-gram of the shorter is in the longer
    assert m[1, 0] == 0.0
    assert copy_matrix(["too short"], [long])[0, 0] == 0.0


def test_shared_counts_over_common_features_equal_the_full_products_to_the_bit():
    import random

    from unspun.align import scores

    rng = random.Random(7)
    for trial in range(60):
        # Small and large vocabularies, so that both the dense and the sparse products run.
        words = [f"w{k}" for k in range(rng.choice([5, 40, 3000]))]
        q = [frozenset(rng.sample(words, rng.randint(0, min(len(words), 30)))) for _ in range(rng.randint(0, 40))]
        s = [frozenset(rng.sample(words, rng.randint(0, min(len(words), 30)))) for _ in range(rng.randint(0, 40))]
        want, got = scores._overlaps(q, s), scores._shared_counts(q, s)
        for a, b in zip(want, got):
            assert a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b), trial


def test_a_query_against_source_after_source_scores_as_each_pair_alone():
    """A trace compares its query with source after source, and the query's side of the word
    products is made once (scores._stem_side, _ngram_side): each pair's matrices are still those
    of the pair read from scratch (isf over both, every feature's column), to the bit."""
    import random

    from unspun.align import scores

    rng = random.Random(11)
    words = [f"word{k}" for k in range(400)] + WORDS
    texts = [" ".join(rng.choices(words, k=rng.randint(0, 25))) for _ in range(300)]
    query = rng.sample(texts, 60)
    sources = [rng.sample(texts, rng.randint(1, 40)) for _ in range(6)] + [query[:5]]
    old = scores.DENSE_LIMIT
    try:
        for limit in (old, 0):  # the dense and the sparse products
            scores.DENSE_LIMIT = limit
            for source in sources + sources[:2]:  # the query's side made once, then found again
                q, s = stem_sets(query), stem_sets(source)
                shared, wq, ws = scores._overlaps(q, s, isf_weights(q + s))
                total = wq[:, None] + ws[None, :]
                with np.errstate(divide="ignore", invalid="ignore"):
                    want = np.where((shared > 0) & (total > 0), 2.0 * shared / total, 0.0).astype(np.float32)
                assert np.array_equal(lexical_matrix(query, source), want)
                qn = [scores.sentence_ngrams(t, 5) for t in query]
                sn = [scores.sentence_ngrams(t, 5) for t in source]
                counted, nq, ns = scores._shared_counts(qn, sn)
                with np.errstate(divide="ignore", invalid="ignore"):
                    small = np.minimum(nq[:, None], ns[None, :])
                    copied = np.where(small > 0, counted / small, 0.0).astype(np.float32)
                assert np.array_equal(scores.copy_matrix(query, source), copied)
    finally:
        scores.DENSE_LIMIT = old
