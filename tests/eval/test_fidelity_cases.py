"""Quality gate: changed-fact flags on hand-built cases (tests/data/fidelity_cases.jsonl).

Each case is a real sentence from ../shared/data (seeds, Clough) and a rewrite of it: one
deliberate fact edit (number, date, name, negation, quote) or a meaning-preserving rewrite with
every fact kept (equivalent forms: "December 11, 2023", "approximately 500", "7", acronyms
expanded). The first 119 cases were written by a helper who did not see the detector. The 27
after them (chg-speaker-*, chg-date-12, keep-none-59 to 74: a quotation moved to another speaker;
typographic variants, unrelated or misaligned facts, pronoun and reordered attributions that must
not flag) come from article-extraction pages and were written by the helper that then changed
the detector, before changing it. The last 6 (keep-none-75 to 77, chg-negation-14 to 16) are
sentences of FRANK's articles: a comparative bound ("no more than 44 per cent") beside "only" and
"at most", and beside the same comparison unbounded, and "back"/"against" where they state no side.
They were written with the rule that reads them (development data). So were the 5 after them
(keep-none-78 to 80, chg-negation-17, chg-quote-13): two quotations of one speaker beside one
attribution (two outlets' pages of one event), the attribution before them too, and a bound beside
another figure's comparison in one long FRANK sentence; and the 2 after those (keep-none-81,
chg-quote-14): a quotation between straight single quotes, shortened and altered; and the 6 after
those (keep-none-82 to 85, chg-number-13, chg-negation-18), from onestopenglish's simplified
articles: "110m yen" is "110 million yen" (and "110m" hurdles still "110 metres"), a source that
takes both sides of an antonym pair ("lift bans ... imposed") and a rewrite that keeps one, "in
place of" for "instead of"; and the 4 after those (keep-none-86 to 88, chg-negation-19): negative
contractions without their apostrophe ("doesnt"), "incapable of" for "cannot", possessives; and
keep-none-89, 90: "Don’t" opening a sentence, and "Of" alone, are no names.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from unspun.fidelity.changes import NameBook, compare_pair
from unspun.types import Span

from . import baseline

CASES = Path(__file__).resolve().parents[1] / "data" / "fidelity_cases.jsonl"
# Floors pinned at what the detector reached (baseline.json, fidelity_cases/*). Honest note: its
# rules were revised once after a first run on these cases (precision 0.887, recall 0.770 then):
# the set served as development data too. The 27 later cases scored P 0.444 R 0.364 (speaker
# kind 0 of 10) on the detector before the speaker, context and typography rules, and P 1.0
# R 1.0 after them: they were development data for those rules.


def flagged(case) -> list[dict]:
    source, rewrite = case["source"], case["rewrite"]
    changes = compare_pair(source, Span(0, len(source)), rewrite, Span(0, len(rewrite)), NameBook(source), NameBook(rewrite))
    return [c.to_dict() for c in changes]


@pytest.fixture(scope="module")
def results():
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(case, flagged(case)) for case in cases]


def test_changed_flags(results):
    tp = sum(1 for c, f in results if c["changed"] and f)
    fp = sum(1 for c, f in results if not c["changed"] and f)
    fn = sum(1 for c, f in results if c["changed"] and not f)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    by_kind = Counter(c["kind"] for c, f in results if c["changed"] and f)
    totals = Counter(c["kind"] for c, _ in results if c["changed"])
    print(f"\nfidelity cases: {len(results)}; changed flags precision {precision:.3f} recall {recall:.3f}")
    print("recall by kind: " + ", ".join(f"{k} {by_kind[k]}/{n}" for k, n in sorted(totals.items())))
    for c, f in results:
        if bool(f) != c["changed"]:
            print(f"  miss {c['id']}: {[x['kind'] + ':' + x['source_value'][:30] + '->' + x['rewrite_value'][:30] for x in f]}")
    assert len(results) >= 80
    baseline.check("fidelity_cases/changed_flags", {"precision": precision, "recall": recall})


def test_flagged_kind_matches_the_edit(results):
    right = sum(1 for c, f in results if c["changed"] and f and any(x["kind"] == c["kind"] for x in f))
    found = sum(1 for c, f in results if c["changed"] and f)
    print(f"\nkind right for {right} of {found} flagged changes")
    baseline.check("fidelity_cases/kind", {"kind_right": right / max(1, found)})
