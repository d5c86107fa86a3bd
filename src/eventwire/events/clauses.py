"""Where a trigger stands in its sentence: main clause, background clause, passive.

Shared by the event stages: events.triggers (which dates carry the story on),
events.select (background beside a main event), events.build (confidence)
and events.refine (agentless passives).
"""

from __future__ import annotations

from .modality import is_infinitive
from .predicates import Predicate

BACKGROUND = {"relcl": "relative clause", "acl": "relative clause"}
CIRCUMSTANCE = "time phrase"
CIRCUMSTANCE_PREPS = {"after", "following", "since", "before", "amid", "amidst", "despite"}


def main_clause(p: Predicate) -> bool:
    verb = p.verb
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def background(p: Predicate) -> str | None:
    """The kind of background clause the trigger (or its light verb) heads, if any:
    a relative clause, a purpose infinitive or a participial adverbial."""
    verb = p.verb
    if p.kind == "noun" and p.light_verb is None:
        # "surrendered following a government offensive": the event before or
        # around the main one, told as a time phrase, is its circumstance
        head = p.trigger.head
        if (p.trigger.dep_ == "pobj" and head.lower_ in CIRCUMSTANCE_PREPS
                and head.head.pos_ in ("VERB", "AUX")):
            return CIRCUMSTANCE
        return None
    if verb.dep_ in BACKGROUND:
        return BACKGROUND[verb.dep_]
    top = verb
    while top.dep_ in ("xcomp", "conj") and top.head is not top:
        top = top.head
    if top is not verb and top.dep_ in BACKGROUND:
        # "a motion that seeks to widen sanctions and to impose an embargo"
        return BACKGROUND[top.dep_]
    if verb.dep_ == "advcl":
        if is_infinitive(verb):
            return "purpose clause"
        if verb.tag_ == "VBG":
            return "participial clause"
    return None


def passive(p: Predicate) -> bool:
    """The trigger (or its light verb) is a passive with no named doer."""
    verb = p.verb
    if p.kind == "noun" and p.light_verb is None:
        return False
    participle = verb.dep_ == "acl" and verb.tag_ == "VBN"  # "the people arrested on Friday"
    return (participle or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)) and not any(
        c.dep_ == "agent" for c in verb.children)
