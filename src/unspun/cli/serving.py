"""`unspun serve`: the web service under uvicorn."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import InputError
from ..extras import require
from ..read.text import DEFAULT_MAX_BYTES, MB


def add_serve_parser(sub) -> None:
    sv = sub.add_parser(
        "serve",
        help="serve compare and trace over HTTP, with a web page to use them",
        description=(
            "Start a web server: a page at / where two texts are pasted or uploaded and compared\n"
            "side by side, and a JSON API (POST /api/compare, POST /api/trace, GET /healthz; its\n"
            "OpenAPI schema at /openapi.json). The model is loaded once, before the server listens.\n"
            "On any address but loopback the API needs a bearer token, and the server does not\n"
            "start without one."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "examples:\n"
            "  unspun serve                                   # http://127.0.0.1:8000/\n"
            "  unspun serve --index news-index --port 9000    # with /api/trace\n"
            "  UNSPUN_TOKEN=$(openssl rand -hex 16) unspun serve --host 0.0.0.0\n\n"
            "  curl -s localhost:8000/api/compare -H 'Content-Type: application/json' \\\n"
            "       -d '{\"source\": \"...\", \"rewrite\": \"...\"}'\n"
            "  curl -s 'localhost:8000/api/compare?format=html' -F source=@release.txt -F rewrite=@copy.html"
        ),
    )
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    sv.add_argument("--index", metavar="DIR", help="an index built by `unspun index`, for POST /api/trace (default: none)")
    sv.add_argument(
        "--token",
        default=None,
        help="bearer token the API requires (default: the UNSPUN_TOKEN environment variable, which "
        "keeps it out of the process list); required on any address but loopback",
    )
    sv.add_argument("--max-size", "--max-mb", dest="max_size", type=float, default=DEFAULT_MAX_BYTES / MB, metavar="MB",
                    help="largest request accepted, in megabytes; larger ones get 413 (default: %(default)g; "
                    "--max-mb is its old name)")
    sv.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                    help="time limit of one request, waiting for a free slot included; then 503/504 (default: 120)")
    sv.add_argument("--jobs", "--concurrency", "--workers", dest="concurrency", type=int, default=2, metavar="N",
                    help="comparisons run at once (--concurrency and --workers are old names); more requests "
                    "wait their turn (default: 2, one per core "
                    "of a small machine; each takes up to about 1.3 GB on the longest texts)")
    sv.add_argument("--model", default=None,
                    help="sentence embedding model (default: minilm; 'hash' is a fast lexical stand-in)")


def run_serve(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port {args.port}: not a port number (0 to 65535)")
    if args.max_size <= 0 or args.timeout <= 0 or args.concurrency < 1:
        raise InputError("--max-size and --timeout must be positive, --jobs at least 1")
    token = args.token or os.environ.get("UNSPUN_TOKEN") or None
    require("fastapi", "serve", "unspun serve")
    import uvicorn

    from ..serve.app import create_app, warm_app
    from ..serve.connections import server_options

    app = create_app(
        index=args.index,
        model=args.model,
        max_bytes=int(args.max_size * MB),
        timeout=args.timeout,
        concurrency=args.concurrency,
        token=token,
        host=args.host,
        warm_up=False,
    )
    print(f"unspun: loading the model ({app.state.embedder.name})...", file=sys.stderr)
    warm_app(app)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"unspun: serving on http://{shown}:{args.port}/ "
          f"({'token required' if token else 'no token'}, "
          f"{'trace from ' + args.index if args.index else 'no index'}); Ctrl-C stops it", file=sys.stderr)
    # Ctrl-C: uvicorn waits GRACEFUL_SHUTDOWN seconds for requests under way, then cancels them
    # and their work; the worker threads are daemons, so the process does not wait for them.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", **server_options())
    return 0
