"""Language identification of a document (lingua: offline, its models ship in the wheel).

Only a prefix is looked at: a language is clear after a few sentences, and lingua's cost grows
with the text. The detector is built once per process; its models load on first use.
"""

from __future__ import annotations

from functools import lru_cache

PREFIX = 2000  # characters looked at


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().build()


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "ru", "kk"...), or None when unsure."""
    sample = text[:PREFIX].strip()
    if len(sample) < 20:
        return None
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language is not None else None
