"""Dates stage: when did the event happen?

`resolve_date(sent, report_date, anchor=..., context=...)` finds the temporal
expressions of a sentence, keeps those that belong to the event trigger
`anchor`, and resolves the nearest one against the article's report date.
It returns None when the sentence has no usable expression; the pipeline then
dates the event on the report date with precision "day".

Expressions recognised (a small resolver of our own: regular expressions over
the sentence text, placed in the parse to choose between them):

- absolute: "March 3, 2014", "3 March 2014", "2014-03-03" (day);
  "June 2021", "in early June 2021" (month); "in 2019", "during 2019" (year).
- month and day without a year: "Feb. 25", "25 February", "Thursday, Feb. 24",
  "Thursday (Feb. 24)". The year is the one that puts the date nearest the
  report date in the direction of the tense: past tense -> the latest such
  date on or before the report date (so "Dec. 30" reported on Jan. 2 is last
  year's), future -> the earliest on or after it, present -> the nearest. A
  weekday given with it chooses among the candidate years when one matches.
- a month alone after "in"/"during": "in June" (month, year as above).
- weekdays: "on Monday", "Tuesday night". Past tense -> the latest such day
  on or before the report date (a Friday event reported on a Friday is that
  same day); future ("will", "plans to", "is set to", "next Monday") -> the
  next such day after the report date; present tense -> the nearest one.
  "last Monday" -> strictly before the report date.
- relative to the report date: "today", "tonight", "this morning",
  "yesterday", "last night" (report date - 1), "the day before yesterday",
  "tomorrow", "N days/weeks ago" (day), "N months ago", "last month",
  "earlier this month", "next month" (month), "N years ago", "last year",
  "this year" (year).
- weekends: "last weekend", "over the weekend", "this weekend" -> the
  Saturday of the latest weekend (of the next one for a future tense or
  "next weekend"), precision "day".
- weeks: the schema has no week precision, so "last week", "this week",
  "earlier this week", "next week" resolve to the Monday that starts that
  week with precision "day", and `text` keeps the words so a reader can tell.
- anaphora, relative to `context` (the latest explicitly resolved date
  earlier in the article) or to the report date when there is none:
  "the same day", "earlier on the same day", "that day", "earlier in the
  day" (the context date),
  "the day before", "the previous day", "a day earlier" (context - 1), "the
  next day", "the following day", "a day later" (context + 1). A context of
  month or year precision is not a day to refer to and is ignored (the
  report date is used instead). The caller should pass the latest
  day-precision date it resolved; passing anything coarser changes nothing.

Not dates of the event, hence ignored: durations ("for three days", "the
past two weeks"), ages ("a 30-year-old"), decades ("the 1990s"), bare years
not introduced by "in"/"during" ("the 2015 agreement"), expressions after
"since", "until", "till", "through", "from", "after", "before", "by",
"between", "to" (bounds, not the date; also the second date of "between
Feb. 24 and March 1"), impossible dates ("Feb. 30", "2014-13-01")
and any expression that needs the report date when there is none.

Which expression belongs to the anchor: each expression's syntactic head is
joined to the anchor through the dependency tree (see `deptree`). A path that
leaves a finite clause is refused, so in "X, which Russia invaded on Thursday,
Feb. 24, must be protected, China said on Friday" the anchor `invaded` gets
Feb. 24 and `said` gets Friday. A date written before a noun ("the Feb. 24
invasion") belongs to that noun only. Among the rest the winner has the
fewest clause crossings, then the shortest tree path, then is nearest in the
text.

Known failure cases: parse errors move dates between clauses (a relative
clause attached to the wrong noun); "last night" in a report written after
midnight is off by one; "last week" gets a day precision it does not have;
quoted speech with its own time frame ("'we met on Monday,' he said a week
later") resolves against the report date; US-style "3/4/2014" and ordinal
words ("the third of March") are not read; holidays ("on Christmas Day") are
not read; a non-English month name is not read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from spacy.tokens import Span, Token

from .deptree import governing_verb, tree_path
from .records import Precision

Tense = Literal["past", "present", "future"]


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A resolved date: ISO `date` (1st of the month / Jan 1 for coarser precision)."""

    date: str
    precision: Precision
    text: str

    @property
    def as_date(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


# --- the expression grammar -------------------------------------------------

_MONTHS: Mapping[str, int] = MappingProxyType({
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
})  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS: Mapping[str, int] = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
})  # fmt: skip

# Month names are matched capitalised only, so the modal "may" and the verb
# "march" are not months.
_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"
_PART = r"(?:morning|afternoon|evening|night)"
_OPT_PART = r"(?:\s+" + _PART + r")?"
_NUM = r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# A fixed-width look-behind per word: Python's `re` needs fixed widths.
_AFTER_IN = r"(?:(?<=\bin\s)|(?<=\bIn\s)|(?<=\bduring\s)|(?<=\bDuring\s))"
_PERIOD_MOD = r"(?:(?:early|late|mid)-?\s*)?"

# (kind, pattern) in order of precedence: longer, more specific forms first;
# a later match that overlaps an earlier one is dropped.
# fmt: off
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("iso", r"\b" + _YEAR + r"-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        ("mdy", r"(?:\b" + _WD + _OPT_PART + r",?\s*\(?\s*)?\b" + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"),
        ("dmy", r"(?:\b" + _WD + r",?\s+)?\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR + r"\b"),
        ("same_day", r"(?i:\b(?:(?:earlier|later)\s+)?(?:on\s+)?(?:the\s+same\s+(?:day|date)|that\s+(?:same\s+)?day)\b|\b(?:earlier|later)\s+in\s+the\s+day\b)"),
        ("day_before", r"(?i:\b(?:the\s+(?:day\s+before|previous\s+day|preceding\s+day|day\s+earlier)|a\s+day\s+(?:earlier|before))\b)(?!\s+yesterday)"),
        ("day_after", r"(?i:\b(?:the\s+(?:next|following)\s+day|the\s+day\s+after|a\s+day\s+later)\b)"),
        ("md", r"(?:\b" + _WD + _OPT_PART + r"\s*[,(]\s*)?\b" + _MON + r"\s+" + _DAY + r"\b(?!\s*,?\s*\d)\)?"),
        ("dm", r"(?:\b" + _WD + r",?\s+)?\b(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MON + r"(?!\s*,?\s*\d)"),
        ("my", r"\b" + _PERIOD_MOD + _MON + r",?\s+" + _YEAR + r"\b"),
        ("m", _AFTER_IN + _PERIOD_MOD + r"\b" + _MON + r"\b(?!\s*\d)"),
        ("y", _AFTER_IN + _PERIOD_MOD + _YEAR + r"\b(?![-'’]?s\b)"),
        ("ago", r"(?i:\b" + _NUM + r"\s+(?P<unit>day|week|month|year)s?\s+ago\b)"),
        ("weekend", r"(?i:\b(?P<rel>last|this|next|over\s+the|at\s+the)\s+weekend\b)"),
        ("rel_period", r"(?i:\b(?P<rel>last|next|(?:earlier\s+|later\s+)?this)\s+(?P<unit>week|month|year)\b)"),
        ("offset", r"(?i:\b(?P<word>the\s+day\s+before\s+yesterday|yesterday|last\s+night|today|tonight|this\s+" + _PART + r"|tomorrow)\b)"),
        ("wd", r"\b(?:(?i:(?P<rel>last|next|this\s+past|this\s+coming|this))\s+)?" + _WD + r"(?:\s+" + _PART + r")?\b"),
    )
)
# fmt: on

# Four-digit numbers outside this range are not years of news events.
_MIN_YEAR, _MAX_YEAR = 1000, 2999

# A bound, not the date of the event.
_BOUND_WORDS = frozenset(
    {"since", "until", "till", "through", "from", "after", "before", "by", "between", "to"}
)


@dataclass(frozen=True, slots=True)
class _Expr:
    kind: str
    start: int  # character offsets relative to the sentence
    end: int
    groups: dict[str, str]

    @property
    def text(self) -> str:
        return self.groups["_text"]


@functools.lru_cache(maxsize=256)
def find_expressions(text: str) -> tuple[_Expr, ...]:
    """All non-overlapping temporal expressions in `text`, in text order.

    Cached: every trigger of a sentence asks for the same sentence's expressions."""
    taken: list[tuple[int, int]] = []
    found: list[_Expr] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            groups["_text"] = m.group(0)
            found.append(_Expr(kind, s, e, groups))
    return tuple(sorted(found, key=lambda x: x.start))


# --- resolution --------------------------------------------------------------


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _pick(cands: list[dt.date], ref: dt.date, tense: Tense) -> dt.date:
    """The candidate nearest `ref` in the direction of the tense."""
    if tense == "past":
        before = [c for c in cands if c <= ref]
        return max(before) if before else min(cands)
    if tense == "future":
        after = [c for c in cands if c >= ref]
        return min(after) if after else max(cands)
    return min(cands, key=lambda c: (abs((c - ref).days), c))


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _add_months(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def _day(d: dt.date | None, text: str) -> ResolvedDate | None:
    return None if d is None else ResolvedDate(d.isoformat(), "day", text)


def _resolve(
    x: _Expr, report: dt.date | None, tense: Tense, context: ResolvedDate | None
) -> ResolvedDate | None:
    g, text = x.groups, x.text
    k = x.kind
    if k == "iso":
        return _day(_safe_date(int(g["y"]), int(g["m"]), int(g["d"])), text)
    if k in ("mdy", "dmy"):
        return _day(_safe_date(int(g["y"]), _month_number(g["mon"]), int(g["d"])), text)
    if k == "my":
        y = int(g["y"])
        if not _MIN_YEAR <= y <= _MAX_YEAR:
            return None
        return ResolvedDate(f"{y:04d}-{_month_number(g['mon']):02d}-01", "month", text)
    if k == "y":
        return _safe_year(int(g["y"]), text)
    # Everything below needs a reference date.
    if k in ("same_day", "day_before", "day_after"):
        return _resolve_anaphor(k, text, report, context)
    if report is None:
        return None
    if k in ("md", "dm"):
        month, day = _month_number(g["mon"]), int(g["d"])
        cands = [
            c
            for y in (report.year - 1, report.year, report.year + 1)
            if (c := _safe_date(y, month, day)) is not None
        ]
        if not cands:
            return None  # Feb. 30 and the like
        if "wd" in g:
            matching = [c for c in cands if c.weekday() == _WEEKDAYS.index(g["wd"].lower())]
            cands = matching or cands
        return _day(_pick(cands, report, tense), text)
    if k == "m":
        month = _month_number(g["mon"])
        cands = [dt.date(y, month, 1) for y in (report.year - 1, report.year, report.year + 1)]
        picked = _pick(cands, report.replace(day=1), tense)
        return ResolvedDate(picked.isoformat(), "month", text)
    if k == "ago":
        n_word = g["n"].lower()
        n = _NUMBER_WORDS[n_word] if n_word in _NUMBER_WORDS else int(n_word)
        unit = g["unit"].lower()
        if unit == "day":
            return _day(report - dt.timedelta(days=n), text)
        if unit == "week":
            return _day(report - dt.timedelta(weeks=n), text)
        if unit == "month":
            return ResolvedDate(_add_months(report, -n).isoformat(), "month", text)
        return _safe_year(report.year - n, text)
    if k == "weekend":
        rel = " ".join(g["rel"].lower().split())
        # The weekend's Saturday: the latest one for "last" and for a past tense,
        # the next one for "next" and for a future tense.
        if rel == "next" or (rel != "last" and tense == "future"):
            return _day(_resolve_weekday({"wd": "Saturday", "rel": "next"}, report, tense), text)
        back = (report.weekday() - 5) % 7 or 7
        if rel != "last" and report.weekday() in (5, 6):
            back = report.weekday() - 5  # reported during the weekend itself
        return _day(report - dt.timedelta(days=back), text)
    if k == "rel_period":
        step = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
        unit = g["unit"].lower()
        if unit == "week":
            return _day(_monday(report) + dt.timedelta(weeks=step), text)
        if unit == "month":
            return ResolvedDate(_add_months(report, step).isoformat(), "month", text)
        return _safe_year(report.year + step, text)
    if k == "offset":
        word = " ".join(g["word"].lower().split())
        delta = {
            "the day before yesterday": -2,
            "yesterday": -1,
            "last night": -1,
            "tomorrow": 1,
        }.get(word, 0)
        return _day(report + dt.timedelta(days=delta), text)
    if k == "wd":
        return _day(_resolve_weekday(g, report, tense), text)
    return None


def _safe_year(y: int, text: str) -> ResolvedDate | None:
    return ResolvedDate(f"{y:04d}-01-01", "year", text) if _MIN_YEAR <= y <= _MAX_YEAR else None


def _resolve_weekday(g: dict[str, str], report: dt.date, tense: Tense) -> dt.date:
    target = _WEEKDAYS.index(g["wd"].lower())
    back = (report.weekday() - target) % 7  # 0..6 days back to the latest such day
    latest = report - dt.timedelta(days=back)
    upcoming = latest + dt.timedelta(days=7)  # strictly after the report date
    rel = " ".join(g.get("rel", "").lower().split())
    if rel in ("last", "this past"):
        return latest if back else latest - dt.timedelta(days=7)
    if rel in ("next", "this coming"):
        return upcoming
    if rel == "this":
        return latest if tense == "past" or back == 0 else upcoming
    if tense == "past":
        return latest
    if tense == "future":
        return upcoming
    return latest if back <= 3 else upcoming


def _resolve_anaphor(
    kind: str, text: str, report: dt.date | None, context: ResolvedDate | None
) -> ResolvedDate | None:
    # "The same day" needs a day to refer to: a month- or year-precision context
    # (say "in June 2021" in the sentence before) is some other event's period.
    if context is not None and context.precision == "day":
        base = context.as_date
    elif report is not None:
        base = report
    else:
        return None
    delta = {"same_day": 0, "day_before": -1, "day_after": 1}[kind]
    return _day(base + dt.timedelta(days=delta), text)


# --- tense and attachment ----------------------------------------------------

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
# Heads whose complement is still to come: "plans to visit", "is set to meet".
_FUTURE_HEADS = frozenset(
    {"plan", "expect", "schedule", "set", "due", "intend", "prepare", "agree", "promise",
     "vow", "pledge", "aim", "hope", "want", "seek"}
)  # fmt: skip


def clause_tense(tok: Token) -> Tense:
    """Past, present or future of the clause that `tok` (a trigger) belongs to."""
    verb = governing_verb(tok)
    if verb is None:
        return "present"
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    if verb.lemma_ in _FUTURE_HEADS and verb.tag_ == "VBN" and auxes:
        return "future"  # "the talks are scheduled for Friday"
    # "plans to visit", "is going to sign": the complement of a future-looking head.
    if verb.dep_ == "xcomp" and (
        verb.head.lemma_ in _FUTURE_HEADS or (verb.head.lemma_ == "go" and verb.head.tag_ == "VBG")
    ):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        return clause_tense(verb.head)  # "met and signed", "went on to attack"
    return "present"


def _attachment_key(x: _Expr, sent: Span, anchor: Token) -> tuple[int, int, int] | None:
    """Rank of an expression for `anchor` (lower is closer), None when not its date."""
    span = sent.char_span(x.start, x.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    before = sent.doc[span.start - 1] if span.start > sent.start else None
    if before is not None and before.lower_ in _BOUND_WORDS:
        return None
    head = span.root
    # "between Feb. 24 and March 1": the second date is bounded by the same word.
    top = head
    while top.dep_ in ("conj", "appos") and top.head.i != top.i:
        top = top.head
    if top.dep_ == "pobj" and top.head.lower_ in _BOUND_WORDS:
        return None
    # "the Feb. 24 invasion": a pre-nominal date belongs to its noun.
    if (
        head.dep_ in ("compound", "nmod", "amod", "nummod", "poss")
        and head.i < head.head.i
        and head.head.i != anchor.i
        and head.head.pos_ in ("NOUN", "PROPN")
    ):
        return None
    if span.start <= anchor.i < span.end:
        return (0, 0, 0)
    path = tree_path(head, anchor)
    if path.blocked:
        return None
    return (path.crossings, path.length, abs(head.i - anchor.i))


def resolve_date(
    sent: Span,
    report_date: dt.date | None,
    *,
    anchor: Token | None = None,
    context: ResolvedDate | None = None,
) -> ResolvedDate | None:
    """The date of the event triggered by `anchor` (default: the sentence root).

    None when the sentence has no expression that belongs to the anchor and
    resolves; see the module docstring for the rules.
    """
    expressions = find_expressions(sent.text)
    if not expressions:
        return None  # most sentences: no tense or attachment to work out
    anchor = anchor if anchor is not None else sent.root
    tense = clause_tense(anchor)
    ranked: list[tuple[tuple[int, int, int], ResolvedDate]] = []
    for x in expressions:
        key = _attachment_key(x, sent, anchor)
        if key is None:
            continue
        try:
            resolved = _resolve(x, report_date, tense, context)
        except OverflowError:
            resolved = None  # a report date at the calendar's edge (0001-01-01, 9999-12-31)
        if resolved is not None:
            ranked.append((key, resolved))
    if not ranked:
        return None
    return min(ranked, key=lambda kr: kr[0])[1]


def parse_report_date(value: str | None) -> dt.date | None:
    """An article's report date from its `date` field (ISO, time ignored); None when unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


__all__ = ["ResolvedDate", "clause_tense", "find_expressions", "parse_report_date", "resolve_date"]
