"""Shape and spot-check tests for the packaged office-holder and organisation tables.

These read the real files shipped in the package (importlib.resources), so a bad
edit to the data fails here rather than deep inside the coder.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

OFFICEHOLDER_COLUMNS = [
    "name",
    "aliases",
    "gender",
    "country",
    "office",
    "code",
    "start",
    "end",
    "date_note",
]
ORGANISATION_COLUMNS = ["name", "aliases", "code", "country", "sector", "start", "end", "date_note"]

OFFICES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "igo_head",
    "igo_council_head",
    "igo_parliament_head",
}
# country column value for an IGO -> the actor code its office-holders take.
IGO_CODES = {
    "UNO": "IGOUNO",
    "NAT": "IGOWSTNAT",
    "EUR": "IGOEUREEC",
    "AFU": "IGOAFRAFU",
    "ASN": "IGOSEAASN",
    "ARL": "IGOMEAARL",
    "IAE": "IGOUNOIAE",
    "WHO": "IGOUNOHLHWHO",
    "IMF": "IGOBUSIMF",
    "WBK": "IGOUNODEVWBK",
    "OPC": "IGOBUSOPC",
    "WTO": "IGOBUSWTO",
}
NOTE_TOKENS = {
    "month",
    "year",
    "start_month",
    "start_year",
    "end_month",
    "end_year",
    "uncertain",
    "acting",
    "suspended",
    "de_facto",
}
ORG_SECTORS = {"PTY", "REB", "OPP", "GOV", "MIL", "SPY", "INS", "IMG", "NGO", "MED", "CVL", "CRM", "IGO", "COP"}
FIRST = date(2010, 1, 1)
LAST = date(2026, 11, 29)
CODE_RE = re.compile(r"^(?:[A-Z]{3})+$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    # Locate the installed package without importing it: importing runs the whole
    # pipeline, and a half-built module elsewhere should not hide data errors.
    spec = importlib.util.find_spec("eventwire")
    assert spec is not None and spec.submodule_search_locations
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    text = (package_dir / "data" / name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    rows = list(reader)
    return list(reader.fieldnames or []), rows


OH_HEADER, OH_ROWS = _read("officeholders.csv")
ORG_HEADER, ORG_ROWS = _read("organisations.csv")


def _day(value: str) -> date:
    assert ISO_RE.match(value), f"not an ISO date: {value!r}"
    return date.fromisoformat(value)


def _row_id(row: dict[str, str]) -> str:
    return f"{row['name']}|{row.get('office', row.get('code'))}|{row['start']}"


def _note_tokens(note: str) -> set[str]:
    return set(note.split("|")) if note else set()


def test_officeholders_header_is_the_documented_columns() -> None:
    assert OH_HEADER == OFFICEHOLDER_COLUMNS


def test_officeholders_table_is_not_trivially_small() -> None:
    assert len(OH_ROWS) > 300


@pytest.mark.parametrize("row", OH_ROWS, ids=_row_id)
def test_officeholders_row_fields_are_valid(row: dict[str, str]) -> None:
    assert row["name"] and row["name"] == row["name"].strip()
    assert row["gender"] in {"m", "f"}
    assert re.fullmatch(r"[A-Z]{3}", row["country"])
    assert row["office"] in OFFICES
    assert CODE_RE.match(row["code"])
    if row["country"] in IGO_CODES:
        assert row["code"] == IGO_CODES[row["country"]]
    else:
        assert row["code"] == row["country"] + "GOV"
        assert not row["office"].startswith("igo_")
    start = _day(row["start"])
    assert start <= LAST
    if row["end"]:
        end = _day(row["end"])
        assert start <= end, "end before start"
        assert end >= FIRST, "term ends before the covered period"
    tokens = _note_tokens(row["date_note"])
    assert tokens <= NOTE_TOKENS, f"unknown date_note tokens {tokens - NOTE_TOKENS}"
    # A date known only to the month/year is written as the first day of it.
    if tokens & {"month", "start_month", "year", "start_year"}:
        assert start.day == 1
    if tokens & {"year", "start_year"}:
        assert start.month == 1
    if tokens & {"month", "end_month", "year", "end_year"} and row["end"]:
        assert _day(row["end"]).day == 1


@pytest.mark.parametrize("row", OH_ROWS, ids=_row_id)
def test_officeholders_aliases_are_not_bare_surnames(row: dict[str, str]) -> None:
    if not row["aliases"]:
        return
    aliases = row["aliases"].split("|")
    surname = row["name"].split()[-1]
    for alias in aliases:
        assert alias and alias == alias.strip()
        assert alias != row["name"]
        assert alias != surname, f"bare surname alias {alias!r}"


def test_officeholders_no_duplicate_keys() -> None:
    seen: set[tuple[str, str, str, str]] = set()
    for row in OH_ROWS:
        key = (row["name"], row["country"], row["office"], row["start"])
        assert key not in seen, f"duplicate row {key}"
        seen.add(key)


def _terms_by_office() -> dict[tuple[str, str], list[dict[str, str]]]:
    by_office: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in OH_ROWS:
        by_office[(row["country"], row["office"])].append(row)
    return dict(by_office)


TERMS = _terms_by_office()


@pytest.mark.parametrize("key", sorted(TERMS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_officeholders_terms_do_not_overlap(key: tuple[str, str]) -> None:
    terms = sorted(TERMS[key], key=lambda r: r["start"])
    for prev, nxt in pairwise(terms):
        assert prev["end"], f"{prev['name']} has no end but {nxt['name']} follows"
        assert prev["end"] <= nxt["start"], (
            f"{prev['name']} ({prev['start']}..{prev['end']}) overlaps "
            f"{nxt['name']} (from {nxt['start']})"
        )


def _holder(country: str, office: str, on: str) -> list[str]:
    return [
        r["name"]
        for r in TERMS.get((country, office), [])
        if r["start"] <= on and (not r["end"] or on < r["end"])
    ]


@pytest.mark.parametrize(
    ("name", "country", "office", "start", "end"),
    [
        ("Joe Biden", "USA", "head_of_state", "2021-01-20", "2025-01-20"),
        ("Olaf Scholz", "DEU", "head_of_government", "2021-12-08", "2025-05-06"),
        ("Liz Truss", "GBR", "head_of_government", "2022-09-06", "2022-10-25"),
        ("Rishi Sunak", "GBR", "head_of_government", "2022-10-25", "2024-07-05"),
        ("Xi Jinping", "CHN", "head_of_state", "2013-03-14", ""),
        ("Sergei Lavrov", "RUS", "foreign_minister", "2004-03-09", ""),
        ("Narendra Modi", "IND", "head_of_government", "2014-05-26", ""),
        ("Ban Ki-moon", "UNO", "igo_head", "2007-01-01", "2016-12-31"),
        ("Jens Stoltenberg", "NAT", "igo_head", "2014-10-01", "2024-10-01"),
        ("Volodymyr Zelenskyy", "UKR", "head_of_state", "2019-05-20", ""),
    ],
)
def test_officeholders_spot_check_known_terms(
    name: str, country: str, office: str, start: str, end: str
) -> None:
    matches = [
        r
        for r in OH_ROWS
        if r["name"] == name
        and r["country"] == country
        and r["office"] == office
        and r["start"] == start
    ]
    assert len(matches) == 1
    assert matches[0]["end"] == end


@pytest.mark.parametrize(
    ("country", "office", "on", "expected"),
    [
        ("GBR", "head_of_government", "2022-10-01", "Liz Truss"),
        ("GBR", "head_of_government", "2022-11-01", "Rishi Sunak"),
        ("USA", "head_of_state", "2020-06-01", "Donald Trump"),
        ("USA", "head_of_state", "2025-06-01", "Donald Trump"),
        ("JPN", "head_of_government", "2024-12-01", "Shigeru Ishiba"),
        ("CHN", "foreign_minister", "2023-05-01", "Qin Gang"),
        ("CHN", "foreign_minister", "2023-09-01", "Wang Yi"),
        ("DEU", "head_of_government", "2025-06-01", "Friedrich Merz"),
        ("EUR", "igo_head", "2020-06-01", "Ursula von der Leyen"),
    ],
)
def test_officeholders_office_changes_hands_between_dates(
    country: str, office: str, on: str, expected: str
) -> None:
    assert _holder(country, office, on) == [expected]


# --- organisations ---------------------------------------------------------------


def test_organisations_header_is_the_documented_columns() -> None:
    assert ORG_HEADER == ORGANISATION_COLUMNS


def test_organisations_table_is_not_trivially_small() -> None:
    assert len(ORG_ROWS) > 100


@pytest.mark.parametrize("row", ORG_ROWS, ids=_row_id)
def test_organisations_row_fields_are_valid(row: dict[str, str]) -> None:
    assert row["name"] and row["name"] == row["name"].strip()
    assert CODE_RE.match(row["code"]) and len(row["code"]) >= 6
    assert re.fullmatch(r"[A-Z]{3}", row["country"])
    assert row["code"].startswith(row["country"])
    assert row["sector"] in ORG_SECTORS
    assert row["sector"] in {row["code"][i : i + 3] for i in range(0, len(row["code"]), 3)}
    if row["start"]:
        start = _day(row["start"])
        if row["end"]:
            assert start <= _day(row["end"])
    tokens = _note_tokens(row["date_note"])
    assert tokens <= NOTE_TOKENS
    for alias in filter(None, row["aliases"].split("|")):
        assert alias == alias.strip() and alias != row["name"]


def test_organisations_status_periods_do_not_overlap() -> None:
    by_name: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in ORG_ROWS:
        by_name[row["name"]].append(row)
    for name, periods in by_name.items():
        periods.sort(key=lambda r: r["start"])
        for prev, nxt in pairwise(periods):
            assert prev["end"] and prev["end"] <= nxt["start"], name


def test_organisations_names_and_aliases_are_unambiguous() -> None:
    # One surface string must lead to one organisation, or the coder has to guess.
    owners: dict[str, set[str]] = defaultdict(set)
    for row in ORG_ROWS:
        for text in [row["name"], *filter(None, row["aliases"].split("|"))]:
            owners[text.casefold()].add(row["name"])
    shared = {text: names for text, names in owners.items() if len(names) > 1}
    assert not shared


def _org_code(name: str, on: str) -> list[str]:
    return [
        r["code"]
        for r in ORG_ROWS
        if r["name"] == name
        and (not r["start"] or r["start"] <= on)
        and (not r["end"] or on < r["end"])
    ]


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("Taliban", "2015-01-01", "AFGREB"),
        ("Taliban", "2022-01-01", "AFGGOV"),
        ("Hayat Tahrir al-Sham", "2020-01-01", "SYRREB"),
        ("Hayat Tahrir al-Sham", "2025-03-01", "SYRGOV"),
        ("Islamic State", "2016-01-01", "IMGMUSISI"),
        ("Hezbollah", "2020-01-01", "LBNREB"),
        ("Hamas", "2020-01-01", "PSEREBHMS"),
        ("United Russia", "2020-01-01", "RUSPTY"),
    ],
)
def test_organisations_code_on_date(name: str, on: str, expected: str) -> None:
    assert _org_code(name, on) == [expected]
