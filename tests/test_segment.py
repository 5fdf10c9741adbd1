from unspun.segment import paragraphs, segment, sentences


def spans_text(text, spans):
    return [text[s.start : s.end] for s in spans]


def test_sentences_keep_exact_offsets():
    text = "  First one.  Second one!\r\nThird?  "
    got = spans_text(text, sentences(text))
    assert got == ["First one.", "Second one!", "Third?"]


def test_run_together_sentences_are_split():
    text = "They want the right to form groups.He cautioned the government."
    assert spans_text(text, sentences(text)) == [
        "They want the right to form groups.",
        "He cautioned the government.",
    ]


def test_abbreviations_and_initials_do_not_split():
    text = "Mr. Smith met Dr. J. K. Rowling in the U.S. on Monday. Then he left."
    assert spans_text(text, sentences(text)) == [
        "Mr. Smith met Dr. J. K. Rowling in the U.S. on Monday.",
        "Then he left.",
    ]


def test_list_markers_join_their_item():
    text = "There are two steps:\n\n1. Do this.\n\n2. Do that."
    segs = segment(text)
    assert [text[s.span.start : s.span.end] for s in segs] == [
        "There are two steps:",
        "1. Do this.",
        "2. Do that.",
    ]


def test_paragraphs_and_headings():
    text = "Right to strike\n\nLuc Triangle said: \u201cThis.\u201d\n\n\nNext paragraph here."
    paras = spans_text(text, paragraphs(text))
    assert paras == ["Right to strike", "Luc Triangle said: \u201cThis.\u201d", "Next paragraph here."]
    segs = segment(text)
    assert segs[0].kind == "heading" and segs[1].kind == "sentence"
    assert [s.paragraph for s in segs] == [0, 1, 2]


def test_very_long_sentence_is_cut_into_chunks():
    text = " ".join(["word"] * 200) + "."
    spans = sentences(text)
    assert len(spans) == 3
    assert "".join(text[s.start : s.end] + " " for s in spans).strip() == text
