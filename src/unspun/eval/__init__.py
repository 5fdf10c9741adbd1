"""Scoring unspun on labelled corpora, for `unspun eval` (PAN text alignment: `eval.pan`).

Dataset-specific evaluation code (Clough, the cross-lingual sets, the scan corpus) lives with the
quality gates in tests/eval, not in the package."""
