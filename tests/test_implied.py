"""Implied actors, travel towards talks and shouted text, on real parses."""

from __future__ import annotations

import pytest

from eventwire import Coder
from eventwire.nlp import fold_shouting


def test_fold_shouting_keeps_length_and_normal_lines() -> None:
    text = "POLICE ARREST 12 AFTER CLASHES IN LAGOS\nThe Army said so. NATO too."
    folded = fold_shouting(text)
    assert len(folded) == len(text)
    assert folded.split("\n") == ["police arrest 12 after clashes in lagos",
                                  "The Army said so. NATO too."]


def test_shouted_headline_codes_like_normal_case_with_evidence_as_written(coder: Coder) -> None:
    text = "POLICE ARRESTED 12 PROTESTERS IN NAIROBI ON MONDAY"
    events = [e for e in coder.code(text, date="2024-05-07") if e.cameo == "173"]
    assert events, "an all-caps arrest is coded"
    assert events[0].sentence == text and events[0].trigger == "ARRESTED"


@pytest.mark.parametrize(("text", "visit_expected"), [
    ("The French foreign minister heads to Beijing for talks.", False),
    ("The French foreign minister left for Moscow for talks.", False),
    ("The French foreign minister arrived in Moscow for talks.", True),
])
def test_travel_towards_talks_is_intent_until_arrival(coder: Coder, text: str,
                                                       visit_expected: bool) -> None:
    events = coder.code(text, date="2024-05-07", all_modalities=True)
    asserted_visits = [e for e in events if e.cameo_root == "04" and e.modality == "asserted"]
    assert bool(asserted_visits) == visit_expected, [(e.cameo, e.modality) for e in events]
    if not visit_expected:
        assert any(e.cameo == "036" for e in events), [(e.cameo, e.modality) for e in events]


def test_bare_sector_takes_article_country_with_basis(coder: Coder) -> None:
    text = ("Kenyan President William Ruto met Kenyan opposition leaders. "
            "Later, police detained several protesters.")
    events = coder.code(text, date="2024-05-07")
    detained = [e for e in events if e.trigger == "detained"]
    assert detained and detained[0].source is not None
    src = detained[0].source
    assert src.country == "KEN" and not src.implied and src.country_basis in (
        "article", "article place", "dateline", "place")
