"""Cheap evidence first (align/cascade.py): unrelated sentences are not embedded, an estimate
never makes a match, and a comparison's verdict and passages stay those of embedding every
sentence."""

from pathlib import Path

import numpy as np
import pytest

from unspun.align import cascade
from unspun.judge.evidence import MATCH_FLOOR
from unspun.pipeline import compare
from unspun.represent import get_embedder

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds"

SOURCE = [
    "The union said on Monday that 500 workers at the oil field had gone on strike over unpaid wages.",
    "A court in Aktau ruled the strike illegal and ordered the workers back to their posts.",
    "The company has not answered the union's letters since the dispute began in January.",
    "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen.",
]
QUERY = [
    # a copy of the first source sentence: settled by its words
    "The union said on Monday that 500 workers at the oil field had gone on strike over unpaid wages.",
    # a paraphrase of the second
    "Judges in Aktau declared the stoppage unlawful and told the staff to return to work.",
    # unrelated to every source sentence
    "Preheat the oven and grease a round cake tin with butter before you start.",
]


class Spy:
    """Records what the model is asked to embed."""

    def __init__(self):
        self.seen: list[str] = []
        self.model = get_embedder("minilm-int8")

    def __call__(self, texts):
        self.seen += texts
        return self.model.embed(texts)


def test_a_paraphrase_is_worth_the_model_and_a_copy_is_settled_by_its_words():
    cheap = cascade.cheap_scores(QUERY, SOURCE)
    assert not cheap.rows[0] and cheap.rows[1] and not cheap.rows[2]
    _, copied, same = cheap.words
    assert same[0, 0] and copied[0, 0] == 1.0
    # the copy's cosine is taken as one, the rest of its row stays under the match floor
    assert cheap.estimate[0, 0] == 1.0 and (cheap.estimate[0, 1:] <= cascade.ESTIMATE_CAP).all()


def test_unrelated_sentences_are_left_to_the_estimate_which_never_makes_a_match():
    spy = Spy()
    cheap = cascade.cheap_scores(QUERY, SOURCE)
    cosine = cascade.cosine_matrix(cheap, spy, QUERY, SOURCE)
    assert QUERY[2] not in spy.seen and SOURCE[3] not in spy.seen
    assert QUERY[1] in spy.seen and SOURCE[1] in spy.seen
    assert QUERY[0] not in spy.seen  # a copy: settled by its words
    _, copied, same = cheap.words
    left = ~np.outer(cheap.rows, cheap.cols) & ~same & (copied < cascade.COPY_CERTAIN)
    assert left.any()
    assert (cosine[left] <= cascade.ESTIMATE_CAP).all() and cascade.ESTIMATE_CAP < MATCH_FLOOR
    # where the model did score, its cosine stands: the paraphrase is the best match of its row
    assert cosine[1].argmax() == 1 and cosine[1, 1] > MATCH_FLOOR


def test_the_estimate_is_capped_whatever_the_cheap_cosine():
    cheap = cascade.cheap_scores(["The cat sat on a mat."], ["A cat was sitting on the mat."])
    assert cheap.estimate.max() <= cascade.ESTIMATE_CAP


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/data is not beside the repository")
def test_the_seed_pair_reads_the_same_either_way():
    source, rewrite = SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt"
    full = compare(source, rewrite)  # one comparison embeds every sentence
    get_embedder()._cache.clear()
    cheap = compare(source, rewrite, exhaustive=False)
    assert cheap.verdict == full.verdict == "wholly-derived"
    assert [(p.source_span, p.query_span) for p in cheap.passages] == [(p.source_span, p.query_span) for p in full.passages]
    assert cheap.timings.get("cheap", 0) > 0 and "cheap" not in full.timings


def test_unspun_exhaustive_in_the_environment_embeds_every_sentence(monkeypatch):
    assert "cheap" in compare("\n".join(SOURCE), "\n".join(QUERY), exhaustive=False).timings
    monkeypatch.setenv("UNSPUN_EXHAUSTIVE", "1")
    report = compare("\n".join(SOURCE), "\n".join(QUERY), exhaustive=False)
    assert "cheap" not in report.timings


def test_another_model_embeds_every_sentence():
    report = compare("\n".join(SOURCE), "\n".join(QUERY), model="hash", exhaustive=False)
    assert "cheap" not in report.timings


def test_scan_and_trace_verify_with_cheap_evidence_first(monkeypatch, tmp_path):
    """A scan's verification and a trace's ask compare for cheap evidence first; one comparison
    (the command, the API's /api/compare) embeds every sentence."""
    import unspun.pipeline as pipeline
    import unspun.retrieve as retrieve
    from unspun.scan import stages
    from unspun.types import Document

    asked = []

    def spy(*args, **kwargs):
        asked.append(kwargs.get("exhaustive", True))
        return compare(*args, **kwargs)

    monkeypatch.setattr(pipeline, "compare", spy)
    monkeypatch.setattr(retrieve, "compare", spy)
    a = stages.Packed.of(Document(id="a", text="\n".join(SOURCE)))
    b = stages.Packed.of(Document(id="b", text="\n".join(QUERY)))
    list(stages.verify_rows([("a", "b", 1.0, a, b)]))
    assert asked == [False]

    from unspun.store import Index

    with Index(tmp_path / "idx") as ix:
        ix.add([Document(id="source.txt", text="\n".join(SOURCE))])
        ix.trace(Document(id="query.txt", text="\n".join(QUERY)), verify=1)
    assert asked == [False, False]
