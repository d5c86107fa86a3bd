"""Accuracy against hand-coded gold data: this package owns reading gold JSONL files
(`gold`), the label mapping tables under data/eval/ (`mappings`), counting and
matching (`metrics`), one scorer per label scheme, named for its gold set
(`cameo`: petrarch2 unit tests, `plover`: PLOVER GSR, `five_class`: ConfliBERT
CAMEO, `acled`: CASE 2021, `police`: India Police Events), coding and scoring a
run (`run`: `evaluate`, `score`) and the report (`report`: JSON, table, error
cases). It codes through the pipeline's public Coder API (`pipe`, or any
(text, date) -> events callable), works on `records`, the actor dictionary and
`geo.scoring` for location rates, and imports nothing from store, api or cli.
Scoring rules are documented in docs/accuracy.md.
"""

from __future__ import annotations

from .acled import acled_label
from .cameo import (
    CAMEO_LEVELS,
    gold_actor_code,
    gold_country,
    system_actor_code,
    system_country,
)
from .gold import SCHEMES, GoldEvent, GoldRecord, group_by_dataset, read_gold
from .mappings import Mappings, Rule, load_mappings
from .metrics import PRF, multiset_prf, primary_event
from .plover import PLOVER_LEVELS
from .police import SECURITY_SECTORS, is_police, is_police_word, is_security, police_labels
from .report import DatasetScores, ErrorCase, EvaluationReport, write_errors
from .run import KNOWN_DATASETS, CodeFunction, PipeCoder, evaluate, infer_scheme, predict, score

__all__ = [
    "CAMEO_LEVELS",
    "KNOWN_DATASETS",
    "PLOVER_LEVELS",
    "PRF",
    "SCHEMES",
    "SECURITY_SECTORS",
    "CodeFunction",
    "DatasetScores",
    "ErrorCase",
    "EvaluationReport",
    "GoldEvent",
    "GoldRecord",
    "Mappings",
    "PipeCoder",
    "Rule",
    "acled_label",
    "evaluate",
    "gold_actor_code",
    "gold_country",
    "group_by_dataset",
    "infer_scheme",
    "is_police",
    "is_police_word",
    "is_security",
    "load_mappings",
    "multiset_prf",
    "police_labels",
    "predict",
    "primary_event",
    "read_gold",
    "score",
    "system_actor_code",
    "system_country",
    "write_errors",
]
