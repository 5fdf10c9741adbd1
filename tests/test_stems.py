"""The compiled stemmer (PyStemmer, a dependency for speed) stems exactly as the pure-Python
Snowball English stemmer that the lexical evidence was built and calibrated on. A PyStemmer
release on a newer Snowball that stems differently would move scores silently; this says so."""

import re

from snowballstemmer.english_stemmer import EnglishStemmer

from unspun.represent import lexical

from .conftest import CLOUGH, need


def test_the_stemmer_in_use_is_the_compiled_one():
    assert type(lexical._stemmer()).__module__ == "Stemmer"


def test_compiled_and_pure_python_stems_agree_on_real_words():
    words: set[str] = set()
    for path in sorted(need(CLOUGH).glob("*.txt")):
        words.update(w.lower() for w in re.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace")))
    assert len(words) > 2000
    reference = EnglishStemmer()
    compiled = lexical._stemmer()
    differing = [(w, compiled.stemWord(w), reference.stemWord(w)) for w in sorted(words)
                 if compiled.stemWord(w) != reference.stemWord(w)]
    assert not differing, differing[:10]
