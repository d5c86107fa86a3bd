"""The triggers of a sentence, each read into a Reading (a sentence stage).

Per trigger, in order: the lexicon's pattern (events.predicates), its
modality (events.modality), its date (dates, carried on from the story's
last dated day), and its roles (events.roles) resolved to actors by the
sentence's Mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..actors.resolver import Mention
from ..dates import resolve_date
from .clauses import main_clause
from .lexicon import Lexicon
from .modality import modality_of
from .predicates import Predicate, find_predicates
from .reading import Reading, Trace, forward_code
from .roles import noun_sources, noun_targets, verb_sources, verb_targets

if TYPE_CHECKING:
    from ..stages import Sentence

VISITS = {"042", "043"}
# people who act, though no actor of the dictionaries ("three members of ...")
DOER_NOUNS = {"member", "trooper", "assailant", "attacker", "fighter", "man", "woman", "youth",
              "supporter", "follower", "loyalist", "cadre", "unit", "force", "squad", "commando",
              "group", "faction", "gang", "mob", "crowd", "people", "person", "resident", "villager",
              "kamikaze", "jihadist", "sniper", "gunman", "raider", "assassin", "vigilante"}


class ReadTriggers:
    """The sentence stage: `Sentence.readings`, one per trigger the lexicon finds."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, s: Sentence) -> None:
        mentions, day = s.mentions, s.day

        def has_actor(noun: Token) -> bool:
            return mentions.has_actor(noun, day)

        for p in find_predicates(s.sent, self.lexicon, has_actor):
            trace = Trace(p.trigger.text, p.rule)
            s.traces.append(trace)
            mod = modality_of(p.trigger)
            when = resolve_date(s.sent, s.report, anchor=p.trigger, context=s.last_date)
            date = when.date if when else day
            src_toks, tgt_groups = roles(p)
            sources = [m for t in src_toks if (m := mentions.resolve(t, date)) is not None]
            targets: list[Mention] = []
            for group in tgt_groups:
                targets = [m for t in group if (m := mentions.resolve(t, date)) is not None
                           and not _place_not_target(t, m)]
                if targets:
                    break
            fwd, _, rev = p.code.partition(":")
            s.readings.append(Reading(p, mod, trace, when, date, sources, targets, fwd or rev, rev,
                                      doer_unknown=not sources and any(map(_doer_like, src_toks))))
            if when is not None and when.precision == "day" and main_clause(p):
                # "the same day" refers to a day of the story's main line, not to a
                # date in a relative clause ("..., which Russia invaded on Feb. 24")
                s.last_date = when


def roles(p: Predicate) -> tuple[list[Token], list[list[Token]]]:
    """The source tokens and the target token groups (the first that resolves wins)."""
    if p.kind == "noun":
        return noun_sources(p.trigger, p), noun_targets(p.trigger, p.target_preps, p)
    return verb_sources(p.trigger), verb_targets(p.trigger, p, forward_code(p.code)[:3] in VISITS)


def _doer_like(tok: Token) -> bool:
    """A subject that names people: a name or a noun for them (not "the storm",
    "floods"). An unresolved pronoun is no evidence: it is left to coreference."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PROPN"
            or tok.lemma_.lower() in DOER_NOUNS or tok.lower_.rstrip("s") in DOER_NOUNS)


def _place_not_target(tok: Token, m: Mention) -> bool:
    """'fired at protesters' names a target, 'talks at Geneva' a place."""
    return tok.head.lower_ == "at" and m.kind in ("country", "capital")
