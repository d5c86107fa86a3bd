"""End-to-end coding of sentences: roles, actors, modality, intent, dates, attribution."""

from __future__ import annotations

import pytest

from eventwire import Coder
from eventwire.records import Event


def code(coder: Coder, text: str, date: str = "2022-02-25", **kw: bool) -> list[Event]:
    return coder.code(text, date=date, **kw)


def pairs(events: list[Event]) -> set[tuple[str | None, str | None, str]]:
    return {(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo_root)
            for e in events}


@pytest.mark.parametrize(("text", "expected"), [
    # active voice
    ("Russian troops attacked Ukrainian positions near Kharkiv.", ("RUSMIL", "UKR", "19")),
    # passive voice: the agent is the source, the subject the target
    ("Ukrainian positions were attacked by Russian troops.", ("RUSMIL", "UKR", "19")),
    # relative clause: the relative pronoun stands for the modified noun
    ("Analysts discussed Georgia, which Russia invaded in 2008.", ("RUS", "GEO", "19")),
    # prepositional target
    ("Egypt's president held talks with Israel on Monday.", ("EGYGOV", "ISR", "04")),
    # control verb: the object of "urged" is the target of the appeal
    ("Germany urged Serbia to withdraw its forces.", ("DEU", "SRB", "02")),
    # a target inside the object phrase
    ("The European Union imposed sanctions on Belarus.", ("IGOEUREEC", "BLR", "16")),
])
def test_pipeline_roles(coder: Coder, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in pairs(code(coder, text))


def test_pipeline_coordination_gives_each_source(coder: Coder) -> None:
    got = pairs(code(coder, "France and Germany condemned Iran."))
    assert {("FRA", "IRN", "11"), ("DEU", "IRN", "11")} <= got


def test_pipeline_coordinated_subjects_without_target_pair_up(coder: Coder) -> None:
    got = pairs(code(coder, "Armenia and Azerbaijan signed a peace treaty."))
    assert {("ARM", "AZE", "05"), ("AZE", "ARM", "05")} <= got


def test_pipeline_reciprocal_codes_both_directions(coder: Coder) -> None:
    got = {(e.source.code, e.target.code, e.cameo) for e in code(
        coder, "Chinese President Xi Jinping talked with Vladimir Putin by phone.")
        if e.source and e.target}
    assert {("CHNGOV", "RUSGOV", "041"), ("RUSGOV", "CHNGOV", "041")} <= got


@pytest.mark.parametrize(("text", "dyad", "modality"), [
    ("Russia did not attack Ukraine.", ("RUS", "UKR", "19"), "negated"),
    ("Russia never attacked Ukraine.", ("RUS", "UKR", "19"), "negated"),
    ("China refrained from condemning Russia.", ("CHN", "RUS", "11"), "negated"),
    ("Russia denied that it attacked Ukraine.", ("RUS", "UKR", "19"), "negated"),
    ("Russia could attack Ukraine.", ("RUS", "UKR", "19"), "hypothetical"),
    ("If Russia attacks Ukraine, NATO will respond.", ("RUS", "UKR", "19"), "hypothetical"),
    ("Will Russia attack Ukraine?", ("RUS", "UKR", "19"), "hypothetical"),
    ("Russia attacked Ukraine.", ("RUS", "UKR", "19"), "asserted"),
])
def test_pipeline_modality(coder: Coder, text: str, dyad: tuple[str, str, str],
                           modality: str) -> None:
    events = [e for e in code(coder, text, all_modalities=True)
              if (e.source and e.source.country, e.target and e.target.country, e.cameo_root) == dyad]
    assert events, "the event should be coded"
    assert {e.modality for e in events} == {modality}


def test_pipeline_hides_non_asserted_by_default(coder: Coder) -> None:
    assert not [e for e in code(coder, "Russia did not attack Ukraine.") if e.cameo_root == "19"]


@pytest.mark.parametrize(("text", "cameo"), [
    ("Russia is willing to hold talks with Ukraine.", "036"),
    ("Turkey plans to send aid to Syria.", "033"),
    ("Iran threatened to attack Israel.", "138"),
])
def test_pipeline_intent_is_coded_as_intent(coder: Coder, text: str, cameo: str) -> None:
    assert cameo in {e.cameo for e in code(coder, text)}


@pytest.mark.parametrize(("text", "date", "expected", "precision"), [
    ("Russia invaded Ukraine on Thursday, Feb. 24.", "2022-02-25", "2022-02-24", "day"),
    ("Biden met Putin in June 2021.", "2022-02-25", "2021-06-01", "month"),
    ("Israel attacked Gaza yesterday.", "2023-10-10", "2023-10-09", "day"),
    ("Israel attacked Gaza.", "2023-10-10", "2023-10-10", "day"),
])
def test_pipeline_dates(coder: Coder, text: str, date: str, expected: str, precision: str) -> None:
    events = code(coder, text, date=date)
    assert events
    assert {(e.date, e.date_precision) for e in events} == {(expected, precision)}
    assert all(e.report_date == date for e in events)


@pytest.mark.parametrize(("text", "reported_by"), [
    ("Russia attacked Ukraine, Reuters reported.", "Reuters"),
    ("According to the BBC, Russia attacked Ukraine.", "BBC"),
    ("Russia attacked Ukraine, the Kremlin said.", "Kremlin"),
])
def test_pipeline_attribution(coder: Coder, text: str, reported_by: str) -> None:
    events = [e for e in code(coder, text) if e.cameo_root == "19"]
    assert events and all(reported_by in e.reported_by for e in events)


def test_pipeline_attribution_from_neighbouring_sentence(coder: Coder) -> None:
    text = "Russian jets bombed Kharkiv overnight. That is according to the AP."
    events = [e for e in code(coder, text) if e.cameo_root in ("18", "19")]
    assert events and all("AP" in e.reported_by for e in events)


def test_pipeline_attribution_stays_in_its_paragraph(coder: Coder) -> None:
    text = "Russia attacked Ukraine.\n\nChina criticised the West, Xinhua reported."
    attack = [e for e in code(coder, text) if e.cameo_root == "19"]
    assert attack and all(not e.reported_by for e in attack)


def test_pipeline_places(coder: Coder) -> None:
    events = code(coder, "In Kharkiv, Russian troops attacked Ukrainian forces.")
    locs = {e.location.name for e in events if e.location}
    assert "Kharkiv" in locs
    assert all(e.location is None or e.location.country == "UKR" for e in events)


def test_pipeline_metonym_is_an_actor_not_a_place(coder: Coder) -> None:
    events = code(coder, "Moscow condemned the sanctions imposed by Washington.")
    assert any(e.source and e.source.code == "RUSGOV" for e in events)
    assert all(e.location is None or e.location.name != "Moscow" for e in events)


def test_pipeline_dedup_within_article(coder: Coder) -> None:
    text = "Russia attacked Ukraine on Monday. Russia attacked Ukraine on Monday, officials said."
    events = [e for e in code(coder, text, date="2022-03-01") if e.cameo_root == "19"]
    assert len({(e.source.code, e.target.code, e.cameo, e.date) for e in events}) == len(events)  # type: ignore[union-attr]


def test_pipeline_jsonl_round_trip(coder: Coder) -> None:
    for e in code(coder, "Chinese President Xi Jinping talked with Vladimir Putin by phone."):
        assert Event.from_dict(e.to_dict()) == e


def test_pipeline_explain_reports_dropped_triggers(coder: Coder) -> None:
    ex = coder.explain("Nobody attacked anything.", date="2022-01-01")
    assert ex.traces and any("dropped" in t.outcome for t in ex.traces)
    assert ex.tokens[0]["text"] == "Nobody"


@pytest.mark.parametrize(("text", "expected"), [
    # a reported "must" is a demand from the speaker to the one who must act
    ("British Foreign Secretary David Lammy said Iran must release the detained sailors.",
     ("GBRGOV", "IRN", "1053")),
    # a reported "would" is the subject's stated intent
    ("Japan said it would provide aid to Nepal.", ("JPN", "NPL", "033")),
    # an appeal takes the code of what is asked for
    ("Germany urged Serbia to hold talks with Kosovo.", ("DEU", "SRB", "026")),
    # a refusal takes the code of what is refused
    ("Serbia refused to hold talks with Kosovo.", ("SRB", "KSV", "125")),
])
def test_pipeline_speech_acts_about_actions(coder: Coder, text: str,
                                            expected: tuple[str, str, str]) -> None:
    got = {(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo)
           for e in code(coder, text)}
    assert expected in got


def test_pipeline_intent_governor_stays_when_complement_is_uncoded(coder: Coder) -> None:
    # nothing in "to study the proposal" is an event, so the agreement itself is coded
    assert {e.cameo_root for e in code(coder, "Spain agreed to study the proposal.")} == {"03"}


def test_pipeline_agentless_arrest_implies_police_of_the_place(coder: Coder) -> None:
    events = [e for e in code(coder, "Forty protesters were arrested in Nairobi.") if e.cameo == "173"]
    assert events and events[0].target is not None
    source = events[0].source
    assert source is not None and source.implied and source.text == ""
    assert (source.code, source.sector, source.country_basis) == ("KENCOP", "COP", "place")
    assert "arrested" in (source.basis or "")


def test_pipeline_agentless_killing_implies_no_perpetrator(coder: Coder) -> None:
    events = [e for e in code(coder, "Two villagers were killed in Kaduna.") if e.cameo_root in ("18", "19")]
    assert all(e.source is None or not e.source.implied for e in events)


@pytest.mark.parametrize(("text", "expected"), [
    ("The United States handed over medical equipment to Ethiopia.", ("USA", "ETH", "070")),
    ("France and Egypt held joint military exercises.", ("FRA", "EGY", "062")),
    # the thing shared is not the target, the partner is
    ("Israel shared intelligence with the United States.", ("ISR", "USA", "064")),
    ("The United States returned six stolen artifacts to Iraq.", ("USA", "IRQ", "0842")),
    ("Japan sent emergency supplies to Nepal.", ("JPN", "NPL", "070")),
    # IGOs by their usual short names
    ("The EU provided aid to Nigeria.", ("IGOEUREEC", "NGA", "070")),
    # seizing a town is occupying territory, seizing people is detaining them
    ("Rebels captured the town of Kidal.", ("MLIREB", "MLICVL", "192")),
    ("Soldiers captured five rebels.", ("MIL", "REB", "173")),
    ("Serbia withdrew its troops from the border.", ("SRB", None, "0874")),
])
def test_pipeline_material_cooperation_and_conflict(coder: Coder, text: str,
                                                    expected: tuple[str, str | None, str]) -> None:
    got = {(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo)
           for e in code(coder, text)}
    assert expected in got, got
