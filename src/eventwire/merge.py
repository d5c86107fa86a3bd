"""Cross-article merge: one record per real-world event.

Input: event records as the query layer returns them (DESIGN.md dicts, plus
the article's `outlet`). Output: clusters of records that report the same
event, and one merged record per cluster with mention, article and outlet
counts and the ids of every mention. docs/merge.md states the rule and its
failure cases; in short, two records *link* when

1. same modality (a denial never merges with the act);
2. same block: CAMEO root and dyad of countries (an actor without a country
   counts by its code), direction-aware, except for reciprocal codes
   (consult, negotiate, sign, cooperate) which match either direction;
   "host a visit" (043) B->A is read as "make a visit" (042) A->B first;
3. sectors agree side by side (equal, or one side has none: "Russia" and
   "the Russian government" may be the same actor in two reports);
4. same code family: the root always; the 3-digit code too when both have a
   specific one (a 3rd digit other than 0);
5. dates: both day precision within `day_window` days; otherwise the
   periods (month, year) overlap, widened by the window;
6. places do not clash: different countries, coordinates more than
   `max_km` apart, or different names without coordinates;
7. a *weak* pair (dates not equal, a coarse date, or only the root shared)
   also needs evidence similarity >= `min_similarity`: Jaccard of content
   words of the sentence, trigger and actor names.

Links are taken best first (same day and code, then similarity) into a
union-find; a union that would make a cluster span more than
`max_span_days` days is refused, so daily fighting between two countries
does not chain into one event. The result depends only on the set of
records, not on their order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .records import period_start

# Codes that name one event seen from both sides: consult (04, but 042/043,
# visits, have a visitor and a host), sign an agreement, cooperate (06).
RECIPROCAL_ROOTS = frozenset({"04", "06"})
RECIPROCAL_CODES = frozenset({"057"})
DIRECTED_IN_RECIPROCAL = frozenset({"042"})
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}

_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = frozenset(["a", "about", "after", "against", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during", "each", "for", "from", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "more", "most", "no", "not", "of", "on", "once", "or", "other", "our", "out", "over", "own", "said", "says", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yesterday", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week", "weeks", "month", "year", "day", "days", "earlier", "later", "last", "next", "told", "according"])


@dataclass(frozen=True, slots=True)
class MergeRule:
    day_window: int = 1          # days between two day-precision dates of one event
    max_span_days: int = 2       # first to last day-precision date within one cluster
    min_similarity: float = 0.2  # evidence Jaccard a weak pair needs
    max_km: float = 100.0        # farther apart, two located records are two events


@dataclass(frozen=True, slots=True)
class _Rec:
    """What the rule reads from one record, in canonical direction."""

    index: int
    event_id: str
    block: str
    src: str
    tgt: str
    src_sector: str
    tgt_sector: str
    code3: str
    root: str
    start: dt.date | None
    end: dt.date | None
    day: dt.date | None          # set for day precision only
    loc: tuple[str | None, str | None, float | None, float | None]
    words: frozenset[str]
    reciprocal: bool


def _actor_key(actor: Mapping[str, Any] | None) -> tuple[str, str]:
    if not actor:
        return "-", ""
    country = actor.get("country") or actor.get("code") or "?"
    return str(country), str(actor.get("sector") or "")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return period_start(str(value))
    except ValueError:
        return None


def _period(day: dt.date | None, precision: str) -> tuple[dt.date | None, dt.date | None]:
    if day is None:
        return None, None
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if precision == "month":
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day.replace(day=1), nxt - dt.timedelta(days=1)
    return day, day


def evidence_words(event: Mapping[str, Any]) -> frozenset[str]:
    """What the evidence says happened: content words of the sentence and trigger, cut
    to 6 letters so that inflections meet ("attacked", "attack"), without the actors'
    own words (the block already has the same actors, so they would inflate it)."""
    actors: set[str] = set()
    for side in ("source", "target"):
        actor = event.get(side) or {}
        actors |= {w[:6] for w in _WORD.findall(
            f"{actor.get('text') or ''} {actor.get('name') or ''}".lower())}
    words = _WORD.findall(f"{event.get('sentence') or ''} {event.get('trigger') or ''}".lower())
    return frozenset(w[:6] for w in words
                     if len(w) > 2 and w not in _STOP and w[:6] not in actors)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def block_key(event: Mapping[str, Any]) -> str:
    """The blocking key of a record: modality, root and (canonical) dyad."""
    return _prepare(0, event).block


def _prepare(index: int, e: Mapping[str, Any]) -> _Rec:
    src, src_sector = _actor_key(e.get("source"))
    tgt, tgt_sector = _actor_key(e.get("target"))
    code3 = str(e.get("cameo") or "")[:3]
    root = str(e.get("cameo_root") or code3[:2])
    if code3 == "043":  # B hosts A == A visits B
        src, tgt, src_sector, tgt_sector, code3 = tgt, src, tgt_sector, src_sector, "042"
    reciprocal = (root in RECIPROCAL_ROOTS or code3 in RECIPROCAL_CODES) \
        and code3 not in DIRECTED_IN_RECIPROCAL
    a, b = (src, tgt) if not reciprocal or src <= tgt else (tgt, src)
    modality = str(e.get("modality") or "asserted")
    precision = str(e.get("date_precision") or "day")
    day = _date(e.get("date"))
    start, end = _period(day, precision)
    loc = e.get("location") or {}
    return _Rec(
        index=index, event_id=str(e.get("event_id") or index),
        block=f"{modality}|{root}|{'~' if reciprocal else '>'}|{a}|{b}",
        src=src, tgt=tgt, src_sector=src_sector, tgt_sector=tgt_sector,
        code3=code3, root=root, start=start, end=end,
        day=day if precision == "day" else None,
        loc=(loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon")),
        words=evidence_words(e), reciprocal=reciprocal,
    )


def _sectors_agree(x: _Rec, y: _Rec) -> bool:
    if (x.src, x.tgt) == (y.src, y.tgt):
        pairs = [(x.src_sector, y.src_sector), (x.tgt_sector, y.tgt_sector)]
        if _ok(pairs):
            return True
    if x.reciprocal and (x.src, x.tgt) == (y.tgt, y.src):
        return _ok([(x.src_sector, y.tgt_sector), (x.tgt_sector, y.src_sector)])
    return False


def _ok(pairs: list[tuple[str, str]]) -> bool:
    return all(not a or not b or a == b for a, b in pairs)


def _specific(code3: str) -> bool:
    return len(code3) == 3 and code3[2] != "0"


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _places_clash(x: _Rec, y: _Rec, rule: MergeRule) -> bool:
    xn, xc, xlat, xlon = x.loc
    yn, yc, ylat, ylon = y.loc
    if not xn or not yn:
        return False
    if xc and yc and xc != yc:
        return True
    if None not in (xlat, xlon, ylat, ylon):
        return _km((float(xlat), float(xlon)), (float(ylat), float(ylon))) > rule.max_km  # type: ignore[arg-type]
    return str(xn).lower() != str(yn).lower()


def link_score(x: _Rec, y: _Rec, rule: MergeRule) -> float | None:
    """How well two records of one block match, or None when they must not merge."""
    if x.start is None or y.start is None or x.end is None or y.end is None:
        return None
    if _specific(x.code3) and _specific(y.code3) and x.code3 != y.code3:
        return None
    if not _sectors_agree(x, y):
        return None
    window = dt.timedelta(days=rule.day_window)
    if x.day and y.day:
        if abs((x.day - y.day).days) > rule.day_window:
            return None
    elif x.start > y.end + window or y.start > x.end + window:
        return None
    if _places_clash(x, y, rule):
        return None
    sim = jaccard(x.words, y.words)
    same_day = bool(x.day and x.day == y.day)
    same_code = x.code3 == y.code3
    if not (same_day and same_code) and sim < rule.min_similarity:
        return None
    return sim + (1.0 if same_day else 0.0) + (0.5 if same_code else 0.0)


def cluster(events: Sequence[Mapping[str, Any]], rule: MergeRule | None = None
            ) -> list[list[int]]:
    """Indexes of `events` grouped into real-world events (each group sorted)."""
    rule = rule or MergeRule()
    recs = [_prepare(i, e) for i, e in enumerate(events)]
    blocks: dict[str, list[_Rec]] = defaultdict(list)
    for r in recs:
        blocks[r.block].append(r)
    parent = list(range(len(recs)))
    lo: list[dt.date | None] = [r.day for r in recs]
    hi: list[dt.date | None] = [r.day for r in recs]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reach = dt.timedelta(days=rule.day_window)
    for members in blocks.values():
        members.sort(key=lambda r: (r.start or dt.date.min, r.event_id))
        pairs: list[tuple[float, str, str, int, int]] = []
        for i, x in enumerate(members):
            if x.end is None:
                continue
            for y in members[i + 1:]:
                if y.start is not None and y.start > x.end + reach:
                    break
                score = link_score(x, y, rule)
                if score is not None:
                    a, b = sorted((x.event_id, y.event_id))
                    pairs.append((-score, a, b, x.index, y.index))
        pairs.sort()
        for _, _, _, i, j in pairs:
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            days = [d for d in (lo[ri], hi[ri], lo[rj], hi[rj]) if d is not None]
            if days and (max(days) - min(days)).days > rule.max_span_days:
                continue
            parent[rj] = ri
            lo[ri] = min(days) if days else None
            hi[ri] = max(days) if days else None
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(recs)):
        groups[find(i)].append(i)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def merged_id(event_ids: Iterable[str]) -> str:
    """Stable while the cluster keeps its smallest member."""
    return "m" + hashlib.sha1(min(event_ids).encode("utf-8")).hexdigest()[:15]


def merge_records(members: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One merged record for a cluster of event records (DESIGN.md dicts + outlet)."""
    if not members:
        raise ValueError("a merged event needs at least one mention")

    def rank(e: Mapping[str, Any]) -> tuple[Any, ...]:
        code = str(e.get("cameo") or "")
        return (PRECISION_RANK.get(str(e.get("date_precision")), 3),
                0 if _specific(code[:3]) else 1, -float(e.get("confidence") or 0.0),
                str(e.get("report_date") or ""), str(e.get("event_id")))

    rep = min(members, key=rank)
    codes = Counter(str(e.get("cameo")) for e in members)
    best = max(codes.values())
    # the most reported code; among equals, the representative's, then the most specific
    top = sorted((c for c, n in codes.items() if n == best),
                 key=lambda c: (c != rep.get("cameo"), not _specific(c[:3]), c))[0]
    coded = min((e for e in members if str(e.get("cameo")) == top), key=rank)
    days = Counter(str(e.get("date")) for e in members
                   if e.get("date") and e.get("date_precision") == rep.get("date_precision"))
    date = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if days else rep.get("date")
    located = [e for e in members if e.get("location")]
    outlets = sorted({str(e["outlet"]) for e in members if e.get("outlet")}, key=str.lower)
    reports = sorted(str(e.get("report_date")) for e in members if e.get("report_date"))
    event_ids = sorted(str(e.get("event_id")) for e in members)
    return {
        "merged_id": merged_id(event_ids),
        "date": date, "date_precision": rep.get("date_precision"),
        "first_report_date": reports[0] if reports else None,
        "last_report_date": reports[-1] if reports else None,
        "source": rep.get("source"), "target": rep.get("target"),
        "cameo": coded.get("cameo"), "cameo_root": coded.get("cameo_root"),
        "cameo_name": coded.get("cameo_name"), "goldstein": coded.get("goldstein"),
        "quad_class": coded.get("quad_class"), "plover": coded.get("plover"),
        "plover_mode": coded.get("plover_mode"), "modality": rep.get("modality"),
        "location": (rep if rep.get("location") else located[0] if located else rep
                     ).get("location"),
        "sentence": rep.get("sentence"), "trigger": rep.get("trigger"),
        "article_id": rep.get("article_id"), "event_id": rep.get("event_id"),
        "confidence": max(float(e.get("confidence") or 0.0) for e in members),
        "reported_by": sorted({str(r) for e in members for r in (e.get("reported_by") or [])}),
        "outlets": outlets,
        "n_mentions": len({(e.get("article_id"), e.get("sentence_index")) for e in members}),
        "n_articles": len({e.get("article_id") for e in members}),
        "n_outlets": len({o.lower() for o in outlets}),
        "event_ids": event_ids,
        "article_ids": sorted({str(e.get("article_id")) for e in members}),
        "block": block_key(rep),
    }


def merge(events: Sequence[Mapping[str, Any]], rule: MergeRule | None = None
          ) -> list[dict[str, Any]]:
    """Merged records of `events`, one per real-world event."""
    return [merge_records([events[i] for i in group]) for group in cluster(events, rule)]
