"""Whole-article checks: the bundled examples and the shared example report."""

from __future__ import annotations

import csv
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from eventwire import Coder
from eventwire.read import read_path
from eventwire.records import Article, Event

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
ARTICLES = sorted(EXAMPLES.glob("*.txt"))


def _article(path: Path) -> Article:
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def _matches(e: Event, row: dict[str, str]) -> bool:
    def code(a: object) -> str:
        return getattr(a, "code", None) or "-"

    return (fnmatchcase(code(e.source), row["source"]) and fnmatchcase(code(e.target), row["target"])
            and fnmatchcase(e.cameo, row["cameo"]) and fnmatchcase(e.date or "", row["date"])
            and (not row["reported_by"] or row["reported_by"] in e.reported_by))


def test_examples_are_bundled() -> None:
    assert len(ARTICLES) >= 5
    assert all(p.with_suffix(".expected.csv").exists() for p in ARTICLES)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_examples_golden_events(coder: Coder, path: Path) -> None:
    events = coder.code_article(_article(path))
    rows = list(csv.DictReader(path.with_suffix(".expected.csv").open(encoding="utf-8")))
    missing = [r["note"] for r in rows if r["expect"] == "present"
               and not any(_matches(e, r) for e in events)]
    unwanted = [r["note"] for r in rows if r["expect"] == "absent"
                and any(_matches(e, r) for e in events)]
    assert not missing and not unwanted, (missing, unwanted)


SHARED_EXAMPLE = SHARED / "examples" / "xi-putin-call-2022-02-25.txt"


@pytest.fixture(scope="module")
def shared_events(coder: Coder) -> list[Event]:
    if not SHARED_EXAMPLE.exists():
        pytest.skip(f"{SHARED_EXAMPLE} is not here (it lives in ../shared, outside the project)")
    return coder.code_article(_article(SHARED_EXAMPLE), all_modalities=True)


def _find(events: list[Event], src: str, tgt: str, cameo: str) -> list[Event]:
    return [e for e in events if e.modality == "asserted"
            and fnmatchcase(e.source.code if e.source else "-", src)
            and fnmatchcase(e.target.code if e.target else "-", tgt) and fnmatchcase(e.cameo, cameo)]


def test_examples_shared_leaders_phone_call(shared_events: list[Event]) -> None:
    for src, tgt in (("CHNGOV", "RUSGOV"), ("RUSGOV", "CHNGOV")):
        calls = [e for e in _find(shared_events, src, tgt, "041") if e.date == "2022-02-25"]
        assert any("Caixin" in e.reported_by for e in calls)
        assert all(e.plover == "CONSULT" and e.plover_mode == "phone" for e in calls)


def test_examples_shared_invasion_dated_the_day_before(shared_events: list[Event]) -> None:
    attacks = _find(shared_events, "RUS*", "UKR*", "19*")
    assert attacks and {e.date for e in attacks} == {"2022-02-24"}
    assert all(e.plover == "ASSAULT" or e.plover == "COERCE" for e in attacks)


def test_examples_shared_foreign_ministers_call(shared_events: list[Event]) -> None:
    calls = _find(shared_events, "CHNGOV", "RUSGOV", "041")
    assert any("NPR" in e.reported_by and e.source and e.source.name == "Wang Yi" for e in calls)


def test_examples_shared_wheat_restrictions_eased(shared_events: list[Event]) -> None:
    assert _find(shared_events, "CHN*", "RUS*", "08*")


def test_examples_shared_no_asserted_condemnation(shared_events: list[Event]) -> None:
    assert not _find(shared_events, "CHN*", "RUS*", "11*")
    negated = [e for e in shared_events if e.modality == "negated" and e.cameo_root == "11"]
    assert negated, "the refrained-from condemnation is kept, flagged negated"


def test_examples_shared_denial_dated_june_2021(shared_events: list[Event]) -> None:
    denials = [e for e in shared_events if e.trigger.startswith("denied")]
    assert denials and all((e.date, e.date_precision) == ("2021-06-01", "month") for e in denials)
    assert all(e.source and e.source.code == "USAGOV" for e in denials)
