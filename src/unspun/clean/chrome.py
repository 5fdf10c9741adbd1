"""Tell the article from the page around it, line by line, in plain text.

Text copied from a web page comes as lines (blocks): navigation, share bars, the headline and
byline, the article's paragraphs, captions, related stories, footers, cookie notices. Each line
gets one of three labels:

* ``body``: the article itself;
* ``metadata``: the headline, byline, date and photo credits of the article: not chrome, but
  not body either;
* ``chrome``: everything else on the page.

How (a text-density method in the spirit of Finn et al.'s Body Text Extraction and jusText, on
lines rather than HTML):

1. Score each line: a prose line (enough words, ending like a sentence) scores its word count;
   any other non-empty line costs a fixed penalty. In scripts written without spaces (Chinese,
   Japanese) two characters count as a word, and 。！？ end sentences.
2. The article is the contiguous run of lines with the highest total (Kadane's maximum-sum
   segment); further runs that are large on their own (an article split by an advert or a
   "related" box) join it. A table (a stretch of non-prose lines, many of them figures beside
   figures: standings, prices) costs a run nothing, so it does not cut the article in two, and a
   table inside the article, or running from its end to the next prose line, is body.
3. Inside those runs, lines of a few words or more are body; outside, lines are chrome, except
   the headline just before the article, bylines, dates and photo credits (also a caption that
   ends with its credit: "(Image: GETTY)", "Credit: EPA", "(AP)"), which are metadata.
4. Patterns that are chrome wherever they stand (cookie notices, share and subscribe prompts,
   "Advertisement", "Related: ...", "Image 1 of 13", "... says:") override; a longer non-prose line
   the page shows more than once is chrome; and a trailer that starts with an unmistakable heading
   ("About the author", "Recent Posts", "34 responses to ...") is chrome to the end.

How the parameters were chosen: benchmarks/chrome_cv.py splits the 91 pages of
../shared/data/article-extraction into five folds (position in id order, mod 5) and runs a
coordinate search over ChromeParams (tests/eval/article_extraction.py: maximise recall of "not
body" lines while precision stays at or above 0.98, from the parameters first chosen on the
even-numbered half) on four folds, scoring it on the fifth. The defaults below are that search
run on all 91 pages; the fits of folds 1 to 4 choose them too. Held out, the search reaches
precision 0.971 / recall 0.972 pooled over folds; fold 0 alone falls to precision 0.930, its fit
(penalty 10) cutting one page's meal-plan lists out of the article. The features of steps 1-4
were written from the errors on all pages, so even the held-out figures are optimistic for other
sites. tests/eval/test_chrome.py gates them all.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Span
from ..words import word_count

BODY, METADATA, CHROME = "body", "metadata", "chrome"

# A line that ends like a sentence (or a quotation, or introduces what follows).
_SENTENCE_ENDS = frozenset(""".!?…:;"”’»)]。！？」』）""")


def _ends_sentence(text: str) -> bool:
    # Its last visible character (a regex anchored at the end would try every mark in the line).
    last = text.rstrip()[-1:]
    return bool(last) and last in _SENTENCE_ENDS


@dataclass(frozen=True)
class ChromeParams:
    # A prose line has at least this many words and ends like a sentence. Not searched above 6:
    # a six-word line that ends like a sentence is a sentence in any text, and a longer minimum,
    # no better on the pages, cut short sentences out of plain-text documents (a pasted
    # 7-word translated sentence was taken for chrome).
    prose_words: int = 6
    # What a non-prose, non-empty line costs the run it is in, in words.
    penalty: float = 6.0
    # A further run joins the article when it holds at least this many words net.
    min_run_words: float = 60.0
    # Inside the article, a line of fewer words is chrome (a stray "Share", "1/12").
    min_body_words: int = 3
    # The headline: at most this many words, within this many lines before the article.
    headline_words: int = 25
    headline_reach: int = 6
    # A stretch of non-prose lines in which at least this share are figures beside figures (a
    # table's cells: standings, prices) is a table: free inside the article, and body there.
    table_share: float = 0.4
    # A non-prose line of at least this many words that the page shows more than once is chrome
    # (0: repetition is ignored).
    repeated_words: int = 8


_TRAILER_HEADING = re.compile(
    r"""^(about\ (the\ )?(author|us|[\w'’.-]+(\ [\w'’.-]+){0,2})
        |(recent|related|popular|latest|more|similar|trending|top)\ (posts|articles|stories|news|videos)
        |you\ (may|might)\ also\ like.*
        |(leave\ a\ (reply|comment)|comments?|\d+\ comments?)
        |\d+\ (responses?|replies|thoughts|comments?)\ (to|on)\ .*
        |(share|follow)\ (this|us).*
        |(tags?|categories|filed\ under)\s*:.*
        )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

_CHROME_LINE = re.compile(
    r"""^(this\ (web)?site\ uses\ cookies.*
        |we\ use\ cookies.*
        |.*\b(accept|reject|manage)\ (all\ )?cookies\b.*
        |(read|see|show|load)\ more(\ comments)?\.?
        |continue\ reading.*
        |advertisement|sponsored(\ content)?|ad
        |share\ (on|via|this)\b.*|share|tweet|email|print|pin\ it
        |subscribe\b.*|sign\ up\b.*|log\ ?in|sign\ in|register
        |(click|tap)\ here\ to\ .*
        |(©|\(c\)|copyright\b).*|all\ rights\ reserved\.?
        |skip\ to\ (main\ )?content
        |(previous|next)\ (post|article|story)\b.*
        |(related|see\ also|see\ more|read\ more|also\ read|read\ also|more)(\ (links|stories|articles|topics))?\s*:.*
        |(related|trending|most\ (read|popular|viewed)|don'?’?t\ miss|explore\ further|post\ navigation)\b.{0,30}
        |(show|add\ your|view|load)\ (all\ )?comments?.*|(see|view)\ all(\ \(\d+\))?|read\ later
        |newsletter(\ sign\ ?up)?|privacy\ (policy|overview)|terms\ (and|&)\ conditions|(terms\ of\ (use|service))
        |[\w.'’\ -]{1,40}\ says:
        |((image|photo|picture|slide)s?\ )?\d+\ ?(of|/)\ ?(/\ )?\d*|back\ to\ gallery
        |.{0,200}\ball\ rights\ reserved\b.*|this\ (material|document)\ (may\ not\ be|is\ subject\ to)\b.*
        )$""",
    re.IGNORECASE | re.VERBOSE,
)

# "By Jane Doe", "Posted by J. Doe | Reuters": a name, capitalised, right after the marker.
_BYLINE = re.compile(r"^(?i:by|posted by|written by|author:|words by|von|par|por)\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*(\s|$)")
_CREDIT = re.compile(r"^(photo|image|picture|credit|source|foto|bild)s?\b\s*([:：(]|copyright\b|caption\b)|\b(photo|image)\s+(by|credit|courtesy)\b", re.IGNORECASE)
_CREDIT_WORDS = ("photo", "image", "picture", "credit", "source", "foto", "bild", "getty", "reuters", "(ap)", "(afp)", "file:")
# A caption ends with its credit: "(Image: GETTY )", "Credit: EPA", "[File: Reuters]", "(AP)".
_CREDIT_END = re.compile(
    r"""(\((image|photo|picture|credit|source|file)s?\s*:[^()]*\)|\[(image|photo|picture|credit|source|file)s?\s*:[^][]*\]
        |\bcredits?\s*:\s*[\w.&/'’ -]{1,40}|\((ap|afp|reuters|getty\ images?|ap\ photo[^()]*)\)
        |\bgetty\ images|\bsubmitted\ photo)\s*\.?$""",
    re.IGNORECASE | re.VERBOSE,
)


def _credit(line: str) -> bool:
    # Every match holds one of these words: a plain substring test first spares the regex
    # (which searches the whole line) on almost every line.
    low = line.lower()
    return any(w in low for w in _CREDIT_WORDS) and bool(_CREDIT.search(line) or _CREDIT_END.search(line))


_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"""^((published|updated|posted|last\ updated)\s*(on|:)?\s*)?
        (\w+,?\s+)?                                   # a weekday
        ({_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}
         |\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})
        ([\s,|·•-]+.*)?$""",
    re.IGNORECASE | re.VERBOSE,
)

# Only the last part of a text can be its trailer; an "About ..." heading early on is content.
TRAILER_ZONE = 0.5


def lines(text: str) -> list[Span]:
    """The text's blocks: its non-empty lines, trimmed, except that the lines of a hard-wrapped
    paragraph (a line broken mid-sentence, the next one going on in lower case, or a run of long
    lines with no blank line between) count as one block."""
    raw_lines = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        start, end = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        raw_lines.append(Span(start, end) if end > start else None)
    out: list[Span] = []
    for k, span in enumerate(raw_lines):
        if span is None:
            continue
        prev = raw_lines[k - 1] if k else None
        if out and prev is not None and out[-1].end == prev.end and _continues(text, prev, span):
            out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


WRAP_WIDTH = 50  # a line this long that stops mid-sentence was wrapped, not ended


def _continues(text: str, prev: Span, line: Span) -> bool:
    """Does ``line`` go on with the sentence ``prev`` left unfinished?"""
    before = text[prev.start : prev.end]
    if _ends_sentence(before):
        return len(before) >= WRAP_WIDTH and text[line.start].islower()
    return text[line.start].islower() or (len(before) >= WRAP_WIDTH and not before.isupper())


def classify(texts: Sequence[str], params: ChromeParams = ChromeParams()) -> list[str]:
    """A label (body, metadata or chrome) for each line of a page, given as its lines' texts."""
    n = len(texts)
    counts = [_words(t) for t in texts]
    prose = [_is_prose(t, c, params) for t, c in zip(texts, counts)]
    values = [float(c) if p else -params.penalty for c, p in zip(counts, prose)]
    # A table (a stretch of non-prose lines, many of them figures beside figures) costs the run
    # it stands in nothing: an article's standings or prices do not cut it in two.
    next_prose = [n] * (n + 1)  # the first prose line at or after each line (n: none)
    for k in range(n - 1, -1, -1):
        next_prose[k] = k if prose[k] else next_prose[k + 1]
    cells = [False] * n
    k = 0
    while k < n:
        end = next_prose[k]
        stretch = range(k, end)
        if len(stretch) >= TABLE_LINES and _table_cells(texts, stretch) >= params.table_share * len(stretch):
            for j in stretch:
                cells[j], values[j] = True, 0.0
        k = end + 1
    inside = [False] * n
    runs = sorted(_runs(values, params.min_run_words))
    for a, b in runs:
        for k in range(a, b + 1):
            inside[k] = True
    table = [cells[k] and inside[k] for k in range(n)]
    for _, b in runs:
        # The stretch from the end of a run of the article to the next prose line, if any.
        end = next_prose[b + 1]
        if end == n or end == b + 1:
            continue
        gap = range(b + 1, end)
        if _table_cells(texts, gap) >= params.table_share * len(gap):
            for k in gap:
                table[k] = True
    labels = [BODY if table[k] or (inside[k] and counts[k] >= params.min_body_words) else CHROME for k in range(n)]

    first = next((k for k in range(n) if inside[k]), None)  # (a table lies between runs: never first)
    for k, t in enumerate(texts):
        if _CHROME_LINE.match(t):
            labels[k] = CHROME
        elif _BYLINE.match(t) or _credit(t) or (_DATE.match(t) and counts[k] <= 12):
            labels[k] = METADATA
    if first is not None:
        # The headline: the nearest line before the article that looks like one.
        for k in range(first - 1, max(-1, first - 1 - params.headline_reach), -1):
            if labels[k] == METADATA:
                continue
            if 2 <= counts[k] <= params.headline_words and not texts[k].rstrip().endswith("."):
                labels[k] = METADATA
                break

    if params.repeated_words:
        # A line the page shows twice or more (a menu at the top and the bottom, a caption
        # beside its slideshow copy, a sign-up box repeated) is not the article's own text.
        seen = Counter(t for t, c in zip(texts, counts) if c >= params.repeated_words)
        for k, t in enumerate(texts):
            if labels[k] == BODY and seen[t] > 1 and not prose[k]:
                labels[k] = CHROME

    trailer = _trailer_start(texts)
    if trailer is not None:
        for k in range(trailer, n):
            labels[k] = CHROME
    return labels


TABLE_LINES = 6  # a table has at least this many lines (cells)


def _table_cells(texts: Sequence[str], stretch: range) -> int:
    """How many lines of the stretch are numbers beside another number: a table's row of figures
    ("225.86", "-12.99", "-5.44%"), not a ranked list's "1", "2", "3" between titles."""
    numeric = [bool(_NUMBER.match(texts[k])) for k in stretch]
    return sum(x and ((i and numeric[i - 1]) or (i + 1 < len(numeric) and numeric[i + 1]))
               for i, x in enumerate(numeric))


_NUMBER = re.compile(r"^[-+−–]?[$€£¥]?\d[\d.,:/]*\s*[%$€£¥]?$")
# Scripts written without spaces between words: there, two characters count as one word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def _words(text: str) -> int:
    count = word_count(text)
    unspaced = len(_UNSPACED.findall(text)) if not text.isascii() else 0
    return count + unspaced // 2


def _is_prose(text: str, count: int, params: ChromeParams) -> bool:
    """Enough words, and ends like a sentence, or is long and holds a sentence end inside (a
    paragraph whose last sentence lost its full stop)."""
    if count < params.prose_words:
        return False
    return _ends_sentence(text) or (count >= LONG_BLOCK and bool(_INNER_END.search(text)))


LONG_BLOCK = 50
_INNER_END = re.compile(r"""[.!?…]["”’)]?\s+\S""")


def _trailer_start(texts: Sequence[str]) -> int | None:
    """Index of the first unmistakable trailer heading in the last part of the page."""
    total = sum(len(t) + 1 for t in texts)
    seen = 0
    for k, t in enumerate(texts):
        if seen >= total * (1 - TRAILER_ZONE) and _TRAILER_HEADING.match(t):
            return k
        seen += len(t) + 1
    return None


def _best_run(values: Sequence[float]) -> tuple[int, int, float]:
    """Kadane: the contiguous run with the largest sum, as (first, last, sum); (0, -1, 0) if none."""
    best, best_a, best_b = 0.0, 0, -1
    cur, start = 0.0, 0
    for k, v in enumerate(values):
        if cur <= 0:
            cur, start = v, k
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, start, k
    return best_a, best_b, best


def _runs(values: Sequence[float], min_words: float) -> list[tuple[int, int]]:
    """The best run, then further disjoint runs while each holds at least ``min_words``.

    Once a run is taken, the next best lies wholly before it or wholly after it, so each stretch
    left keeps its own best run in a heap and only the two stretches a taken run leaves are
    searched again. Searching the whole page again for each run took 19 s on a text of 200,000
    short lines (1,400 runs); the runs found, and their order, are the same."""
    heap: list[tuple[float, int, int, int, int]] = []

    def search(lo: int, hi: int) -> None:
        a, b, total = _best_run(values[lo:hi])
        if b >= a:  # ties go to the earlier run, as a search of the whole page gives them
            heapq.heappush(heap, (-total, lo + a, lo + b, lo, hi))

    values = list(values)
    search(0, len(values))
    out: list[tuple[int, int]] = []
    while heap:
        negative, a, b, lo, hi = heapq.heappop(heap)
        if out and -negative < min_words:
            break
        out.append((a, b))
        search(lo, a)
        search(b + 1, hi)
    return out


def chrome_blocks(text: str, span: Span) -> list[Span]:
    """A stretch of chrome cut into the blocks a reader sees: a new block starts at each heading
    of a page's trailer ("Recent Posts") and at each line that is chrome on its own (a cookie
    notice), so an author box, a list of posts and a cookie line are three items, not one."""
    inner = [Span(span.start + s.start, span.start + s.end) for s in lines(text[span.start : span.end])]
    blocks: list[Span] = []
    for line in inner:
        t = text[line.start : line.end]
        starts_block = not blocks or _TRAILER_HEADING.match(t) or _CHROME_LINE.match(t)
        lone_before = blocks and _CHROME_LINE.match(text[blocks[-1].start : blocks[-1].end])
        if starts_block or lone_before:
            blocks.append(line)
        else:
            blocks[-1] = Span(blocks[-1].start, line.end)
    return blocks
