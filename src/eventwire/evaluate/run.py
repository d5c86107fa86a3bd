"""Code gold records with a coder and score them: scheme inference, score, predict, evaluate."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from ..errors import InputError
from ..geo.scoring import score_locations
from ..records import Article, Event
from .acled import score_acled
from .cameo import score_cameo
from .five_class import score_five_class
from .gold import SCHEMES, GoldRecord, group_by_dataset, read_gold
from .mappings import Mappings, load_mappings
from .metrics import asserted
from .plover import score_plover
from .police import score_police
from .report import DatasetScores, EvaluationReport, error_case

# The dev/holdout datasets by name; other files get their scheme from
# meta.scheme or from the shape of their codes.
KNOWN_DATASETS: Mapping[str, str] = MappingProxyType({
    "petrarch2_unittest": "cameo",
    "plover_gsr_cameo": "plover",
    "conflibert_cameo": "five_class",
    "case2021_task2_test": "acled",
    "indiapoliceevents_sents": "police",
})

_GOLD_CODE_SHAPE = re.compile(r"^[0-9]{2,4}[A-Z]?$")

_Scorer = Callable[[Sequence[GoldRecord], Sequence[Sequence[Event]], Mappings, DatasetScores],
                   None]
_SCORERS: Mapping[str, _Scorer] = MappingProxyType({
    "cameo": score_cameo, "plover": score_plover, "five_class": score_five_class,
    "acled": score_acled, "police": score_police,
})


@runtime_checkable
class PipeCoder(Protocol):
    """What `evaluate` needs of a coder: eventwire's Coder satisfies it."""

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]: ...


CodeFunction = Callable[[str, str | None], list[Event]]
"""Any callable (text, date) -> events can stand in for a coder (tests, other systems)."""


def infer_scheme(dataset: str, records: Sequence[GoldRecord], mappings: Mappings) -> str:
    """The label scheme of a dataset: by name, by meta.scheme, else by its codes."""
    declared = {r.scheme for r in records if r.scheme}
    if len(declared) == 1:
        return declared.pop()
    if dataset in KNOWN_DATASETS:
        return KNOWN_DATASETS[dataset]
    codes = {e.code for r in records for e in r.events}
    if not codes or all(_GOLD_CODE_SHAPE.match(c) for c in codes):
        return "cameo"
    for scheme, labels in (("police", set(mappings.police_labels)),
                           ("five_class", set(mappings.five_class_names)),
                           ("plover", set(mappings.plover_types)),
                           ("acled", set(mappings.acled_labels))):
        if codes <= labels:
            return scheme
    raise InputError(f"cannot tell which label scheme dataset {dataset!r} uses "
                     f"(set meta.scheme to one of {', '.join(SCHEMES)})",
                     source=records[0].file)


def score(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
          mappings: Mappings | None = None, *, scheme: str | None = None,
          dataset: str | None = None) -> DatasetScores:
    """Score one dataset: `predictions[i]` are the system's events for `records[i]`.

    Pure: no coding happens here. Events of every modality may be passed; only
    asserted ones count (police FAIL reads negated ones: by definition a police
    action that did not happen). Each dataset keeps its own label space, so it
    is scored under one scheme:

    - ``cameo``: CAMEO codes with actor codes (root, full code, dyad + root, triple);
    - ``plover``: PLOVER types, old (0.5b1) names mapped to the current 16;
    - ``five_class``: the CAMEO quad-like 5 classes of a sentence's primary event;
    - ``acled``: ACLED-style event subtypes, through a documented rule table;
    - ``police``: police actions KILL/ARREST/FAIL/FORCE/ANY_ACTION, through a rule table.

    Counts are micro-averaged over records; within a record, gold and system
    keys are matched as multisets (two gold 041 events need two system 041
    events). Location rates are added for every scheme (geo.scoring).
    """
    if len(records) != len(predictions):
        raise ValueError(f"{len(records)} gold records but {len(predictions)} predictions")
    maps = mappings or load_mappings()
    name = dataset or (records[0].dataset if records else "gold")
    kind = scheme or infer_scheme(name, records, maps)
    scores = DatasetScores(dataset=name, scheme=kind, records=len(records),
                           gold_events=sum(len(r.events) for r in records),
                           system_events=sum(len(asserted(p)) for p in predictions))
    _SCORERS[kind](records, predictions, maps, scores)
    score_locations(records, predictions, scores, maps.plover_types if kind == "plover" else None)
    return scores


def predict(records: Sequence[GoldRecord], coder: PipeCoder | CodeFunction, *,
            batch_size: int = 64,
            progress: Callable[[int], None] | None = None,
            ) -> tuple[list[list[Event]], list[str | None]]:
    """Code every record's text with its date; return events (all modalities) and,
    per record, the error message of a crash (None where coding worked).

    A crash on one record does not stop the run: the batch is redone record by
    record and the failing one scores as "no events" (and is reported).
    """
    events: list[list[Event]] = []
    crashes: list[str | None] = []
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        try:
            events.extend(_code_batch(batch, coder))
            crashes.extend([None] * len(batch))
        except Exception:  # any failure of the system under test is a result
            for record in batch:
                try:
                    events.extend(_code_batch([record], coder))
                    crashes.append(None)
                except Exception as exc:  # recorded as a crash, run goes on
                    events.append([])
                    crashes.append(f"{type(exc).__name__}: {exc}")
        if progress is not None:
            progress(len(batch))
    return events, crashes


def _code_batch(batch: Sequence[GoldRecord], coder: PipeCoder | CodeFunction
                ) -> list[list[Event]]:
    if isinstance(coder, PipeCoder):
        articles = [Article(id=r.id, text=r.text, date=r.date, url=r.url, origin=r.origin)
                    for r in batch]
        by_id = {a.id: list(evs) for a, evs in coder.pipe(articles, all_modalities=True)}
        return [by_id.get(r.id, []) for r in batch]
    return [list(coder(r.text, r.date)) for r in batch]


def evaluate(paths: Iterable[str | Path], coder: PipeCoder | CodeFunction, *,
             limit: int | None = None, batch_size: int = 64,
             progress: Callable[[str, int, int], None] | None = None,
             case: str | None = None) -> EvaluationReport:
    """Code every gold file with `coder` and score it, one block per dataset.

        report = evaluate(["dev/petrarch2_unittest.jsonl"], coder=eventwire.load())
        print(report.format_table())

    `limit` keeps the first N records of each file. `progress(dataset, done,
    total)` is called after each batch. `case` ("lower" or "upper") recases
    every text before coding: how much casing costs, on the same labels.
    """
    maps = load_mappings()
    records: list[GoldRecord] = []
    for path in paths:
        records.extend(read_gold(path, limit=limit))
    if case is not None:
        recase = {"lower": str.lower, "upper": str.upper}[case]
        records = [replace(r, text=recase(r.text)) for r in records]
    report = EvaluationReport()
    for name, group in group_by_dataset(records).items():
        kind = infer_scheme(name, group, maps)
        done = 0

        def step(n: int, name: str = name, total: int = len(group)) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(name, done, total)

        started = time.perf_counter()
        predicted, crashes = predict(group, coder, batch_size=batch_size, progress=step)
        seconds = time.perf_counter() - started
        scores = score(group, predicted, maps, scheme=kind, dataset=name)
        scores.seconds = seconds
        scores.words = sum(len(r.text.split()) for r in group)
        scores.crashes = sum(c is not None for c in crashes)
        scores.errors.extend(error_case(record, "crash", (), crash)
                             for record, crash in zip(group, crashes, strict=True)
                             if crash is not None)
        report.datasets.append(scores)
    return report
