"""The scorer of `eventwire evaluate`, on tiny gold files written here.

The coder is replaced by fakes (a dict from text to events): what is under
test is reading gold, matching, mapping and reporting, not the coder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eventwire
from eventwire.cli import main
from eventwire.errors import InputError
from eventwire.evaluate import (
    PRF,
    EvaluationReport,
    evaluate,
    infer_scheme,
    load_mappings,
    multiset_prf,
    police_labels,
    read_gold,
    score,
    write_errors,
)
from eventwire.records import Actor, Article, Event

SHARED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"

# ------------------------------------------------------------------ helpers


def actor(code: str | None, sector: str | None = None) -> Actor | None:
    if code is None:
        return None
    country = code[:3] if len(code) >= 3 and code[:3] not in ("COP", "GOV", "MIL") else None
    if sector is None and len(code) == 6:
        sector = code[3:]
    return Actor(text=code, code=code, country=country, sector=sector)


def ev(cameo: str, source: str | None = None, target: str | None = None, *,
       plover: str | None = None, confidence: float = 0.5, modality: str = "asserted",
       sentence: str = "", sector: str | None = None, index: int = 0) -> Event:
    return Event(article_id="t", sentence_index=index, sentence=sentence, span=(0, 1),
                 trigger="x", date=None, date_precision="day", report_date=None,
                 source=actor(source, sector), target=actor(target), cameo=cameo,
                 cameo_root=cameo[:2], cameo_name="", goldstein=None, quad_class=None,
                 plover=plover, plover_mode=None, modality=modality,  # type: ignore[arg-type]
                 confidence=confidence)


def replace_source(event: Event, **changes: Any) -> Event:
    assert event.source is not None
    return replace(event, source=replace(event.source, **changes))


def gold_line(rid: str, text: str, events: list[tuple[Any, Any, str]], dataset: str,
              date: str | None = None) -> dict[str, Any]:
    return {"id": rid, "text": text, "date": date,
            "events": [{"source": s, "target": t, "code": c} for s, t, c in events],
            "meta": {"dataset": dataset}}


def write_gold(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


class FakeCoder:
    """A PipeCoder answering from a table; counts pipe() calls."""

    def __init__(self, answers: dict[str, list[Event]]) -> None:
        self.answers = answers
        self.calls = 0

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        self.calls += 1
        for article in articles:
            events = self.answers.get(article.text, [])
            if not all_modalities:
                events = [e for e in events if e.modality == "asserted"]
            yield article, events


# One tiny dataset per scheme: gold lines and the events a perfect system emits.
# All sentences are written for this test.
CASES: dict[str, list[tuple[str, list[tuple[Any, Any, str]], list[Event]]]] = {
    "petrarch2_unittest": [
        ("Ruritania's cabinet praised Freedonia on Monday.", [("RURGOV", "FRE", "051")],
         [ev("051", "RURGOV", "FRE")]),
        ("Chile and Peru held border talks in Lima.",
         [("CHL", "PER", "040"), ("PER", "CHL", "040")],
         [ev("040", "CHL", "PER"), ev("040", "PER", "CHL")]),
        ("The harvest was late this year.", [], []),
    ],
    "plover_gsr_cameo": [
        ("Japan demanded that Korea return the fishing boats.", [("JAP", "KOR", "DEMAND")],
         [ev("1053", "JPN", "KOR", plover="REQUEST")]),
        ("Army units fought rebels near the border.", [("SDN", None, "FIGHT")],
         [ev("190", "SDNMIL", "SDNREB", plover="ASSAULT")]),
    ],
    "conflibert_cameo": [
        ("The minister welcomed the report on Friday.", [(None, None, "0")],
         [ev("018", "FRAGOV", plover="SUPPORT")]),
        ("Troops shelled the northern suburbs.", [(None, None, "4")],
         [ev("194", "SYRMIL", confidence=0.9), ev("040", "SYRGOV", confidence=0.2)]),
    ],
    "case2021_task2_test": [
        ("Militants threw a grenade at a police post, wounding two.",
         [(None, None, "GRENADE")], [ev("180", "AFGREB", "AFGCOP",
                                       sentence="Militants threw a grenade at a police post.")]),
        ("Hundreds marched peacefully through the capital.", [(None, None, "PEACE_PROTEST")],
         [ev("141", "KENOPP")]),
    ],
    "indiapoliceevents_sents": [
        ("police arrested six men after the clash.", [(None, None, "ARREST"),
                                                      (None, None, "ANY_ACTION")],
         [ev("173", "COP", None, sector="COP")]),
        ("the shops stayed shut all day.", [], []),
        ("police did not stop the crowd.", [(None, None, "FAIL")],
         [ev("175", "COP", None, sector="COP", modality="negated")]),
    ],
}


def make_case(tmp_path: Path, dataset: str) -> tuple[Path, FakeCoder]:
    lines = [gold_line(f"{dataset}-{i}", text, gold, dataset, "2024-05-01")
             for i, (text, gold, _) in enumerate(CASES[dataset])]
    answers = {text: events for text, _, events in CASES[dataset]}
    return write_gold(tmp_path / f"{dataset}.jsonl", lines), FakeCoder(answers)


def all_scores(report: EvaluationReport) -> list[float | None]:
    out: list[float | None] = []
    for d in report.datasets:
        for v in [*d.prf.values(), *d.per_label.values()]:
            out.extend([v.precision, v.recall, v.f1])
        # located / place_coverage describe the output, whatever the gold says
        out.extend(v for k, v in d.rates.items() if k not in ("located", "place_coverage"))
    return out


# -------------------------------------------------------------------- tests


@pytest.mark.parametrize("dataset", sorted(CASES))
def test_evaluate_perfect_system_scores_one(tmp_path: Path, dataset: str) -> None:
    path, coder = make_case(tmp_path, dataset)
    report = evaluate([path], coder)
    values = [v for v in all_scores(report) if v is not None]
    assert values and all(v == pytest.approx(1.0) for v in values), report.format_table()
    assert report.errors == []


@pytest.mark.parametrize("dataset", sorted(CASES))
def test_evaluate_empty_system_scores_zero_recall(tmp_path: Path, dataset: str) -> None:
    path, _ = make_case(tmp_path, dataset)
    report = evaluate([path], lambda text, date: [])
    (d,) = report.datasets
    assert d.prf["detection"].recall == 0.0
    assert d.prf["detection"].tp == 0 and d.prf["detection"].fp == 0
    for name, v in [*d.prf.items(), *d.per_label.items()]:
        assert v.tp == 0, name
        assert v.recall in (0.0, None), name
    for name in ("accuracy", "any_match", "coverage"):
        if name in d.rates:
            assert d.rates[name] == 0.0
    assert {e.kind for e in report.errors} == {"miss"}


def test_evaluate_partial_system_gives_hand_computed_prf(tmp_path: Path) -> None:
    gold = [
        gold_line("a", "Aland praised Borduria.", [("ALA", "BOR", "051")], "petrarch2_unittest"),
        gold_line("b", "Chile and Peru held talks.",
                  [("CHL", "PER", "040"), ("PER", "CHL", "040")], "petrarch2_unittest"),
        gold_line("c", "Kenya detained two Ugandan officials.", [("KEN", "UGAGOV", "173")],
                  "petrarch2_unittest"),
        gold_line("d", "The river rose after the rain.", [], "petrarch2_unittest"),
    ]
    answers = {
        "Aland praised Borduria.": [ev("051", "ALA", "BOR")],
        # the same direction twice: one matches, one is spurious at dyad level
        "Chile and Peru held talks.": [ev("040", "CHL", "PER"), ev("040", "CHL", "PER")],
        "Kenya detained two Ugandan officials.": [ev("172", "KEN", "UGAGOV")],
        "The river rose after the rain.": [ev("010", "USA", "CHN")],
    }
    path = write_gold(tmp_path / "g.jsonl", gold)
    (d,) = evaluate([path], lambda text, date: answers[text]).datasets
    assert d.prf["detection"] == PRF(3, 1, 0)
    assert d.prf["root"] == PRF(4, 1, 0)
    assert d.prf["code"] == PRF(3, 2, 1)
    assert d.prf["dyad_root"] == PRF(3, 2, 1)
    assert d.prf["triple"] == PRF(2, 3, 2)
    assert d.prf["detection"].precision == pytest.approx(0.75)
    assert d.prf["root"].f1 == pytest.approx(8 / 9)
    assert d.prf["code"].precision == pytest.approx(3 / 5)
    assert d.prf["code"].recall == pytest.approx(3 / 4)
    assert d.prf["triple"].f1 == pytest.approx(4 / 9)
    kinds = {e.id: e.kind for e in d.errors}
    assert kinds == {"b": "wrong_actors", "c": "wrong_code", "d": "false_alarm"}


@pytest.mark.parametrize(("gold", "system", "expected"), [
    (["04", "04"], ["04"], PRF(1, 0, 1)),
    (["04"], ["04", "04"], PRF(1, 1, 0)),
    (["04", "04", "19"], ["04", "19", "19"], PRF(2, 1, 1)),
    ([], ["04"], PRF(0, 1, 0)),
    (["04"], [], PRF(0, 0, 1)),
    ([], [], PRF(0, 0, 0)),
])
def test_evaluate_multiset_matching_counts_duplicates(
        gold: list[str], system: list[str], expected: PRF) -> None:
    assert multiset_prf(gold, system) == expected


def test_evaluate_prf_is_undefined_when_nothing_to_count() -> None:
    assert PRF().precision is None and PRF().recall is None and PRF().f1 is None
    assert PRF(fn=2).precision == 0.0 and PRF(fn=2).recall == 0.0


def test_evaluate_only_asserted_events_count(tmp_path: Path) -> None:
    text = "Ruritania did not attack Freedonia."
    path = write_gold(tmp_path / "g.jsonl",
                      [gold_line("a", text, [], "petrarch2_unittest")])
    (d,) = evaluate([path], lambda t, date: [ev("190", "RUR", "FRE", modality="negated"),
                                             ev("190", "RUR", "FRE", modality="hypothetical")]
                    ).datasets
    assert d.prf["detection"] == PRF(0, 0, 0)
    assert d.system_events == 0


def test_evaluate_country_aliases_match_cameo_and_iso(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [
        gold_line("a", "Japan criticised the plan.", [("JAP", None, "DISAPPROVE")],
                  "plover_gsr_cameo")])
    (d,) = evaluate([path], lambda t, date: [ev("111", "JPNGOV", plover="ACCUSE")]).datasets
    assert d.prf["type"] == PRF(1, 0, 0)
    assert d.prf["source_type"] == PRF(1, 0, 0)


def test_evaluate_five_class_uses_highest_confidence_event(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [
        gold_line("a", "s1", [(None, None, "1")], "conflibert_cameo"),
        gold_line("b", "s2", [(None, None, "3")], "conflibert_cameo"),
        gold_line("c", "s3", [(None, None, "2")], "conflibert_cameo"),
    ])
    answers = {
        "s1": [ev("190", confidence=0.3), ev("042", confidence=0.8)],  # right: 04 -> class 1
        "s2": [ev("112", confidence=0.4), ev("061", confidence=0.6)],  # wrong: 06 -> class 2
        "s3": [],  # nothing: counts as wrong
    }
    (d,) = evaluate([path], lambda t, date: answers[t]).datasets
    assert d.rates["accuracy"] == pytest.approx(1 / 3)
    assert d.rates["coverage"] == pytest.approx(2 / 3)
    # class 1: tp; class 3: fn; class 2: fp (s2) and fn (s3)
    assert d.per_label["1"] == PRF(1, 0, 0)
    assert d.per_label["3"] == PRF(0, 0, 1)
    assert d.per_label["2"] == PRF(0, 1, 1)
    assert d.rates["macro_f1"] == pytest.approx((1.0 + 0.0 + 0.0) / 3)


@pytest.mark.parametrize(("event", "label"), [
    (ev("183", "IRQREB", sentence="A grenade went off in the market."), "GRENADE"),
    (ev("190", "SYRMIL", sentence="Jets struck the town in an air raid."), "AIR_STRIKE"),
    (ev("195", "SYRMIL"), "AIR_STRIKE"),
    (ev("1831", "AFGREB"), "SUIC_BOMB"),
    (ev("193", "SOMMIL", sentence="Soldiers and fighters exchanged fire."), "ARMED_CLASH"),
    (ev("192", "IRQMIL"), "GOV_REGAINS_TERIT"),
    (ev("192", "IRQREB"), "NON_STATE_ACTOR_OVERTAKES_TER"),
    (ev("175", "USACOP", sentence="Officers used tear gas to break up the march."),
     "PROTEST_WITH_INTER"),
    (ev("175", "IRNCOP", sentence="Guards opened fire on marchers, and three died."),
     "FORCE_AGAINST_PROTEST"),
    (ev("173", "PAKCOP"), "ARREST"),
    (ev("145", "FRAOPP"), "VIOL_DEMONSTR"),
    (ev("141", "FRAOPP"), "PEACE_PROTEST"),
    (ev("0871", "ARMMIL"), "AGREEMENT"),
    (ev("0874", "IRQMIL"), "NON_VIOL_TERRIT_TRANSFER"),
    (ev("154", "TURMIL", sentence="The army set up a new base near the river."),
     "HQ_ESTABLISHED"),
    (ev("154", "TURMIL", sentence="The army called up its reserves."), "CHANGE_TO_GROUP_ACT"),
    (ev("015", "IRQREB"), "ATTRIB"),
    (ev("042", "USAGOV"), "DIPLO"),
    (ev("171", "MEXCRM", sentence="A gang stole fuel from the pipeline."), "ORG_CRIME"),
    (ev("182", "MEXCRM", sentence="A gang beat a shopkeeper."), "ATTACK"),
    (ev("1712", "SYRREB"), "PROPERTY_DISTRUCT"),
    (ev("181", "NGAREB"), "ABDUCT_DISSAP"),
])
def test_evaluate_acled_rules_map_events(event: Event, label: str) -> None:
    from eventwire.evaluate import acled_label

    assert acled_label(event, load_mappings()) == label


def test_evaluate_acled_any_match_and_primary(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [
        gold_line("a", "t1", [(None, None, "ARREST")], "case2021_task2_test"),
        gold_line("b", "t2", [(None, None, "NATURAL_DISASTER")], "case2021_task2_test"),
    ])
    answers = {"t1": [ev("042", "USAGOV", confidence=0.9), ev("173", "USACOP", confidence=0.4)],
               "t2": []}
    (d,) = evaluate([path], lambda t, date: answers[t]).datasets
    assert d.rates["accuracy"] == 0.0  # the primary (0.9) maps to DIPLO
    assert d.rates["any_match"] == 0.5  # ARREST is among t1's labels
    assert d.rates["accuracy_mappable"] == 0.0
    assert any("NATURAL_DISASTER" in n for n in d.notes)


@pytest.mark.parametrize(("events", "labels"), [
    ([ev("173", "COP", sector="COP")], {"ARREST", "ANY_ACTION"}),
    ([ev("173", "INDREB")], set()),  # rebels detaining people are not police
    ([replace_source(ev("173", "INDCOP"), implied=True)], {"ARREST", "ANY_ACTION"}),  # implied police count
    ([ev("173", None)], set()),  # strict: no security source, no police event
    ([replace(ev("190", None), reported_by=("police",))], set()),
    ([ev("190", None, sentence="two were killed in firing")], set()),  # violence needs an agent
    ([ev("175", "INDCOP", sentence="police fired and killed two rioters")],
     {"KILL", "FORCE", "ANY_ACTION"}),
    ([ev("175", "INDCOP", sentence="police used batons on the crowd")],
     {"FORCE", "ANY_ACTION"}),
    ([ev("175", "INDCOP", modality="negated")], {"FAIL"}),
    ([ev("010", "INDCOP")], {"ANY_ACTION"}),  # the dataset counts police statements as actions
    ([ev("153", "INDCOP")], {"ANY_ACTION"}),
    ([replace(ev("190", None), reported_by=("the mayor", "Reuters"))], set()),
])
def test_evaluate_police_rules_map_events(events: list[Event], labels: set[str]) -> None:
    assert police_labels(events, load_mappings()) == labels


@pytest.mark.parametrize(("events", "labels"), [
    ([ev("173", None)], {"ARREST", "ANY_ACTION"}),  # agentless arrest
    ([ev("173", "INDREB")], set()),
    # an event the police report is their statement ("police said two were killed")
    ([replace(ev("190", None), reported_by=("police",))], {"ANY_ACTION"}),
    ([replace(ev("190", "PPL"), reported_by=("the DGP",))], {"ANY_ACTION"}),
    ([replace(ev("190", None), reported_by=("the mayor", "Reuters"))], set()),
])
def test_evaluate_police_lenient_rules(events: list[Event], labels: set[str]) -> None:
    assert police_labels(events, load_mappings(), strict=False) == labels


def test_evaluate_police_per_label_counts(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [
        gold_line("a", "u1", [(None, None, "ARREST"), (None, None, "ANY_ACTION")],
                  "indiapoliceevents_sents"),
        gold_line("b", "u2", [(None, None, "KILL"), (None, None, "FORCE"),
                              (None, None, "ANY_ACTION")], "indiapoliceevents_sents"),
        gold_line("c", "u3", [], "indiapoliceevents_sents"),
    ])
    answers = {"u1": [ev("173", "INDCOP")],
               "u2": [ev("175", "INDCOP", sentence="the police charged the mob")],
               "u3": [ev("173", "INDCOP")]}
    (d,) = evaluate([path], lambda t, date: answers[t]).datasets
    assert d.per_label["ARREST"] == PRF(1, 1, 0)
    assert d.per_label["KILL"] == PRF(0, 0, 1)
    assert d.per_label["FORCE"] == PRF(1, 0, 0)
    assert d.per_label["ANY_ACTION"] == PRF(2, 1, 0)
    assert d.prf["detection"] == PRF(2, 1, 0)
    assert {e.id: e.kind for e in d.errors} == {"b": "wrong_code", "c": "false_alarm"}


# Every label the dev sets use (names only), and the current PLOVER types.
PLOVER_OLD = ["AGREE", "DEMAND", "REJECT", "THREATEN", "PROTEST", "FIGHT", "CONSULT", "COERCE",
              "RETREAT", "ASSAULT", "COOPERATE", "DISAPPROVE", "SANCTION", "SUPPORT",
              "INVESTIGATE", "AID", "MOBILIZE", "CONCEDE"]
PLOVER_CURRENT = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                  "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                  "COERCE", "ASSAULT"]
ACLED = ["ARMED_CLASH", "VIOL_DEMONSTR", "MAN_MADE_DISASTER", "PEACE_PROTEST", "GRENADE",
         "DISR_WEAP", "GOV_REGAINS_TERIT", "DIPLO", "REM_EXPLOS", "CHEM_WEAP", "SUIC_BOMB",
         "AIR_STRIKE", "NATURAL_DISASTER", "CHANGE_TO_GROUP_ACT", "ORG_CRIME",
         "NON_STATE_ACTOR_OVERTAKES_TER", "ATTACK", "ARREST", "ATTRIB", "ART_MISS_ATTACK",
         "AGREEMENT", "FORCE_AGAINST_PROTEST", "NON_VIOL_TERRIT_TRANSFER", "PROTEST_WITH_INTER",
         "SEX_VIOL", "HQ_ESTABLISHED", "PROPERTY_DISTRUCT", "MOB_VIOL", "ABDUCT_DISSAP", "OTHER"]


def test_evaluate_mapping_tables_cover_every_label() -> None:
    maps = load_mappings()
    assert set(PLOVER_OLD) <= set(maps.plover_types)
    assert {maps.plover_types[n] for n in PLOVER_OLD} <= set(PLOVER_CURRENT)
    assert all(maps.plover_types[n] == n for n in PLOVER_CURRENT)
    assert set(ACLED) == set(maps.acled_labels)
    assert set(maps.police_labels) == {"KILL", "ARREST", "FAIL", "FORCE", "ANY_ACTION"}
    assert {f"{r:02d}" for r in range(1, 21)} == set(maps.five_class_roots)
    assert set(maps.five_class_names) == {"0", "1", "2", "3", "4"}
    # every CAMEO root yields some ACLED-style label (DIPLO is the catch-all)
    for root in range(1, 21):
        code = f"{root:02d}0"
        assert any(r.matches_code(code) for r in maps.acled_rules), code


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="../shared/gold/dev is not on this machine")
def test_evaluate_mapping_tables_cover_the_dev_gold_labels() -> None:
    maps = load_mappings()
    for path in sorted(SHARED_GOLD.glob("*.jsonl")):
        records = read_gold(path)
        scheme = infer_scheme(records[0].dataset, records, maps)
        codes = {e.code for r in records for e in r.events}
        known = {"plover": set(maps.plover_types), "acled": set(maps.acled_labels),
                 "police": set(maps.police_labels),
                 "five_class": set(maps.five_class_names)}.get(scheme)
        if known is not None:
            assert codes <= known, (path.name, codes - known)


@pytest.mark.parametrize(("content", "line", "fragment"), [
    (b'{"id": "a", "text": "x", "date": null, "events": []}\n{not json\n', 2, "not valid JSON"),
    (b'[1, 2]\n', 1, "expected a JSON object"),
    (b'{"text": "x", "events": []}\n', 1, "field 'id'"),
    (b'{"id": "a", "events": []}\n', 1, "field 'text'"),
    (b'{"id": "a", "text": "x", "date": "2021-02-30", "events": []}\n', 1, "impossible date"),
    (b'{"id": "a", "text": "x", "date": "3/4/2021", "events": []}\n', 1, "field 'date'"),
    (b'{"id": "a", "text": "x", "events": {}}\n', 1, "field 'events'"),
    (b'{"id": "a", "text": "x", "events": [{"source": "USA"}]}\n', 1, "events[0].code"),
    (b'\n\n{"id": "a", "text": "\xff", "events": []}\n', 3, "invalid UTF-8"),
    (b'{"id": "a", "text": "x", "events": []}\n{"id": "a", "text": "y", "events": []}\n', 2,
     "duplicate id"),
])
def test_evaluate_bad_gold_line_names_file_and_line(
        tmp_path: Path, content: bytes, line: int, fragment: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        evaluate([path], lambda t, date: [])
    assert info.value.source == str(path)
    assert info.value.line == line
    assert fragment in str(info.value)
    assert f"bad.jsonl:{line}" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_evaluate_empty_gold_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="no gold records"):
        read_gold(path)


def test_evaluate_crash_on_one_record_is_counted_and_run_goes_on(tmp_path: Path) -> None:
    path, coder = make_case(tmp_path, "petrarch2_unittest")
    bad = CASES["petrarch2_unittest"][1][0]

    class Fragile(FakeCoder):
        def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
                 ) -> Iterator[tuple[Article, list[Event]]]:
            for article in articles:
                if article.text == bad:
                    raise RuntimeError("parser fell over")
                yield from super().pipe([article], all_modalities=all_modalities)

    (d,) = evaluate([path], Fragile(coder.answers), batch_size=8).datasets
    assert d.crashes == 1
    assert d.prf["root"] == PRF(1, 0, 2)
    crash = [e for e in d.errors if e.kind == "crash"]
    assert len(crash) == 1 and "parser fell over" in crash[0].detail


def test_evaluate_pipes_in_batches_and_honours_limit(tmp_path: Path) -> None:
    lines = [gold_line(f"r{i}", f"sentence number {i}", [], "petrarch2_unittest")
             for i in range(10)]
    path = write_gold(tmp_path / "g.jsonl", lines)
    coder = FakeCoder({})
    (d,) = evaluate([path], coder, batch_size=4).datasets
    assert d.records == 10 and coder.calls == 3
    (d,) = evaluate([path], FakeCoder({}), limit=3).datasets
    assert d.records == 3


def test_evaluate_score_is_pure_over_given_predictions() -> None:
    records = read_gold_from([gold_line("a", "s", [("USA", "CHN", "042")], "petrarch2_unittest")])
    d = score(records, [[ev("042", "USA", "CHN")]])
    assert d.prf["triple"] == PRF(1, 0, 0)
    with pytest.raises(ValueError, match="predictions"):
        score(records, [])


def read_gold_from(lines: list[dict[str, Any]]) -> list[Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return read_gold(write_gold(Path(tmp) / "g.jsonl", lines))


def test_evaluate_errors_file_lists_misses_and_false_alarms(tmp_path: Path) -> None:
    path, _ = make_case(tmp_path, "petrarch2_unittest")
    answers = {"The harvest was late this year.": [ev("010", "USA", "CHN")]}
    report = evaluate([path], lambda t, date: answers.get(t, []))
    out = tmp_path / "errors.jsonl"
    assert write_errors(report, out) == 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["kind"] for r in rows) == ["false_alarm", "miss", "miss"]
    alarm = next(r for r in rows if r["kind"] == "false_alarm")
    assert alarm["sentence"] == "The harvest was late this year."
    assert alarm["gold"] == [] and alarm["system"][0]["cameo"] == "010"
    assert set(alarm) >= {"id", "dataset", "sentence", "gold", "system", "kind"}


@pytest.fixture
def fake_load(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Event]]:
    answers: dict[str, list[Event]] = {}
    monkeypatch.setattr(eventwire, "load", lambda config=None: FakeCoder(answers))
    return answers


def test_evaluate_cli_prints_table_json_and_errors(
        tmp_path: Path, fake_load: dict[str, list[Event]]) -> None:
    paths = []
    for dataset in ("petrarch2_unittest", "indiapoliceevents_sents"):
        path, coder = make_case(tmp_path, dataset)
        fake_load.update(coder.answers)
        paths.append(str(path))
    runner = CliRunner()
    table = runner.invoke(main, ["evaluate", *paths])
    assert table.exit_code == 0, table.output
    assert "== petrarch2_unittest [cameo]" in table.output
    assert "== indiapoliceevents_sents [police]" in table.output
    assert "ANY_ACTION" in table.output
    result = runner.invoke(main, ["evaluate", *paths, "--format", "json", "--limit", "2",
                                  "--errors", str(tmp_path / "e.jsonl")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["datasets"]["petrarch2_unittest"]["records"] == 2
    assert data["datasets"]["petrarch2_unittest"]["prf"]["root"]["f1"] == 1.0
    assert (tmp_path / "e.jsonl").read_text() == ""


def test_evaluate_cli_bad_gold_is_one_line_error(
        tmp_path: Path, fake_load: dict[str, list[Event]]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "events": []}\n{oops\n')
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_evaluate_cli_missing_file_is_one_line_error(
        tmp_path: Path, fake_load: dict[str, list[Event]]) -> None:
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl" in result.stderr and "cannot read gold file" in result.stderr


def test_evaluate_scores_locations_where_the_gold_names_a_place(tmp_path: Path) -> None:
    from eventwire.records import Location

    kyiv = Location("Kyiv", "UKR", 50.45, 30.52, None, 703448, "place", "sentence")
    lines = [gold_line("p1", "troops shelled a suburb of the capital.",
                       [(None, None, "ASSAULT")], "plover_gsr_cameo"),
             gold_line("p2", "troops shelled a suburb of another city.",
                       [(None, None, "ASSAULT")], "plover_gsr_cameo"),
             gold_line("p3", "a sentence with no event coded.", [(None, None, "ASSAULT")],
                       "plover_gsr_cameo")]
    lines[0]["events"][0]["location"] = [{"name": "Kiev"}]  # a gazetteer name of the place
    lines[1]["events"][0]["location"] = [{"name": "city of Lviv", "country code": "UA"}]
    lines[2]["events"][0]["location"] = [{"name": "Odesa"}]
    path = write_gold(tmp_path / "gold.jsonl", lines)
    hit = replace(ev("190", plover="ASSAULT"), location=kyiv)
    coder = FakeCoder({lines[0]["text"]: [hit], lines[1]["text"]: [hit]})
    [scores] = evaluate([path], coder).datasets
    # p3 has no system event: a detection miss, not a location error
    assert scores.rates["place_accuracy"] == 0.5
    assert scores.rates["country_accuracy"] == 1.0  # Lviv is in Ukraine too
    assert scores.rates["located"] == 1.0 and scores.rates["place_coverage"] == 1.0
    wrong = [e for e in scores.errors if e.kind == "wrong_place"]
    assert [e.id for e in wrong] == ["p2"] and "Lviv" in wrong[0].detail


def test_evaluate_rejects_a_bad_gold_location(tmp_path: Path) -> None:
    line = gold_line("p1", "text", [(None, None, "ASSAULT")], "plover_gsr_cameo")
    line["events"][0]["location"] = [{"name": 7}]
    path = write_gold(tmp_path / "gold.jsonl", [line])
    with pytest.raises(InputError, match=r"gold.jsonl:1: field .events\[0\]\.location\.name."):
        evaluate([path], FakeCoder({}))
