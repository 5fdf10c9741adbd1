"""`unspun read`."""

from __future__ import annotations

import argparse
import sys

from .progress import Warnings


def run_read(args: argparse.Namespace) -> int:
    import json

    from ..clean import mark_chrome, mark_site_chrome
    from ..read import JsonlFields, iter_documents

    warn = Warnings()

    fields = JsonlFields(
        text=args.jsonl_text, id=args.jsonl_id, url=args.jsonl_url, date=args.jsonl_date, title=args.jsonl_title
    )
    docs = list(iter_documents(args.paths, max_bytes=int(args.max_size * 1024 * 1024), jsonl=fields, warn=warn))
    from ..language import detect, foreign_sentences

    for doc in docs:
        doc.lang = doc.lang or detect(doc.text)
    if not args.keep_chrome:
        for doc in docs:
            mark_chrome(doc)
        mark_site_chrome(docs)
    for doc in docs:
        doc.meta["foreign_sentences"] = foreign_sentences(doc)
    if args.json:
        for doc in docs:
            print(json.dumps(document_json(doc), ensure_ascii=False))
    else:
        from ..report.reading import render_documents

        render_documents(docs, brief=args.brief)
    warnings = warn.messages
    if warnings:
        print(f"unspun: {len(warnings)} warning{'s' if len(warnings) != 1 else ''}; "
              f"{len(docs)} document{'s' if len(docs) != 1 else ''} read", file=sys.stderr)
    return 0


def document_json(doc) -> dict:
    """The `unspun read --json` record of a document (one line per document)."""
    return {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "url": doc.url,
        "published": doc.published,
        "chrome": [s.to_list() for s in doc.chrome],
        "metadata": [s.to_list() for s in doc.meta.get("metadata", [])],
        "author": doc.meta.get("author"),
        "site": doc.meta.get("sitename"),
        "lang": doc.lang,
        # Sentences in another language than the document's: [start, end, language].
        "other_languages": [list(s) for s in doc.meta.get("foreign_sentences", [])],
        "encoding": doc.meta.get("encoding"),
        "format": doc.meta.get("format"),
    }
