"""Report: a Report object rendered for people (terminal, HTML) or programs (JSON: Report.to_json)."""

from .html import render_html
from .terminal import render_terminal

__all__ = ["render_html", "render_terminal"]
