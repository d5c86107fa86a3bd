"""A kept reading's events (called by events.select for each reading it keeps).

events.refine settles the code and the sides; here each source-target pair
becomes an Event with the ontology's names and scores (CAMEO, PLOVER,
Goldstein), its attribution (attribution) and a confidence, and then goes
through the Coder's event stages (geolocation) in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .. import attribution
from ..actors.resolver import Mention
from ..ontology import Ontology
from ..records import Event
from .clauses import main_clause
from .lexicon import Lexicon
from .predicates import Predicate
from .reading import Reading, forward_code
from .refine import refine

if TYPE_CHECKING:
    from ..stages import EventStage, Sentence

# PLOVER RETREAT mode resign: an official's resignation that has
# happened (CAMEO codes it 083x, yielding to demands, which the crosswalk makes CONCEDE)
RESIGNATIONS = {"resign", "abdicate", "quit", "step"}

Pair = tuple[Mention | None, Mention | None, str]


class BuildEvents:
    """Reading -> events; `event_stages` run on each event (the Coder's list, shared)."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology,
                 event_stages: Sequence[EventStage]) -> None:
        self.lexicon = lexicon
        self.ontology = ontology
        self.event_stages = event_stages

    def __call__(self, r: Reading, s: Sentence) -> list[Event]:
        refined = refine(r, self.lexicon)
        if refined is None or not self.ontology.is_valid(refined.fwd):
            return []
        p, sent, article = r.pred, s.sent, s.article
        reported = tuple(attribution.attribute(p.trigger, s.own_attr, s.neighbours))
        confidence = _confidence(p, bool(r.targets), bool(r.sources))
        events = []
        # the evidence as written, where capitals were folded for the parse
        text, trigger = (_as_written(article.text, t.text, t.start_char if isinstance(t, Span)
                                     else t.idx) for t in (sent, p.trigger))
        for src, tgt, c in pairs(refined.sources, refined.targets, refined.fwd, refined.rev):
            if not self.ontology.is_valid(c):
                continue
            info = self.ontology.cameo(c)
            plover, mode = self.ontology.plover(c)
            if c[:2] == "08" and r.mod.modality == "asserted" and _resigns(p.trigger):
                plover, mode = "RETREAT", "resign"
            event = Event(
                article_id=article.id, sentence_index=s.index, sentence=text,
                span=(sent.start_char, sent.end_char), trigger=trigger,
                date=r.date, date_precision=r.when.precision if r.when else "day",
                report_date=s.day, source=src.actor if src else None,
                target=tgt.actor if tgt else None,
                cameo=info.code, cameo_root=info.root, cameo_name=info.name,
                goldstein=info.goldstein, quad_class=info.quad_class,
                plover=plover or None, plover_mode=mode or None, modality=r.mod.modality,
                reported_by=reported, confidence=confidence,
            )
            for stage in self.event_stages:
                event = stage(event, r, s)
            events.append(event)
        return events


def pairs(sources: list[Mention], targets: list[Mention], fwd: str, rev: str) -> list[Pair]:
    """(source, target, code) of each event: every doer with every other target,
    and back with `rev` for a reciprocal event."""
    out: list[Pair] = []
    if not targets and len({s.actor.code for s in sources}) > 1:
        # "Armenia and Azerbaijan signed a ceasefire": each with the other
        for s in sources:
            out += [(s, t, fwd) for t in sources if t.actor.code != s.actor.code]
    else:
        doers: list[Mention | None] = [*sources] or [None]  # None: an agentless passive
        for doer in doers:
            others = [t for t in targets if doer is None or t.actor.code != doer.actor.code]
            if not others:
                # no target, or only the doer itself ("blew themselves up",
                # "the army set up a military base"): the event has no target
                out.append((doer, None, fwd))
            for t in others:
                out.append((doer, t, fwd))
                if rev and doer is not None:
                    out.append((t, doer, rev))
    return out


def _as_written(original: str, parsed: str, start: int) -> str:
    """The article's own characters under `parsed` (lowercased by fold_shouting)."""
    own = original[start:start + len(parsed)]
    return own if own != parsed and own.lower() == parsed.lower() else parsed


def _confidence(p: Predicate, has_target: bool, has_source: bool) -> float:
    """How sure the coder is, and which event of a sentence is its main one:
    a specific pattern, both actors, and the main clause raise it; a bare
    statement (CAMEO 01) or an event noun lowers it."""
    score = 0.45 + 0.1 * min(p.specificity, 2)
    score += 0.1 if has_target else 0.0
    score += 0.05 if has_source else -0.1
    if main_clause(p):
        score += 0.1
    if forward_code(p.code).startswith("01") and forward_code(p.code)[:3] not in ("015", "016"):
        # claiming or denying responsibility for an act is no bare statement
        score -= 0.2
    if p.kind == "noun" and p.light_verb is None:
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


def _resigns(verb: Token) -> bool:
    """"resigned", "stepped down", "quit": an official leaving office (past, asserted)."""
    lemma = verb.lemma_.lower()
    if lemma == "step" and not any(c.lower_ in ("down", "aside") for c in verb.children):
        return False
    return lemma in RESIGNATIONS and verb.tag_ in ("VBD", "VBN")
