"""Within-article actor propagation: short names, descriptions, pronouns.

Short articles written for these tests; the event of `trigger` must take the
source the earlier mention resolved to.
"""

from __future__ import annotations

import pytest

import eventwire

DATE = "2024-03-04"


def _source(coder: eventwire.Coder, text: str, trigger: str, date: str = DATE
            ) -> eventwire.Actor | None:
    events = [e for e in coder.code(text, date=date, all_modalities=True) if e.trigger == trigger]
    assert events, f"no {trigger!r} event in {text!r}"
    return events[-1].source


@pytest.mark.parametrize(("text", "trigger", "code", "name"), [
    # short mention after a full mention
    ("Chinese President Xi Jinping met Vladimir Putin in Moscow. Xi criticized Japan.",
     "criticized", "CHNGOV", "Xi Jinping"),
    ("Kenyan foreign minister Otieno Wambua visited Japan on Monday. Wambua criticized China.",
     "criticized", "KENGOV", "Otieno Wambua"),
    ("Kenyan President William Ruto visited Japan. Mr Ruto praised Japan.",
     "praised", "KENGOV", "William Ruto"),
    # a definite description of a person already named
    ("Xi Jinping hosted Vladimir Putin on Monday. The Chinese president criticized Japan.",
     "criticized", "CHNGOV", "Xi Jinping"),
], ids=lambda v: str(v)[:40])
def test_coref_short_mention_after_full_mention(coder: eventwire.Coder, text: str, trigger: str,
                                                code: str, name: str) -> None:
    src = _source(coder, text, trigger)
    assert src is not None and (src.code, src.name) == (code, name)


@pytest.mark.parametrize(("text", "trigger", "code", "date"), [
    ("German Chancellor Olaf Scholz visited Kenya on Monday. He praised Kenya.",
     "praised", "DEUGOV", "2022-06-01"),
    ("British Prime Minister Liz Truss visited Kenya on Monday. She praised Kenya.",
     "praised", "GBRGOV", "2022-09-20"),
    ("China lifted restrictions on Russian wheat imports. It also criticized Japan.",
     "criticized", "CHN", DATE),
    ("Protesters in Nairobi marched on Monday. They criticized the government.",
     "criticized", "KENOPP", DATE),
    # a chain: name -> pronoun -> surname -> pronoun
    ("Chinese President Xi Jinping met Vladimir Putin in Moscow. He praised Russia. "
     "Later, Xi criticized Japan. He also thanked Putin.", "thanked", "CHNGOV", DATE),
], ids=lambda v: str(v)[:40])
def test_coref_pronoun_after_named_subject(coder: eventwire.Coder, text: str, trigger: str,
                                           code: str, date: str) -> None:
    src = _source(coder, text, trigger, date)
    assert src is not None and src.code == code


@pytest.mark.parametrize(("text", "trigger", "code"), [
    # genders from the office-holder table
    ("Liz Truss met Olaf Scholz on Monday. She criticized Russia.", "criticized", "GBRGOV"),
    ("Liz Truss met Olaf Scholz on Monday. He criticized Russia.", "criticized", "DEUGOV"),
    # genders from the title of people the table does not know
    ("Kenyan envoy Ms Wanjiru Kamau met Ugandan envoy Mr Okello Mugisha. She praised Uganda.",
     "praised", "KENGOV"),
    ("Kenyan envoy Ms Wanjiru Kamau met Ugandan envoy Mr Okello Mugisha. He praised Kenya.",
     "praised", "UGAGOV"),
], ids=lambda v: str(v)[:50])
def test_coref_two_candidates_of_different_gender(coder: eventwire.Coder, text: str,
                                                  trigger: str, code: str) -> None:
    src = _source(coder, text, trigger, "2022-09-20")
    assert src is not None and src.code == code


@pytest.mark.parametrize(("text", "trigger", "code"), [
    ("Xi Jinping met Vladimir Putin on Monday. The latter criticized Japan.",
     "criticized", "RUSGOV"),
    ("Xi Jinping met Vladimir Putin on Monday. The former criticized Japan.",
     "criticized", "CHNGOV"),
    # "the ministry": the government of the last government actor, not the place
    ("Russian Foreign Minister Sergei Lavrov arrived in Ankara on Monday. "
     "The ministry criticized Japan.", "criticized", "RUSGOV"),
    ("Hamas attacked Israel on Saturday. The group also threatened Egypt.",
     "threatened", "PSEREBHMS"),
], ids=lambda v: str(v)[:50])
def test_coref_latter_former_and_descriptions(coder: eventwire.Coder, text: str, trigger: str,
                                              code: str) -> None:
    src = _source(coder, text, trigger)
    assert src is not None and src.code == code


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    ("German Chancellor Olaf Scholz visited Kenya on Monday. He praised Kenya.", "praised",
     ["pronoun 'he'", "German Chancellor Olaf Scholz (sentence 0"]),
    ("Chinese President Xi Jinping met Vladimir Putin. Putin praised China. Xi thanked Putin. "
     "He also criticized Japan.", "criticized",
     ["pronoun 'he'", "'Xi' (sentence 2)", "Chinese President Xi Jinping (sentence 0"]),
], ids=lambda v: str(v)[:30])
def test_coref_explain_shows_the_chain(coder: eventwire.Coder, text: str, trigger: str,
                                       expected: list[str]) -> None:
    ex = coder.explain(text, date="2022-06-01")
    trace = next(t for t in ex.traces if t.trigger == trigger)
    assert trace.sources
    for part in expected:
        assert part in trace.sources[0]


def test_coref_pronoun_without_antecedent_stays_unresolved(coder: eventwire.Coder) -> None:
    events = coder.code("He criticized Japan on Monday.", date=DATE, all_modalities=True)
    assert all(e.source is None for e in events if e.trigger == "criticized")
