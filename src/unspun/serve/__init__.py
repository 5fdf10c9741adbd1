"""`unspun serve`: the web service and its page (see app.py)."""

from .app import create_app

__all__ = ["create_app"]
