"""Multilingual sentence codes: where a source in another language is found.

A document's sentences are embedded by a multilingual model and the sign of each dimension is
kept. Two models, by the document's language:

* ``use``, USE multilingual (about 650 sentences/s on 2 cores, see represent/multilingual.py),
  512 bits (64 bytes) a sentence, for the 16 languages it knows, English among them. On NTREX,
  Russian against 975 English sentences, the true translation is nearest by Hamming distance for
  0.989 of sentences (German 0.991), with 76 % of bits equal on average against at most 60 % for
  99 % of unrelated pairs.
* ``e5``, multilingual-e5-small (25 sentences/s), 384 bits (48 bytes), for a short list of
  languages USE does not know (Kazakh, Hindi, Ukrainian and neighbours: USE's top-1 is 0.26 on
  Kazakh and 0.04 on Hindi). Only a list: every English query is embedded by e5 as well once the
  index holds e5 codes, at 25 sentences/s, so a stray page identified as Yoruba or Tagalog must
  not switch that on (pan13's English sources hold four such pages). e5's vectors share a large
  common component (their mean has norm 0.88), so signs are taken after subtracting the mean of
  1,000 English sentences (``e5_mean.npy``, made by benchmarks/calibrate_crosslingual.py): Kazakh
  top-1 0.91, Hindi 0.99 on the same test.

A query is embedded with a model only when the index holds that model's codes in another language
than the query's; e5's slowness is paid only where Kazakh-like sources are indexed. The better
model (e5, in ``compare``) then verifies what is found.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .embedder import get_embedder
from .multilingual import USE_LANGUAGES

BYTES = {"use": 64, "e5": 48}  # per sentence, by model
E5_LANGUAGES = frozenset("kk ky uz tg mn uk be az hy ka hi bn ur".split())
# At most this many of a query's sentences are embedded by e5 (25 sentences/s) to look for
# translations, evenly spread. USE embeds them all: sampled to 128, a translated passage of 3 to 5
# sentences inserted in a pan13 suspicious document was found for 33 of 40 against 38 of 40.
QUERY_SENTENCES = {"e5": 64}
E5_QUERY_SENTENCES = QUERY_SENTENCES["e5"]  # the older name
# Share of equal bits for a sentence to count as a translation's match. On NTREX, true pairs'
# 10th percentile is 0.70 (USE, Russian) and 0.63 (e5, Kazakh); unrelated pairs centre on 0.5
# with a 99th percentile of 0.60 and 0.59. A query of 100 sentences meets hundreds of thousands
# of indexed ones, so the bar sits about 4 standard deviations above chance, where a chance match
# is one in tens of thousands (trace also wants two matches in one document).
AGREEMENT = {"use": 0.68, "e5": 0.63}


def model_for(lang: str | None) -> str:
    return "e5" if lang in E5_LANGUAGES else "use"


def wanted(lang: str | None) -> bool:
    """Whether a document in this language gets codes in an English-first index: a language one
    of the models knows, English aside."""
    return lang is not None and lang != "en" and (lang in USE_LANGUAGES or lang in E5_LANGUAGES)


@lru_cache(maxsize=2)
def _mean(model: str) -> np.ndarray:
    return np.load(Path(__file__).with_name(f"{model}_mean.npy"))


def codes(sentences: list[str], model: str) -> np.ndarray:
    """Packed sign bits, shape (len(sentences), BYTES[model]), uint8."""
    if not sentences:
        return np.zeros((0, BYTES[model]), dtype=np.uint8)
    return np.packbits(get_embedder(model).embed(sentences) - _mean(model) > 0, axis=1)
