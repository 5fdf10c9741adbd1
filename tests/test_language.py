"""Language identification: the cheap English test, lingua for the rest, per sentence too."""

from pathlib import Path

from unspun.language import detect, looks_english, sentence_languages

RU = (Path(__file__).parent / "data" / "crosslingual" / "press-release.ru.txt").read_text(encoding="utf-8")
EN = "The court ruled the strike illegal on the same day, and the workers and their families have faced a campaign of intimidation since then by the company and the local authorities."
ES = "La venganza, pues, que toma la Duquesa haciéndole ver a Ignacio su deshonra, es una niñería, es una bagatela si la comparamos con otras mil venganzas."
DE = "Die Wähler stimmen am Sonntag darüber ab, ob der Name ihres Landes in Republik Nordmazedonien geändert werden soll, um einen langen Streit beizulegen."


def test_english_is_recognised_by_its_words():
    assert looks_english(EN)
    assert not looks_english(ES) and not looks_english(DE) and not looks_english(RU)
    assert not looks_english("Short text.")  # too few words to tell


def test_a_short_english_text_needs_no_lingua():
    assert looks_english("The union said the workers began a strike at the plant on Monday morning.")
    assert not looks_english("La huelga empezó el lunes por la mañana en la planta.")
    assert not looks_english("Die Arbeiter streikten am Montagmorgen in der Fabrik.")


def test_detect_documents():
    assert detect(EN) == "en"
    assert detect(RU) == "ru"
    assert detect(ES) == "es"
    assert detect(DE) == "de"
    assert detect("ok") is None


def test_sentence_languages_mark_a_foreign_sentence_and_leave_short_ones_to_the_document():
    sentences = [EN, "Photo: AP", RU.splitlines()[4], ES]
    assert sentence_languages(sentences, default="en") == ["en", "en", "ru", "es"]


def test_foreign_sentences_of_a_mixed_document():
    from unspun.language import foreign_sentences
    from unspun.types import Document

    ru = RU.splitlines()[8]
    doc = Document(id="mixed", text=f"{EN}\n\n{ru}\n\n{EN}\n", lang="en")
    start = doc.text.index(ru)
    assert foreign_sentences(doc) == [(start, start + len(ru), "ru")]
    assert foreign_sentences(Document(id="plain", text=f"{EN}\n\n{EN}\n", lang="en")) == []


def test_read_json_lists_sentences_in_another_language(tmp_path):
    import json
    import subprocess
    import sys

    path = tmp_path / "mixed.txt"
    path.write_text(f"{EN}\n\n{RU.splitlines()[8]}\n\n{EN}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "unspun.cli", "read", str(path), "--json"], capture_output=True, text=True, check=True)
    record = json.loads(out.stdout.splitlines()[0])
    assert record["lang"] == "en"
    assert [s[2] for s in record["other_languages"]] == ["ru"]


def test_a_short_foreign_text_costs_no_gigabyte():
    """A pasted sentence in German took lingua's high-accuracy models: 1.1 GB and 10 s, in the web
    service too. A whole text's language comes from the low-accuracy models (73 MB)."""
    import subprocess
    import sys

    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec, from this test process.
    code = (
        "import re; from unspun.language import detect; "
        "print(detect('Die Arbeiter streikten am Montagmorgen in der Fabrik.')); "
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "de"
    assert int(out[1]) < 400, f"detecting one short sentence's language took {out[1]} MB"


def test_a_short_text_the_cheap_models_get_wrong_is_decided_by_the_precise_ones():
    # lingua's low-accuracy models call this Danish at 0.42: a wrong language would make an
    # English pair a cross-language comparison.
    assert detect("Cats sleep a lot. Dogs bark.") == "en"
    assert detect("Это короткое предложение о забастовке рабочих.") == "ru"


def test_a_short_english_headline_is_english():
    # Alone, the low-accuracy models call it Swedish at 0.87; the precise models of the likeliest
    # languages and English decide.
    assert detect("2 police killed in eastern afghan explosion") == "en"
    assert detect("Die Arbeiter streikten am Montagmorgen in der Fabrik.") == "de"


def test_one_sentence_without_english_words_costs_no_gigabyte():
    """`unspun read` of an English car-show page asked lingua about one heading, "Space Vizzion
    Concept.", with every language's high-accuracy models: 1.1 GB and 10 s. Sentences are read
    as short texts are: the low-accuracy models propose, the precise ones of those decide."""
    import subprocess
    import sys

    code = (
        "import re; from unspun.language import sentence_languages; "
        f"print(*sentence_languages(['Space Vizzion Concept.', {DE!r}, {ES!r}], default='en')); "
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) // 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:3] == ["en", "de", "es"]  # the heading is names alone: the document's language
    assert int(out[3]) < 400, f"three sentences' languages took {out[3]} MB"


def test_a_sentence_of_names_takes_its_documents_language():
    """Lines of a results table on an English page were called Welsh, Tagalog, Basque; a car's
    name Romanian. Names say nothing of the language around them; two words that are not
    names do."""
    names = ["Madelyn Rosario 1 assist.", "Space Vizzion Concept.", "Cocoa (1-2): Jordan Munoz 8 saves."]
    assert sentence_languages(names + [DE, "Der Präsident sprach am Montag in Berlin."], default="en") == [
        "en", "en", "en", "de", "de"]
