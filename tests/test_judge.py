"""The judge's evidence: order, rare facts, copied n-grams, stock lines; and its reports."""

from __future__ import annotations

import itertools
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import unspun
from unspun.judge import rarity
from unspun.judge.evidence import copied_share, longest_in_order, measure, weighty


def longest_in_order_reference(matches):
    """The slow, obviously correct twin: every subset, longest first."""
    matches = sorted(matches)
    for size in range(len(matches), 0, -1):
        for chain in itertools.combinations(matches, size):
            if all(a[0] < b[0] and a[1] < b[1] for a, b in zip(chain, chain[1:])):
                return size
    return 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=8, unique_by=lambda c: c[0]))
def test_longest_in_order_agrees_with_its_reference(matches):
    chain = longest_in_order(matches)
    assert len(chain) == longest_in_order_reference(matches)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in zip(chain, chain[1:]))
    assert set(chain) <= set(matches)


def test_rare_words_and_numbers():
    assert rarity.is_rare("kucinich") and rarity.is_rare("22,100") and rarity.is_rare("2023")
    assert not rarity.is_rare("strike") and not rarity.is_rare("the")
    # A rare word is less likely by chance in a short text than in a long one.
    assert rarity.chance("kucinich", 20) < rarity.chance("kucinich", 20_000) < 1.0
    assert rarity.surprise(rarity.chance("kucinich", 20)) > rarity.surprise(rarity.chance("citadel", 20)) > 0


def test_stock_lines_carry_no_evidence():
    assert weighty(["Yeah.", "Thank you.", "The court ruled the strike illegal."]).tolist() == [False, False, True]


def test_matches_out_of_order_count_less():
    n = 6
    in_order = np.eye(n) * 0.8
    shuffled = in_order[[3, 0, 5, 1, 4, 2]]
    texts = [f"sentence number {k} about strikes and courts" for k in range(n)]
    a = measure(texts, texts, in_order, in_order)
    b = measure(texts, texts, shuffled, shuffled)
    assert a.matched == b.matched == n
    assert a.in_order == n and b.in_order < n


def test_copied_share():
    src = ["The ITUC condemns the violations of workers rights in Kazakhstan."]
    assert copied_share(src, src) == 1.0
    assert copied_share(["Workers in Kazakhstan saw their rights violated, the ITUC said."], src) == 0.0


def test_a_pair_sharing_only_stock_lines_is_not_derived():
    """pan13 suspicious-document00048 had a source 'partially derived' on two "Yeah." lines."""
    a = "Yeah.\n\nThe harvest in the northern valleys failed for the third year running.\n\nYeah.\n"
    b = "Yeah.\n\nShe opened the shop on the corner of Elm Street in the spring of 1998.\n\nYeah.\n"
    report = unspun.compare(a, b)
    assert report.verdict == "non-derived" and report.passages == []


def test_one_reworded_sentence_is_derived():
    source = ("Around 500 workers from the Industry Trade Union of Fuel and Energy Complex Workers began strike "
              "action at West Oil Software on 11 December 2023 as part of an existing labour dispute.")
    rewrite = ("The dispute involves approximately 500 workers affiliated with the Industry Trade Union of Fuel and "
               "Energy Complex Workers, who initiated a strike at West Oil Software on December 11, 2023.")
    report = unspun.compare(source, rewrite)
    assert report.verdict != "non-derived" and report.passages
    assert report.judgement.evidence.in_order == 1


def test_the_report_says_why(seeds):
    report = unspun.compare(*seeds)
    ev = json.loads(report.to_json())["judgement"]["evidence"]
    assert ev["decided_by"] in ("restated", "document", "both")
    assert ev["in_order"] >= 8 and ev["sentences"] >= ev["in_order"]
    assert "ituc" in ev["facts"]
    assert 0.0 <= ev["chance"] <= 1.0 and ev["probability"] > 0.5
    assert ev["closest"]["score"] > 0.8


def test_non_derived_names_the_closest_pair(seeds, clough):
    report = unspun.compare(seeds[0], clough / "orig_taska.txt")
    ev = report.judgement.evidence
    assert report.verdict == "non-derived" and ev.decided_by == "none"
    assert ev.closest_spans is not None and "short of the evidence" in ev.reason


REWRITES = __import__("pathlib").Path(__file__).parent / "data" / "rewrites"


def test_an_ai_style_rewrite_of_the_release_is_derived(seeds):
    """Every sentence reworded, the facts and their order kept (written for this test, not used
    in any fit)."""
    report = unspun.compare(seeds[0], REWRITES / "seed-ai-rewrite.txt")
    assert report.verdict == "wholly-derived"
    assert report.judgement.evidence.in_order >= 5


def test_a_publishers_summary_is_a_summary():
    """CNN's highlights of its own story (frank): derived, and the level says how."""
    frank = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "data" / "rewrites" / "frank" / "docs"
    report = unspun.compare(frank / "12c2634bbf92-article.txt", frank / "12c2634bbf92-reference.txt")
    assert report.verdict != "non-derived"
    data = json.loads(report.to_json())
    assert data["reuse"]["level"] == "summary"
    assert "summary" in {p["kind"] for p in data["passages"]}


def test_a_three_sentence_summary_of_the_release_is_derived(seeds):
    # Each sentence of this summary condenses two or three release sentences. With the fp32
    # model only 1 of its 3 sentences is a mutual best match (probability 0.21, threshold 0.23)
    # and it was a known miss; with the int8 model (the default) all 3 are, in order (0.996).
    # The flip comes from cosines near the 0.42 match threshold moving, not from new evidence:
    # the miss is not mended, only no longer shown by this pair.
    report = unspun.compare(seeds[0], REWRITES / "seed-summary.txt")
    assert report.verdict != "non-derived"


def test_the_seed_blog_post_stays_a_paraphrase(seeds):
    assert unspun.compare(*seeds).judgement.level == "paraphrase"


def test_the_why_and_closest_lines_are_escaped_in_the_terminal():
    """The closest pair is untrusted text: markup and control codes must print as nothing more."""
    import io

    from rich.console import Console

    from unspun.report.terminal import render_terminal

    source = "The harvest in the northern valleys failed for the third year running, officials said."
    rewrite = "[bold red]Stock markets[/] fell \x1b]8;;http://evil\x1b\\ sharply in Tokyo on Monday morning."
    out = io.StringIO()
    render_terminal(unspun.compare(source, rewrite), Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "non-derived" in text and "closest" in text and "why" in text
    assert "[bold red]Stock markets[/]" in text  # shown as typed, not as markup
    assert "\x1b" not in text


def test_the_chance_bar_rises_with_the_sentence_pairs_compared():
    from unspun.align import AlignParams
    from unspun.judge.restated import chance_bar

    # A rewrite of twenty sentences against its source: the passage floor decides, as before.
    assert chance_bar(20 * 20) < AlignParams().min_passage_evidence
    assert chance_bar(1_000) < chance_bar(8_000) < chance_bar(50_000)
    # Two long texts on one subject (a pan13 pair): one reworded sentence is not enough.
    assert chance_bar(8_000) > 1.0


def test_a_weak_group_in_a_long_comparison_needs_copied_words_or_a_place_in_line():
    from unspun.judge.restated import accept

    strong = [(100, 10), (101, 11)]  # two sentences restated for certain
    loose = [(5, 25)]  # one sentence 0.7 alike, far from the rest on both sides
    in_line = [(103, 13)]  # the same, two sentences after the strong group on both sides
    prob = np.zeros((300, 30))
    for i, j in strong:
        prob[i, j] = 1.0
    for i, j in loose + in_line:
        prob[i, j] = 0.7
    groups = [loose, strong, in_line]
    assert accept(groups, prob) == groups  # the passage floor alone
    assert accept(groups, prob, copies=lambda g: False) == [strong, in_line]
    assert accept(groups, prob, copies=lambda g: g is loose) == groups
    # Out of line (before the strong group on one side, after it on the other): chance.
    crossed = [(103, 5)]
    prob[103, 5] = 0.7
    assert accept([crossed, strong], prob, copies=lambda g: False) == [strong]
    # In a short comparison the same loose sentence stands: few pairs, little chance.
    small = np.zeros((20, 20))
    small[2, 3] = small[10, 10] = small[11, 11] = 1.0
    small[17, 18] = 0.7
    assert accept([[(2, 3)], [(10, 10), (11, 11)], [(17, 18)]], small, copies=lambda g: False) == [
        [(2, 3)], [(10, 10), (11, 11)], [(17, 18)]]
