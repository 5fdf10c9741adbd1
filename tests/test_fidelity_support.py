"""Unsupported claims (fidelity/support.py): words a kept rewrite sentence has that the source never uses."""

import re

import unspun
from unspun.fidelity.support import Vocabulary, adds_something, unsupported_claims, unsupported_words
from unspun.types import Segment, Span

SOURCE = (
    "The union said on Monday that seven workers were dismissed after the strike at the plant. "
    "The company slept on the complaint for a week."
)


def words(text: str, source: str = SOURCE) -> list[str]:
    return [f.value for f in unsupported_words(text, Span(0, len(text)), Vocabulary(source))]


def test_inflections_and_figures_are_the_same_word():
    assert words("The union says seven workers were dismissed.") == []
    assert words("The union says 7 workers were dismissed.") == []
    assert words("The company sleeps on complaints.") == []  # slept / sleep: one dictionary form


def test_words_the_source_never_uses_are_listed_as_written():
    assert words("The union says Kazakh police beat seven workers.") == ["Kazakh", "police", "beat"]


def test_contraction_pieces_and_function_words_are_not_content():
    assert words("The union doesn't say it was the plant.") == []


def sentence_findings(rewrite: str):
    seg = Segment("rewrite", Span(0, len(rewrite)), "sentence", 0)
    return unsupported_claims(rewrite, [seg], [Span(0, 80)], Vocabulary(SOURCE))


def test_two_new_words_or_one_rare_one_make_a_claim_with_its_nearest_source_sentence():
    found, share = sentence_findings("The union says seven angry workers were dismissed quickly.")
    assert [f.kind for f in found] == ["unsupported"] and found[0].nearest == Span(0, 80)
    assert [x.value for x in found[0].facts] == ["angry", "quickly"] and 0 < share < 1
    found, _ = sentence_findings("The union says seven workers were dismissed in Kilmarnock.")
    assert [x.value for x in found[0].facts] == ["Kilmarnock"]  # rare: a place
    found, _ = sentence_findings("The union says seven workers were dismissed today.")
    assert found == []  # one common word: a paraphrase's, as likely as not


def test_an_unpaired_sentence_that_says_nothing_new_is_not_added_content():
    vocabulary = Vocabulary(SOURCE)
    text = "Seven workers were dismissed, the union said."
    assert not adds_something(text, Span(0, len(text)), vocabulary)
    text = "Eight workers were dismissed, the union said."
    assert adds_something(text, Span(0, len(text)), vocabulary)  # a figure the source never states
    text = "This is an outrage, the union said."
    assert adds_something(text, Span(0, len(text)), vocabulary)


def test_unpaired_text_is_added_content_by_the_same_bar_as_a_claim():
    """One common word the source never uses ("beat") is a paraphrase's as often as not: an
    unpaired sentence needs what a kept one needs to be a claim, two such words or one rare one."""
    vocabulary = Vocabulary(SOURCE)
    for text, added in [
        ("The union said seven workers were beat after the strike.", False),  # one common word
        ("The union said police beat seven workers after the strike.", True),  # two
        ("The union said seven workers from Kilmarnock were dismissed.", True),  # one rare (a place)
    ]:
        assert adds_something(text, Span(0, len(text)), vocabulary) is added, text


def test_the_report_carries_claims_and_the_share():
    source = ("Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday. "
              "Locke replaced Allan Johnston on a caretaker basis in February.")
    rewrite = ("Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday in Glasgow. "
               "Locke replaced Allan Johnston on a caretaker basis in February.")
    d = unspun.compare(source, rewrite).to_dict()["fidelity"]
    claims = [a for a in d["additions"] if a["kind"] == "unsupported"]
    assert len(claims) == 1 and claims[0]["facts"][0]["value"] == "Glasgow"
    assert claims[0]["nearest_source"][0] == 0
    assert 0 < d["unsupported_share"] < 0.2
    same = unspun.compare(source, source).to_dict()["fidelity"]
    assert same["unsupported_share"] == 0 and not [a for a in same["additions"] if a["kind"] == "unsupported"]


def test_each_distinct_words_answer_is_what_the_source_says_of_it(clough):
    """A text's distinct words are answered by one meeting of every word's forms with the
    source's (_TextWords.supported): the same answers as asking the source of each word, numbers
    written in words among them, in two languages (the forms are the language's)."""
    from unspun.fidelity.support import _text_words

    pairs = [("They signed 2 deals in 2019 and said it sleeps.", "Two deals were signed; one more says three slept.")]
    for task in "ae":
        pairs += [((clough / f"orig_task{task}.txt").read_text(encoding="utf-8"),
                   (clough / f"g0pA_task{task}.txt").read_text(encoding="utf-8"))]
    answers = 0
    for source_text, rewrite in pairs:
        spans = tuple((m.start(), m.end()) for m in re.finditer(r"[^.]+\.?", rewrite))
        words = _text_words(rewrite, spans)
        for lang in ("en", "de"):
            fast = words.supported(Vocabulary(source_text, lang)).tolist()
            asked = Vocabulary(source_text, lang)
            assert fast == [asked.supports(w) for w in words.distinct]
            answers += len(fast)
            assert True in fast and False in fast
    assert answers > 200


def test_claims_over_many_sentences_are_what_asking_each_sentence_gives(clough):
    """unsupported_claims counts each distinct word's answer over the sentences at once; here the
    plain reading asks every sentence's every word in turn, on Clough's answers against their
    source, with every other sentence aligned."""
    from unspun.fidelity.support import MIN_WORDS, RARE_ZIPF, _sentence_words
    from unspun.judge import rarity
    from unspun.pipeline import prepare

    claims = 0
    for task in "abcde":
        source = Vocabulary((clough / f"orig_task{task}.txt").read_text(encoding="utf-8"))
        for name in ("g0pA", "g0pB", "g2pA"):
            side = prepare(clough / f"{name}_task{task}.txt", "rewrite")
            text, segments = side.doc.text, side.segments
            aligned = [Span(0, 40) if k % 2 else None for k in range(len(segments))]
            plain, total, missing = [], 0, 0
            for seg, nearest in zip(segments, aligned):
                if seg.kind != "sentence":
                    continue
                content, asked = _sentence_words(text, seg.span.start, seg.span.end)
                found = source.missing(asked)
                total, missing = total + len(content), missing + len(found)
                if nearest is not None and found and (
                        len(found) >= MIN_WORDS or any(rarity.zipf(m.group(0).lower()) < RARE_ZIPF for m in found)):
                    plain.append((seg.span, tuple(m.group(0) for m in found)))
            found, share = unsupported_claims(text, segments, aligned, source)
            assert [(f.span, tuple(x.value for x in f.facts)) for f in found] == plain
            assert share == (missing / total if total else 0.0)
            claims += len(plain)
    assert claims > 10  # the comparison had claims to compare
