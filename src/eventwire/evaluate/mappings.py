"""The mapping tables shipped under data/eval/: event and actor codes -> gold labels."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of an event -> label table (ACLED-style or police)."""

    label: str
    cameo: tuple[str, ...]  # code prefixes; empty = the label has no equivalent
    source_sectors: frozenset[str] = frozenset()
    target_sectors: frozenset[str] = frozenset()  # "-" stands for no target
    keywords: re.Pattern[str] | None = None  # searched in the evidence sentence
    modality: str = "asserted"
    agentless: bool = False  # police: may apply to an event with no source
    reported: bool = False  # police: may apply to an event the police report
    note: str = ""

    def matches_code(self, cameo: str) -> bool:
        return any(cameo.startswith(p) for p in self.cameo)

    def matches_sentence(self, sentence: str) -> bool:
        return self.keywords is None or bool(self.keywords.search(sentence.lower()))


@dataclass(frozen=True, slots=True)
class Mappings:
    plover_types: Mapping[str, str]  # old or current name -> current name
    country_aliases: Mapping[str, str]  # non-ISO code -> canonical code
    five_class_roots: Mapping[str, str]  # CAMEO root -> class
    five_class_names: Mapping[str, str]
    acled_rules: tuple[Rule, ...]  # first match wins
    acled_labels: tuple[str, ...]  # every label the table knows, mapped or not
    police_rules: tuple[Rule, ...]  # every matching row adds its label
    police_labels: tuple[str, ...]


def _read_table(name: str) -> list[dict[str, str]]:
    ref = resources.files("eventwire").joinpath("data", "eval", name)
    try:
        text = ref.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read package table data/eval/{name}: {exc}") from exc
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if None in row or None in row.values():
            raise ConfigError(f"data/eval/{name}:{number}: wrong number of fields")
        rows.append({k: v.strip() for k, v in row.items()})
    return rows


def _keywords(spec: str) -> re.Pattern[str] | None:
    # Word-initial prefixes: "kill" matches killed/killing, not "skill".
    words = [w.strip().lower() for w in spec.split("|") if w.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")


def _rules(rows: list[dict[str, str]], table: str) -> tuple[Rule, ...]:
    rules = []
    for i, row in enumerate(rows, start=2):
        if not row.get("label"):
            raise ConfigError(f"data/eval/{table}:{i}: empty label")
        modality = row.get("modality") or "asserted"
        if modality not in ("asserted", "negated", "hypothetical"):
            raise ConfigError(f"data/eval/{table}:{i}: bad modality {modality!r}")
        rules.append(Rule(
            label=row["label"],
            cameo=tuple(row.get("cameo", "").split()),
            source_sectors=frozenset(row.get("source_sectors", "").split()),
            target_sectors=frozenset(row.get("target_sectors", "").split()),
            keywords=_keywords(row.get("keywords", "")),
            modality=modality,
            agentless=row.get("agentless", "no") == "yes",
            reported=row.get("reported", "no") == "yes",
            note=row.get("note", ""),
        ))
    return tuple(rules)


def load_mappings() -> Mappings:
    """Load the mapping tables shipped under data/eval/ (documented in docs/accuracy.md)."""
    plover = {r["old"]: r["current"] for r in _read_table("plover_types.csv")}
    aliases = {r["code"]: r["canonical"] for r in _read_table("country_aliases.csv")}
    roots: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in _read_table("conflibert_classes.csv"):
        names[row["class"]] = row["name"]
        for root in row["cameo_roots"].split():
            roots[root] = row["class"]
    acled = _rules(_read_table("case2021_rules.csv"), "case2021_rules.csv")
    police = _rules(_read_table("police_rules.csv"), "police_rules.csv")
    return Mappings(
        plover_types=MappingProxyType(plover),
        country_aliases=MappingProxyType(aliases),
        five_class_roots=MappingProxyType(roots),
        five_class_names=MappingProxyType(names),
        acled_rules=tuple(r for r in acled if r.cameo),
        acled_labels=tuple(dict.fromkeys(r.label for r in acled)),
        police_rules=police,
        police_labels=tuple(dict.fromkeys(r.label for r in police)),
    )
