"""Precision audit of this session's rules: ordinary senses of the words that the new
verb blocks and agent rows read as political events. Each case checks the wrong code
is gone and that the political sense still codes. Sentences are our own."""

from __future__ import annotations

import pytest

from eventwire import Coder


def coded(coder: Coder, text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.cameo, e.source.sector if e.source else None,
             e.target.sector if e.target else None)
            for e in coder.code(text, date="2023-05-01")]


def cameo(coder: Coder, text: str) -> list[str]:
    return [c for c, _, _ in coded(coder, text)]


@pytest.mark.parametrize("text", [
    "The carmaker pushed back the launch of its electric van to the autumn.",
])
def test_postponing_a_thing_is_no_expulsion(coder: Coder, text: str) -> None:
    assert not {"174", "190", "192"} & set(cameo(coder, text))


def test_pushing_fighters_back_still_codes(coder: Coder) -> None:
    assert {"174", "190", "192"} & set(cameo(coder, "Soldiers pushed the militants back across the river."))


@pytest.mark.parametrize("text", [
    "The ruling party regained control of the town council in Sunday's local elections.",
    "The mayor regained ground in the polls after a strong debate.",
])
def test_ground_won_in_a_vote_is_no_territory(coder: Coder, text: str) -> None:
    assert "192" not in cameo(coder, text)


def test_control_of_a_town_taken_in_fighting_still_codes(coder: Coder) -> None:
    assert "192" in cameo(coder, "Government troops regained control of the town after a week of fighting.")


def test_market_forces_are_no_military(coder: Coder) -> None:
    events = coded(coder, "Market forces pushed fuel prices higher this winter.")
    assert all(s != "MIL" for _, s, _ in events)
    # the bare plural still names the armed forces
    assert any(s == "MIL" for _, s, _ in coded(coder, "Allied forces launched air strikes on the city."))


def test_counted_cases_of_a_disease_are_no_charge(coder: Coder) -> None:
    assert "173" not in cameo(coder, "The health ministry registered 300 new cases of dengue last week.")
    assert "173" in cameo(coder, "Police registered a case against the two suspects.")


def test_ties_with_no_actor_named_are_not_diplomatic(coder: Coder) -> None:
    assert "161" not in cameo(coder, "The singer cut ties with her record label after the tour.")
    assert "161" in cameo(coder, "Morocco cut diplomatic ties with Iran.")


@pytest.mark.parametrize("text", [
    "The company tightened security on its online shop after the breach.",
    "The company reinforced its presence in the European market.",
])
def test_a_companys_security_or_presence_is_no_alert(coder: Coder, text: str) -> None:
    assert not {"151", "154"} & set(cameo(coder, text))


def test_police_security_still_codes(coder: Coder) -> None:
    assert "151" in cameo(coder, "Police tightened security around the parliament.")


def test_an_emergency_over_a_disaster_is_no_coercion(coder: Coder) -> None:
    assert "1724" not in cameo(coder, "The governor declared a state of emergency after the floods.")
    assert "1724" in cameo(coder, "The president declared a state of emergency after the coup attempt.")


def test_shelter_from_the_weather_is_no_refugee_plea(coder: Coder) -> None:
    assert "1033" not in cameo(coder, "Hundreds of families sought refuge from the heat in public libraries.")
    assert "1033" in cameo(coder, "Thousands of villagers sought refuge in the neighbouring country.")


def test_a_border_opened_to_tourists_is_no_shelter(coder: Coder) -> None:
    assert "073" not in cameo(coder, "The mayor opened the border crossing to tourists.")
    assert "073" in cameo(coder, "Poland opened its borders to refugees fleeing the war.")


@pytest.mark.parametrize(("text", "wrong"), [
    ("Workers sealed off the leaking pipe with concrete.", "150"),
    ("The taxi driver picked up three passengers at the airport.", "173"),
    ("The company used smoke grenades in the film's battle scenes.", "175"),
    ("Children threw stones into the lake.", "180"),
])
def test_everyday_acts_of_unarmed_people_are_no_force(coder: Coder, text: str, wrong: str) -> None:
    assert wrong not in cameo(coder, text)


@pytest.mark.parametrize(("text", "code"), [
    ("Police sealed off the area after the blast.", "150"),
    ("Police picked up three suspects from the market.", "173"),
    ("Riot police used pepper spray on the marchers.", "175"),
    ("Protesters threw stones during the march.", "145"),
])
def test_the_same_acts_by_a_force_or_a_crowd_still_code(coder: Coder, text: str, code: str) -> None:
    assert code in cameo(coder, text)
