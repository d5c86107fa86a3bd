"""Regression tests for police-action coding: forces, ranks, passives, negation.

Sentences written for these tests; each pins one class of error fixed in the
accuracy push (docs/accuracy.md).
"""

from __future__ import annotations

import pytest

from eventwire import Coder
from eventwire.evaluate import is_police
from eventwire.records import Event


def code(coder: Coder, text: str, **kw: bool) -> list[Event]:
    return coder.code(text, date="2002-03-01", **kw)


def police_codes(events: list[Event]) -> set[str]:
    return {e.cameo for e in events if e.modality == "asserted" and is_police(e.source)}


@pytest.mark.parametrize(("text", "root"), [
    # India's central and state armed police forces are police, not the army
    ("The Border Security Force patrolled the border villages on Monday.", "15"),
    ("the central reserve police force patrolled the old city.", "15"),
    # a shorter sector word heads the phrase when the longer match does not
    ("the border security force patrolled the streets.", "15"),
    # "<title> of police" is a police officer, and "Police" is no town in Poland
    ("The Director General of Police said the curfew would stay.", "01"),
    ("inspector general of police ravi kumar said the town was calm.", "01"),
    # keeping a vigil is a police alert
    ("the railway police maintained a strict vigil at the station.", "15"),
    # the force deployed is the doer of a passive deployment
    ("Three SRPF units were deployed near the market.", "15"),
    # phrasal arrests
    ("The activist was picked up by the police from his home.", "17"),
    # an unknown participle lemma falls back to the stem ("cordoned" -> "cordon")
    ("Police cordoned the market after the blast.", "15"),
])
def test_police_action_coded(coder: Coder, text: str, root: str) -> None:
    assert root in {c[:2] for c in police_codes(code(coder, text))}


def test_police_baton_charge_is_repression(coder: Coder) -> None:
    events = code(coder, "Police baton-charged the stone-throwing crowd.")
    assert "175" in police_codes(events)


@pytest.mark.parametrize("text", [
    "Nobody was arrested during the march.",
    "No protesters were detained on Friday.",
    "Not a single activist has been arrested so far.",
    "None of the leaders were detained.",
])
def test_police_negative_subject_negates(coder: Coder, text: str) -> None:
    events = code(coder, text, all_modalities=True)
    arrests = [e for e in events if e.cameo.startswith("173")]
    assert arrests and all(e.modality == "negated" for e in arrests)


def test_police_told_that_reports_not_orders(coder: Coder) -> None:
    reported = code(coder, "The superintendent of police told reporters that twenty men were arrested.")
    assert any(e.cameo.startswith("173") and e.modality == "asserted" for e in reported)
    ordered = code(coder, "The minister told the army to leave the city.", all_modalities=True)
    assert all(e.modality != "asserted" for e in ordered if e.cameo.startswith("04"))


def test_police_fire_to_disperse_a_crowd_is_repression(coder: Coder) -> None:
    # the purpose clause shares the main subject and names the crowd acted on
    events = code(coder, "Police fired shots overhead to disperse the crowd.")
    assert "175" in police_codes(events)


@pytest.mark.parametrize("text", [
    "Forty people were held after the clashes on Sunday.",
    "The two men were caught by the city police near the border.",
    "Police arrested dozens of men suspected of links to the banned group.",
])
def test_police_custody_coded(coder: Coder, text: str) -> None:
    assert any(e.cameo.startswith("173") for e in code(coder, text))


@pytest.mark.parametrize("text", [
    "Talks were held in Geneva on Monday.",
    "The villagers were caught in the crossfire.",
    "The police commissioner took time in following suit.",
])
def test_police_no_custody_without_people(coder: Coder, text: str) -> None:
    assert not any(e.cameo.startswith("173") for e in code(coder, text, all_modalities=True))


def test_police_security_forces_take_the_first_listed_sector(coder: Coder) -> None:
    # Phoenix lists "security forces" under COP and MIL; the first listed wins
    events = code(coder, "Security forces patrolled the streets of the old city.")
    assert "150" in police_codes(events)


@pytest.mark.parametrize(("text", "source"), [
    ("Nine villagers died in police firing on Tuesday.", "COP"),
    ("Three civilians were killed in Israeli airstrikes on the town.", "ISR"),
])
def test_police_attack_noun_names_the_doer_of_a_passive(coder: Coder, text: str, source: str) -> None:
    kills = [e for e in code(coder, text) if e.cameo.startswith("19")]
    assert any(e.source is not None and e.source.code == source for e in kills)


def test_police_plain_firing_names_no_doer(coder: Coder) -> None:
    kills = [e for e in code(coder, "Two persons were killed in the firing on Friday.")
             if e.cameo.startswith("19")]
    assert kills and all(e.source is None for e in kills)


@pytest.mark.parametrize("text", [
    "the dgp said the situation in the district was tense.",
    "superintendent of police r kumar said the situation was tense.",
    "Additional Commissioner of Police Rao said the city was calm.",
])
def test_police_ranks_are_police(coder: Coder, text: str) -> None:
    assert "010" in police_codes(code(coder, text))


def test_police_commissioner_alone_is_an_official(coder: Coder) -> None:
    events = code(coder, "The commissioner said the talks would continue.")
    assert events and not any(is_police(e.source) for e in events)


def test_police_held_at_ransom_and_liable_to_be_are_no_arrests(coder: Coder) -> None:
    assert not code(coder, "Hundreds of pupils were held at ransom by the landlord.")
    events = code(coder, "They are liable to be convicted for the offence.", all_modalities=True)
    assert events and all(e.modality == "hypothetical" for e in events if e.cameo.startswith("173"))


@pytest.mark.parametrize("text", [
    "Police arrested two brothers on Sunday.",
    "Police detained a street vendor near the bus depot.",
])
def test_police_arrest_of_unnamed_people_is_kept(coder: Coder, text: str) -> None:
    # only taking verbs ("took time") lose an arrest to a thing as their object
    assert "173" in police_codes(code(coder, text))


@pytest.mark.parametrize(("text", "root"), [
    # a formation of a force is the force: "companies of the SRPF" are police, not a business
    ("eight companies of srpf were stationed near the mosque.", "15"),
    ("Two platoons of the CRPF were posted outside the court.", "15"),
    # patrolling told as a noun after a light verb
    ("the police carried out heavy patrolling in the walled city.", "15"),
    # bursting tear-gas shells is a crowd-control weapon used
    ("the constables burst teargas shells at the stone pelters.", "17"),
])
def test_police_round4_actions_coded(coder: Coder, text: str, root: str) -> None:
    assert root in {c[:2] for c in police_codes(code(coder, text))}


def test_police_company_of_a_firm_stays_a_business(coder: Coder) -> None:
    events = code(coder, "The company said its profits rose sharply.")
    assert events and not any(is_police(e.source) for e in events)
