"""Quality gate: unspun's fidelity flags against people's error labels of FRANK's system summaries.

A subset (every third summary of the test half, whose articles took no part in choosing
support.MIN_WORDS): a summary is flagged when its report has a changed fact or added content;
it is in error when people found a wrong entity, circumstance, relation or information not in
the article. The full set, with a baseline beside it, is benchmarks/frank_fidelity.py.
"""

import pytest

import unspun

from ..conftest import DATA, need
from . import baseline
from .frank import auc, flag_rates, flagged, readable, summaries


@pytest.fixture(scope="module")
def results():
    folder = need(DATA / "rewrites" / "frank")
    out = []
    for s in summaries(folder, "test")[::3]:
        d = unspun.compare(s.article.read_text(encoding="utf-8"), readable(s.summary.read_text(encoding="utf-8"))).to_dict()
        out.append((s, flagged(d), d["fidelity"]["unsupported_share"] or 0.0))
    return out


def test_frank_flags(results):
    balanced, _, _, factual_flagged = flag_rates([s.in_error for s, _, _ in results], [s.factual for s, _, _ in results],
                                                  [f for _, f, _ in results])
    score_auc = auc([score for _, _, score in results], [s.in_error for s, _, _ in results])
    print(f"\nFRANK test-half subset ({len(results)} summaries): balanced accuracy {balanced:.3f}, "
          f"fully factual flagged {factual_flagged:.3f}, AUC of unsupported_share {score_auc:.3f}")
    baseline.check("frank/flags", {"balanced_accuracy": balanced, "factual_flagged": factual_flagged, "auc": score_auc})
