"""The code and the sides of one reading's events (part of events.build).

From the trigger's code and roles to the event CAMEO would code: ordinary
senses are dropped (events.senses); "more police were deployed" makes the
force the doer; who died is a victim; both sides of a clash "between" them
are doers; a weapon as the doer takes the attack's code (events.violence);
seizing people is detaining them, seizing a town occupying it; protesters'
violence is a riot and force on protesters repression; an agentless act
without a named target gives no event unless it is physical or implies its
doer (actors.implied).
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Token

from ..actors.implied import implied_sector
from ..actors.resolver import Mention
from .clauses import passive
from .lexicon import Lexicon
from .predicates import Predicate
from .reading import Reading
from .senses import ordinary_sense
from .violence import (
    ARMED,
    aerial_code,
    combat_force,
    instrument_code,
    instrument_subject,
    irregular_assault,
    mentions_protesters,
    protest_code,
    seizes_weapons,
)

DEPLOY_CODES = ("153", "154")  # mobilize police / armed forces
PHYSICAL_ROOTS = {"17", "18", "19", "20"}
DEATH_VERBS = {"die", "perish"}


class Refined(NamedTuple):
    fwd: str  # the code from source to target
    rev: str  # the reverse code of a reciprocal event ("" when none)
    sources: list[Mention]
    targets: list[Mention]


PEOPLE_SECTORS = {"PPL", "CVL", "OPP", "CRM", "REB", "ACT", "EDU", "LAB", "REL", "REF", "MED",
                  "BUS", "AGR", "UAF", "INS", "SEP", "JUD", "LEG", "GOV", "MIL", "COP"}

PLACE_NOUNS = {"town", "city", "village", "port", "base", "area", "region", "province", "district",
               "territory", "airport", "hill", "mountain", "border", "crossing", "outpost",
               "position", "stronghold", "island", "capital", "headquarters", "camp", "bridge",
               # added with the ACLED-style review: more places taken in fighting, and
               # "control" ("seized control of the city": the object is the place's control)
               "neighborhood", "neighbourhood", "suburb", "oilfield", "field", "checkpoint",
               "highway", "road", "enclave", "barracks", "compound", "hilltop", "airfield",
               "airbase", "county", "control", "ground",
               # round 2: district centres and military posts are places taken too
               "centre", "center", "post"}

# verbs coded 173 by a pattern that also take things ("took time", "sent a circular")
TAKING_VERBS = {"take", "send", "pick", "book", "put", "place", "keep", "hold", "restrict",
                "bring", "lodge"}


def refine(r: Reading, lexicon: Lexicon) -> Refined | None:
    """The code and the sides of `r`'s events; None when it gives none (`r.drop`
    says why, when a rule dropped it). May reassign `r.sources` and `r.targets`."""
    p = r.pred
    if sense := ordinary_sense(p, r.fwd, r.sources, r.targets):
        r.drop = sense  # "pushed back the launch", "regained ground in the polls"
        return None
    if not r.sources and r.targets and r.fwd[:3] in DEPLOY_CODES and passive(p):
        # "more police were deployed": the force deployed is the doer of 153/154
        r.sources, r.targets = r.targets, []
    if p.kind == "verb" and p.trigger.lemma_.lower() in DEATH_VERBS and r.fwd[:2] in PHYSICAL_ROOTS:
        # "four protesters died": who died is the victim, never the doer
        r.sources, r.targets = [], r.sources + r.targets
        r.doer_unknown = True
    if not r.sources and r.fwd[:2] in PHYSICAL_ROOTS and between(p) \
            and len({t.actor.code for t in r.targets}) > 1:
        # "clashes broke out between police and protesters": both sides are doers;
        # where one side protests, its riot is the event (as "police clashed with
        # protesters")
        doc = p.trigger.doc
        rioters = [t for t in r.targets if mentions_protesters(doc[i] for i in t.tokens)]
        others = [t for t in r.targets if t not in rioters]
        r.sources, r.targets = (rioters, others) if rioters and others else (r.targets, [])
    # "a roadside bomb killed three soldiers": a weapon or an attack as the doer
    instrument = (instrument_subject(p.trigger) if not r.sources and p.kind == "verb"
                  and r.fwd[:2] in PHYSICAL_ROOTS else None)
    if not r.sources and instrument is None and not (
            passive(p) and (r.targets or p.kind == "noun" or r.fwd[:2] in PHYSICAL_ROOTS)
    ) and not (r.doer_unknown and p.kind == "verb" and unknown_doer_kept(r)
               ) and implied_sector(r.fwd) is None:
        # an agentless passive needs a named target ("40 people were arrested"),
        # unless an event noun ("arrests were made") or a physical act ("four
        # were arrested", "a man was killed") carries the event; a custody or
        # crowd-control act needs no named doer: it implies one (actors.implied)
        return None
    fwd = r.fwd if instrument is None else instrument_code(instrument, lexicon, r.fwd)
    if (fwd.startswith("171") or fwd == "192") and not takes_a_place(p.trigger) and any(
            is_people(t) for t in r.targets) and not seizes_weapons(p.trigger):
        fwd = "173"  # seizing people is detaining them; 171 is property, 192 territory
    elif (fwd.startswith("171") or fwd == "0841") and takes_a_place(p.trigger):
        fwd = "192"  # seizing (or "freeing") a town or a base is occupying territory
    elif fwd == "174" and any((t.actor.sector or "") in ARMED for t in r.targets) \
            and out_of_a_place(p.trigger):
        fwd = "192"  # forcing fighters out of a village is taking it, not deporting them
    elif fwd == "174" and any((t.actor.sector or "") in ARMED for t in r.targets) \
            and any((s.actor.sector or "") in ARMED for s in r.sources):
        fwd = "190"  # an armed force pushing fighters back is fighting them, no expulsion
    elif fwd == "084" and any(is_people(t) for t in r.targets):
        fwd = "0841"  # releasing prisoners, hostages, fighters: CAMEO's release of persons
    doc = p.trigger.doc
    # protesters' violence is a riot (145), force used on protesters repression (175)
    # a country standing alone as the doer is its state ("Israeli attacks on protesters")
    refined, swap = protest_code(fwd, p.trigger, [doc[i] for m in r.sources for i in m.tokens],
                                 {m.actor.sector or ("GOV" if m.actor.country else "")
                                  for m in r.sources},
                                 [doc[i] for m in r.targets for i in m.tokens])
    sources, targets = (r.targets, r.sources) if swap else (r.sources, r.targets)
    rev = r.rev if refined == fwd else ""
    fwd = irregular_assault(refined, p.trigger, {s.actor.sector or "" for s in sources},
                            {t.actor.sector or "" for t in targets})
    fwd = combat_force(fwd, {s.actor.sector or "" for s in sources},
                       {t.actor.sector or "" for t in targets})
    fwd = aerial_code(fwd, [doc[i] for m in sources for i in m.tokens],
                      [t for t in (p.trigger, p.light_verb) if t is not None])
    if p.people_only and not any(is_people(t) for t in r.targets):
        r.drop = "no people held"
        return None
    if fwd.startswith("173") and things_taken(p, r.targets):
        r.drop = "a thing taken, not people"  # "took time", "sent a circular to the jails"
        return None
    return Refined(fwd, rev, sources, targets)


def between(p: Predicate) -> bool:
    """The trigger, its light verb or its event noun has a "between" phrase."""
    heads = [t for t in (p.trigger, p.light_verb) if t is not None]
    heads += [c for h in heads for c in h.children if c.dep_ == "nsubj"]
    return any(c.dep_ == "prep" and c.lower_ == "between" for h in heads for c in h.children)


def unknown_doer_kept(r: Reading) -> bool:
    """Violence and the taking of places stay events when their doer is named but
    is no actor we know ("three members of a little-known front hurled grenades",
    "troopers captured two camps"): CAMEO codes the act with an unknown source, as
    it codes an agentless passive. Other events need a known source."""
    return r.fwd[:2] in ("18", "19", "20") or r.fwd.startswith("171")


def is_people(m: Mention) -> bool:
    """A person or a group of people, not a country or a place."""
    return m.kind in ("person", "title", "group", "agent") or (m.actor.sector or "") in PEOPLE_SECTORS


def out_of_a_place(verb: Token) -> bool:
    """'out of' or 'from' a place: 'pushed the militants out of several villages'."""
    return any(t.dep_ == "pobj" and t.head.lower_ in ("of", "from")
               and (t.ent_type_ in ("GPE", "LOC", "FAC") or t.lemma_.lower() in PLACE_NOUNS)
               for t in verb.subtree)


def things_taken(p: Predicate, targets: list[Mention]) -> bool:
    """A taking verb coded as an arrest whose direct object is a thing, not people."""
    if p.kind != "verb" or p.trigger.lemma_.lower() not in TAKING_VERBS:
        return False
    covered = {i for m in targets for i in m.tokens}
    return any(c.dep_ == "dobj" and c.pos_ == "NOUN" and not covered & {t.i for t in c.subtree}
               and c.lemma_.lower() not in p.object_words and c.lower_ not in p.object_words
               for c in p.trigger.children)  # the pattern's own object ("registered a case") stays


def takes_a_place(verb: Token) -> bool:
    """The object is a place: a named location or a noun such as 'town' or 'base'."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.lemma_.lower() in PLACE_NOUNS:
            return True
    return False
