"""The pieces every stage shares: one tokenizer, one span union, one timer, one size message."""

from __future__ import annotations

import pytest

from unspun.read.text import over_limit
from unspun.timing import Timer
from unspun.types import Span, merge_spans
from unspun.words import letter_runs, tokens, word_count


def test_merge_spans_joins_overlaps_and_bridged_gaps():
    spans = [Span(10, 12), Span(0, 5), Span(3, 8), Span(12, 13), Span(20, 25)]
    assert merge_spans(spans) == [Span(0, 8), Span(10, 13), Span(20, 25)]
    text = "aaaaaaaa  bbb" + " " * 7 + "ccccc"
    assert merge_spans(spans, lambda end, start: not text[end:start].strip()) == [Span(0, 25)]
    assert merge_spans([]) == []


def test_tokens_are_lower_cased_words_in_order():
    assert tokens("The ITUC's 2026 report_v2, Kazakhstan!") == ["the", "ituc", "s", "2026", "report_v2", "kazakhstan"]
    assert word_count("Strike — on Monday.") == 3
    assert letter_runs("Route 66 runs_west") == ["Route", "runs", "west"]


def test_timer_adds_up_each_stage():
    timer = Timer()
    for _ in range(2):
        with timer("embed"):
            pass
    with pytest.raises(ValueError), timer("align"):
        raise ValueError("a failed stage is timed too")
    assert set(timer.times) == {"embed", "align"} and timer.elapsed() >= timer.times["embed"] >= 0


def test_one_wording_of_the_size_limit():
    assert over_limit("big.txt", 20 * 1024 * 1024, 50 * 1024 * 1024) == (
        "big.txt: 50.0 MB is over the 20 MB limit; raise it with --max-size if you mean it")
    assert over_limit("standard input", 1024 * 1024, hint=False) == "standard input: over the 1 MB limit"
