"""Actor resolution: dated roles, title rules, metonyms, IGOs, sectors, user files.

Sentences are written for these tests; each is coded by the real pipeline and
the source (or target) actor code of the event is checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import eventwire
from eventwire.actors.dictionary import load_dictionary
from eventwire.config import Config
from eventwire.errors import ConfigError


def _source(coder: eventwire.Coder, text: str, date: str, trigger: str) -> str | None:
    events = [e for e in coder.code(text, date=date, all_modalities=True) if e.trigger == trigger]
    assert events, f"no {trigger!r} event in {text!r}"
    return events[0].source.code if events[0].source else None


def _target(coder: eventwire.Coder, text: str, date: str, trigger: str) -> str | None:
    events = [e for e in coder.code(text, date=date, all_modalities=True) if e.trigger == trigger]
    assert events, f"no {trigger!r} event in {text!r}"
    return events[0].target.code if events[0].target else None


@pytest.mark.parametrize(("text", "date", "code"), [
    # the UK premiership changed hands on 2022-10-25
    ("Liz Truss criticized Russia.", "2022-10-01", "GBRGOV"),
    ("Liz Truss criticized Russia.", "2022-11-15", "GBRELI"),
    ("Rishi Sunak criticized Russia.", "2022-10-01", "GBRELI"),
    ("Rishi Sunak criticized Russia.", "2022-11-15", "GBRGOV"),
    # Biden: president 2021-01-20 .. 2025-01-20 only; the table has no vice-presidents
    ("Joe Biden criticized Russia.", "2015-06-01", "USAELI"),
    ("Joe Biden criticized Russia.", "2022-06-01", "USAGOV"),
    ("Joe Biden criticized Russia.", "2025-06-01", "USAELI"),
    ("Vladimir Putin criticized Japan.", "2015-06-01", "RUSGOV"),
], ids=lambda v: str(v)[:30])
def test_actors_role_is_chosen_by_event_date(coder: eventwire.Coder, text: str, date: str,
                                             code: str) -> None:
    assert _source(coder, text, date, "criticized") == code


@pytest.mark.parametrize(("text", "date", "code"), [
    # people the dictionaries do not know: the title gives country and sector
    ("Chinese foreign minister Wang Lirong criticized Japan.", "2024-03-04", "CHNGOV"),
    ("Kenyan opposition leader Otieno Wambua criticized Uganda.", "2024-03-04", "KENOPP"),
    ("Brazilian army commander Joao Pereira Lima criticized Venezuela.", "2024-03-04", "BRAMIL"),
    # a title in the text beats a stale Phoenix sector (Odinga: KENGOV from 2008, open)
    ("Opposition leader Raila Odinga criticized the government.", "2024-03-04", "KENOPP"),
    # an office the table does not record: the title decides
    ("Vice President Joe Biden criticized Russia.", "2015-06-01", "USAGOV"),
    ("Former President Joe Biden criticized Russia.", "2025-06-01", "USAELI"),
    # an office the table records: its silence wins over the title
    ("President Biden criticized Russia.", "2025-06-01", "USAELI"),
    ("President Biden criticized Russia.", "2022-06-01", "USAGOV"),
], ids=lambda v: str(v)[:40])
def test_actors_title_rules(coder: eventwire.Coder, text: str, date: str, code: str) -> None:
    assert _source(coder, text, date, "criticized") == code


@pytest.mark.parametrize(("text", "trigger", "source", "target"), [
    ("Moscow criticized Kyiv on Monday.", "criticized", "RUSGOV", "UKRGOV"),
    ("Beijing accused Tokyo of provocation.", "accused", "CHNGOV", "JPNGOV"),
    ("Turkish troops attacked Syrian rebels.", "attacked", "TURMIL", "SYRREB"),
    ("The Kenyan army attacked Somali militants.", "attacked", "KENMIL", None),
    ("NATO criticized Russia.", "criticized", "IGOWSTNAT", "RUS"),
    ("The United Nations praised Kenya.", "praised", "IGOUNO", "KEN"),
    ("The European Union criticized Hungary.", "criticized", "IGOEUREEC", "HUN"),
    ("Police in Nairobi arrested protesters.", "arrested", "KENCOP", "KENOPP"),
    ("Hamas attacked Israel.", "attacked", "PSEREBHMS", "ISR"),
], ids=lambda v: str(v)[:30])
def test_actors_metonyms_adjectives_igos_sectors(coder: eventwire.Coder, text: str, trigger: str,
                                                 source: str, target: str | None) -> None:
    assert _source(coder, text, "2024-03-04", trigger) == source
    if target is not None:
        assert _target(coder, text, "2024-03-04", trigger) == target


@pytest.mark.parametrize(("date", "code"), [("2015-03-04", "AFGREB"), ("2023-03-04", "AFGGOV")])
def test_actors_organisation_status_by_date(coder: eventwire.Coder, date: str, code: str) -> None:
    assert _source(coder, "The Taliban attacked Pakistani soldiers.", date, "attacked") == code


@pytest.mark.parametrize(("phrase", "date", "code"), [
    ("joe biden", "2005-06-01", "USAELI"),       # before 2010 Phoenix's dated roles decide
    ("vice president joe biden", "2015-06-01", "USAELI"),  # Phoenix phrase merged, no title
    ("putin", "2022-06-01", "RUSGOV"),           # Phoenix's bare surname joins the table person
    ("donald trump", "2022-06-01", "USAELI"),    # out of office, unknown to Phoenix: ELI
    ("donald trump", "2025-06-01", "USAGOV"),
])
def test_actors_dictionary_precedence(phrase: str, date: str, code: str) -> None:
    entries = [e for e in load_dictionary().lookup(phrase) if e.kind == "person"]
    assert entries and entries[0].code_on(date) == code


@pytest.fixture(scope="module")
def user_coder(tmp_path_factory: pytest.TempPathFactory) -> eventwire.Coder:
    d = tmp_path_factory.mktemp("user")
    holders = d / "holders.csv"
    holders.write_text(
        "name,aliases,gender,country,office,code,start,end,date_note\n"
        # same key as the packaged row (name + office + start): replaces it
        "Rishi Sunak,,m,GBR,head_of_government,GBRGOV,2022-10-25,2023-01-01,\n"
        # a new person
        "Aldo Kettleby,,m,DEU,foreign_minister,DEUGOV,2024-01-01,,\n",
        encoding="utf-8")
    actors = d / "actors.csv"
    actors.write_text("phrase,code,start,end\nKettleby Foundation,DEUNGO,,\n", encoding="utf-8")
    return eventwire.load(Config(officeholder_files=(str(holders),), actor_files=(str(actors),)))


@pytest.mark.parametrize(("text", "date", "code"), [
    ("Aldo Kettleby criticized Russia.", "2024-05-06", "DEUGOV"),
    ("Rishi Sunak criticized Russia.", "2022-11-15", "GBRGOV"),
    ("Rishi Sunak criticized Russia.", "2023-06-01", "GBRELI"),  # the user closed his term
    ("The Kettleby Foundation criticized Russia.", "2024-05-06", "DEUNGO"),
], ids=lambda v: str(v)[:30])
def test_actors_user_files_on_top(user_coder: eventwire.Coder, coder: eventwire.Coder,
                                  text: str, date: str, code: str) -> None:
    assert _source(user_coder, text, date, "criticized") == code


def test_actors_user_files_do_not_leak_into_default(coder: eventwire.Coder) -> None:
    assert _source(coder, "Rishi Sunak criticized Russia.", "2023-06-01", "criticized") == "GBRGOV"


@pytest.mark.parametrize(("content", "message"), [
    ("name,code,start,end\nAldo Kettleby,DEUGOV,2024-13-45x,\n", "field 'start'"),
    ("name,code,start\nAldo Kettleby,DEUGOV,2024-01-01\n", "missing column"),
    ("name,code,start,end\nAldo Kettleby,,2024-01-01,\n", "field 'code' is empty"),
])
def test_actors_bad_user_officeholder_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_dictionary((), (str(path),))
    assert str(path) in str(err.value)
