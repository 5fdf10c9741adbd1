"""The reuse map: one inline SVG drawn from a report, no plotting library, no text from the input.

The source runs left to right, the rewrite top to bottom, both scaled to their length. Each aligned
sentence pair is a stroke from where it starts to where it ends on both axes, coloured by its
passage's kind: a copy in order is a diagonal, reordering breaks the diagonal into steps, a dropped
stretch of the source is a gap on the horizontal axis (marked red below it), an addition a gap on
the vertical one (marked blue beside it), and site chrome a grey band.
"""

from __future__ import annotations

from ..types import Report

KIND_COLOUR = {"verbatim": "#c0392b", "near-verbatim": "#d68910", "paraphrase": "#2471a3", "summary": "#17a589", "translation": "#7d3c98"}
SIZE = 260
PAD = 28


def reuse_map_svg(report: Report) -> str:
    j = report.judgement
    ls, lq = max(1, len(report.source.text)), max(1, len(report.rewrite.text))

    def x(pos: int) -> float:
        return PAD + SIZE * pos / ls

    def y(pos: int) -> float:
        return PAD + SIZE * pos / lq

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="reuse-map" viewBox="0 0 {SIZE + 2 * PAD} {SIZE + 2 * PAD}" '
        f'width="{SIZE + 2 * PAD}" height="{SIZE + 2 * PAD}" role="img" aria-label="reuse map">',
        f'<rect x="{PAD}" y="{PAD}" width="{SIZE}" height="{SIZE}" fill="#fbfbf8" stroke="#ccc"/>',
    ]
    for c in report.rewrite.chrome:
        parts.append(f'<rect x="{PAD}" y="{y(c.start):.1f}" width="{SIZE}" height="{max(1.0, y(c.end) - y(c.start)):.1f}" fill="#e5e5e5"/>')
    for d in j.dropped:
        a, b = d.span.start, d.span.end
        parts.append(f'<rect x="{x(a):.1f}" y="{PAD + SIZE + 3}" width="{max(1.5, x(b) - x(a)):.1f}" height="5" fill="#e74c3c"><title>dropped</title></rect>')
    for add in j.additions:
        if add.kind == "content":
            a, b = add.span.start, add.span.end
            parts.append(f'<rect x="{PAD - 8}" y="{y(a):.1f}" width="5" height="{max(1.5, y(b) - y(a)):.1f}" fill="#3498db"><title>added</title></rect>')
    for n, p in enumerate(j.passages):
        colour = KIND_COLOUR.get(p.kind, "#555")
        pairs = p.pairs or ((p.query_span, p.source_span, p.score),)
        for q, s, _ in pairs:
            parts.append(
                f'<line x1="{x(s.start):.1f}" y1="{y(q.start):.1f}" x2="{x(s.end):.1f}" y2="{y(q.end):.1f}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round" data-p="{n}"><title>passage {n + 1}: {p.kind}</title></line>'
            )
    parts.append(f'<text x="{PAD + SIZE / 2}" y="{PAD - 10}" text-anchor="middle" font-size="11" fill="#666">source →</text>')
    parts.append(f'<text x="{PAD - 14}" y="{PAD + SIZE / 2}" text-anchor="middle" font-size="11" fill="#666" '
                 f'transform="rotate(-90 {PAD - 14} {PAD + SIZE / 2})">rewrite →</text>')
    parts.append("</svg>")
    return "".join(parts)
