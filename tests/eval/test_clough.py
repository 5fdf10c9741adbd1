"""Quality gate on Clough & Stevenson: every answer against its original, with the real model.

Floors are what the pipeline reached when they were pinned; raise them when quality rises, never
lower them silently. For scale: word-unigram containment with the best threshold chosen in
hindsight scores 0.958 binary and 0.737 four-class here.

Two answers labelled ``cut`` (g2pE_taskc, g4pD_taskb) copy Wikipedia text that is not in their
``orig_task`` file (the Information retrieval article; a PageRank passage orig_taskb lacks), so
"non-derived" is the right answer for those pairs and they count as errors against the labels.
"""

import pytest

from . import baseline
from .clough import binary_accuracy, confusion_table, four_class_accuracy, run_clough

# Floors in baseline.json: clough/binary (93 of 95; 92 before the judge weighed the document as a
# whole), clough/binary_without_mislabelled (all 93 whose text does come from their original),
# clough/four_class (77 of 95; 76 before).
MISLABELLED = {"g2pE_taskc.txt", "g4pD_taskb.txt"}


@pytest.fixture(scope="module")
def results(clough):
    return run_clough(clough)


def test_binary_accuracy(results):
    acc = binary_accuracy(results)
    wrong = [(r.file, r.label, r.verdict) for r in results if (r.label != "non") != (r.verdict != "non-derived")]
    print(f"\nClough binary accuracy {acc:.3f} ({len(results)} answers); wrong: {wrong}")
    assert len(results) == 95
    baseline.check("clough/binary", {"binary_accuracy": acc})


def test_binary_accuracy_without_the_two_foreign_copies(results):
    kept = [r for r in results if r.file not in MISLABELLED]
    acc = binary_accuracy(kept)
    print(f"\nClough binary accuracy without {sorted(MISLABELLED)}: {acc:.3f} ({len(kept)} answers)")
    baseline.check("clough/binary_without_mislabelled", {"binary_accuracy": acc})


def test_four_class_accuracy(results):
    acc = four_class_accuracy(results)
    print(f"\nClough four-class accuracy {acc:.3f}\n{confusion_table(results)}")
    baseline.check("clough/four_class", {"four_class_accuracy": acc})


def test_no_independent_answer_is_called_derived(results):
    assert [r.file for r in results if r.label == "non" and r.verdict != "non-derived"] == []


def test_the_two_foreign_copies_are_not_pinned_on_their_original(results):
    # Documents the known label problem: if these ever turn derived, look at why.
    assert {r.file for r in results if r.file in MISLABELLED and r.verdict == "non-derived"} == MISLABELLED


def test_verbatim_copies_show_no_changed_facts(results):
    """`cut` answers copy their source: any changed fact reported on them is a false alarm."""
    changed = {r.file: r.changed for r in results if r.label == "cut" and r.changed}
    print(f"\nchanged facts on the 19 cut answers: {changed or 'none'}; on all answers: {sum(r.changed for r in results)}")
    assert changed == {}
