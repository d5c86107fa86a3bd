"""Typed records that flow through the pipeline: Article in, Event out.

All records are frozen dataclasses with a JSON round-trip (`to_dict` /
`from_dict`) whose keys are the event record schema of DESIGN.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "negated", "hypothetical"]
Precision = Literal["day", "month", "year"]
MODALITIES: tuple[Modality, ...] = ("asserted", "negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class Article:
    """One dated news report. `date` is the report date, ISO `YYYY-MM-DD` or None."""

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    origin: str | None = None  # "file:line" it was read from, for error messages

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__ if k in d})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved participant: `code` is country + sector, e.g. CHNGOV.

    What the text does not state is marked, never passed off as stated:
    `implied` is true for an actor the text names nowhere (an agentless arrest
    implies the police; `basis` says which act implied it), and `country_basis`
    says where a country came from when the actor's own words carry none
    ("police" in an article datelined Lucknow): `place` (a place named in the
    sentence), `dateline`, `article place` (the article's main place) or
    `article` (the country the article's actors name most).
    """

    text: str
    code: str
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    implied: bool = False
    basis: str | None = None
    country_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Actor | None:
        if d is None:
            return None
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


LocationPrecision = Literal["place", "admin1", "country"]
# where a location comes from: the event's own sentence (stated), else implied
# by the article's dateline, its most salient place, or an actor's country
LocationBasis = Literal["sentence", "dateline", "article", "actor"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened (see eventwire.geo). `country` is ISO 3166 alpha-3."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    precision: LocationPrecision | None = None
    basis: LocationBasis | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Location | None:
        if d is None:
            return None
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with the sentence that shows it (DESIGN.md schema)."""

    article_id: str
    sentence_index: int
    sentence: str
    span: tuple[int, int]
    trigger: str
    date: str | None
    date_precision: Precision
    report_date: str | None
    source: Actor | None
    target: Actor | None
    cameo: str
    cameo_root: str
    cameo_name: str
    goldstein: float | None
    quad_class: int | None
    plover: str | None
    plover_mode: str | None
    modality: Modality = "asserted"
    location: Location | None = None
    reported_by: tuple[str, ...] = ()
    confidence: float = 0.5
    event_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.event_id:
            object.__setattr__(self, "event_id", self.compute_id())

    def compute_id(self) -> str:
        """Stable hash of what makes the event this event, not of its evidence score."""
        parts = [
            self.article_id,
            str(self.sentence_index),
            self.date or "",
            self.source.code if self.source else "",
            self.target.code if self.target else "",
            self.cameo,
            self.modality,
            self.trigger,
        ]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "span": list(self.span),
            "trigger": self.trigger,
            "date": self.date,
            "date_precision": self.date_precision,
            "report_date": self.report_date,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "cameo_name": self.cameo_name,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "modality": self.modality,
            "location": self.location.to_dict() if self.location else None,
            "reported_by": list(self.reported_by),
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            event_id=d.get("event_id") or "",
            article_id=d["article_id"],
            sentence_index=int(d["sentence_index"]),
            sentence=d["sentence"],
            span=(int(d["span"][0]), int(d["span"][1])),
            trigger=d["trigger"],
            date=d.get("date"),
            date_precision=d.get("date_precision", "day"),
            report_date=d.get("report_date"),
            source=Actor.from_dict(d.get("source")),
            target=Actor.from_dict(d.get("target")),
            cameo=d["cameo"],
            cameo_root=d["cameo_root"],
            cameo_name=d["cameo_name"],
            goldstein=d.get("goldstein"),
            quad_class=d.get("quad_class"),
            plover=d.get("plover"),
            plover_mode=d.get("plover_mode"),
            modality=d.get("modality", "asserted"),
            location=Location.from_dict(d.get("location")),
            reported_by=tuple(d.get("reported_by") or ()),
            confidence=float(d.get("confidence", 0.5)),
        )


def period_start(text: str) -> dt.date:
    """An event date as written (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`, by its
    precision) -> the first day of that period; ValueError if it is none of them."""
    if len(text) == 4:
        return dt.date(int(text), 1, 1)
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text[:10])
