"""Rules between the triggers of one sentence (a sentence stage).

One trigger's reading changes another's: a stated intent or threat recodes
its complement, an appeal or a demand takes the code of what is asked for, a
refusal the code of what is refused, a protest absorbs its demand, an attack
its casualties. `combine` documents each rule; the words are in
events.modality, events.intent and events.motion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from .. import attribution
from ..actors.resolver import Mention
from ..ontology import Ontology
from .intent import intent_code, request_code
from .modality import ModalityResult, is_infinitive
from .motion import MEETING_ROOTS, travel_under_way
from .reading import Reading
from .roles import DOCUMENTS, participle_subject

if TYPE_CHECKING:
    from ..stages import Sentence

REFUSALS = {"refuse", "decline", "reject"}
REPORTED_MODALS = {"must": "demand", "should": "appeal", "would": "intent"}
# cooperative actions whose stated non-performance ("will not release") is a refusal (12x)
REFUSABLE_ROOTS = {"03", "04", "05", "06", "07", "08"}
FUTURE_AUX = {"will", "would", "wo", "shall"}
CONDITIONAL_THREAT_MODALS = {"may", "might", "could"}
SENDING = {"send", "dispatch", "despatch", "deploy"}
# "..., killing 20 and wounding 40": the toll of the attack the clause hangs on
CASUALTY_VERBS = {"kill", "wound", "injure", "maim", "hurt"}
VIOLENT_ROOTS = ("18", "19", "20")
# "offered troops", "pledged $5 million": CAMEO 03x ("offer, promise ... to provide")
OFFERS = {"offer", "pledge", "promise"}


class Combine:
    """The sentence stage: `combine` over the sentence's readings."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology

    def __call__(self, s: Sentence) -> None:
        mentions, day = s.mentions, s.day
        combine(s.readings, lambda t: mentions.resolve(t, day), self.valid)

    def valid(self, code: str, fallback: str) -> str:
        """`code`, else its three-digit parent, if the ontology has it; else `fallback`."""
        for c in (code, code[:3]):
            if self.ontology.is_valid(c):
                return c
        return fallback


def combine(readings: list[Reading], resolve: Callable[[Token], Mention | None],
            valid: Callable[[str, str], str]) -> None:
    """Rules between the triggers of one sentence (see events.modality for the words):

    - "plans to visit", "threatened to attack": the complement is recoded as an
      intent (03x) or threat (13x), with the governor's subject, and the governor
      gives way to it;
    - "urged Russia to negotiate", "demanded the release": a generic appeal or
      demand takes the specific code of what is asked for (026, 1053);
    - "refused to meet": the refusal takes the specific rejection code (125);
    - "heads to Beijing for talks", "left for Moscow": travel not yet arrived is
      the intent to meet (036), not the visit (events.motion);
    - "X said Y must/should/would ...": a demand (10x) or appeal (02x) from X to Y,
      or Y's stated intent.
    """
    by_trigger = {r.pred.trigger.i: r for r in readings}
    by_verb = {**{r.pred.light_verb.i: r for r in readings if r.pred.light_verb is not None},
               **by_trigger}
    for r in readings:
        verb = r.pred.trigger
        if (r.fwd[:2] in MEETING_ROOTS and r.mod.modality == "asserted" and not r.mod.intent
                and (why := travel_under_way(r.pred.verb))):
            # "heads to Beijing for talks": the meeting is ahead, its intent is the event
            r.fwd, r.rev = valid(intent_code(r.fwd, "intent") or "036", "036"), ""
            r.mod = replace(r.mod, reason=f"{why}: intent to meet")
        protest = by_verb.get(verb.head.i) if verb.dep_ in ("advcl", "xcomp") else None
        if (protest is not None and protest is not r and protest.fwd[:2] == "14"
                and r.fwd[:2] in ("10", "02")):
            # "marched to demand reforms": CAMEO codes the protest, its demand
            # only picks the protest's sub-code; not an event of its own
            r.drop = "the demand of a protest, coded with it"
        riot = by_verb.get(verb.head.i) if verb.dep_ == "advcl" and verb.tag_ == "VBG" else None
        if (riot is not None and riot is not r and riot.fwd[:3] == "145"
                and r.fwd[:2] in ("18", "19") and not r.targets):
            # "prisoners rioted, setting fire to mattresses": the damage done is
            # the violent protest itself (145), not an attack on someone
            r.drop = "the damage of a riot, coded with it"
        if verb.lemma_.lower() in OFFERS and r.fwd[:2] in ("06", "07") and not r.mod.intent:
            # the codebook's 031-033: an offer or pledge of aid is the intent to give it
            r.fwd, r.rev = valid(intent_code(r.fwd, "intent") or "030", "030"), ""
        toll = verb.head if verb.dep_ == "conj" and verb.head.dep_ == "advcl" else verb
        attack = (by_verb.get(toll.head.i) if toll.dep_ == "advcl" and toll.tag_ == "VBG"
                  and verb.tag_ == "VBG" else None)
        if (attack is not None and attack is not r and r.fwd[:2] in VIOLENT_ROOTS
                and (attack.fwd[:2] in VIOLENT_ROOTS or attack.fwd[:3] == "175")
                and verb.lemma_.lower() in CASUALTY_VERBS
                and not attack.mod.intent and attack.mod.modality == r.mod.modality):
            # "shelled the town, killing 20": the dead are the attack's toll,
            # one event (the codebooks code the act; fatalities are its attribute)
            r.drop = "the casualties of an attack, coded with it"
            attack.targets = attack.targets or r.targets  # "attacked a convoy, killing 7 soldiers"
        sender = by_verb.get(verb.head.i) if verb.dep_ == "advcl" else None
        if (sender is not None and sender is not r and r.fwd[:2] == "09"
                and sender.pred.trigger.lemma_.lower() in SENDING
                and is_infinitive(verb)
                and (r.sources or sender.sources)):
            # "sent a team to investigate ...": the codebook's 090 example codes
            # the investigation, by the sender
            sender.drop = "sends people to investigate, coded as the investigation"
            r.sources = r.sources or sender.sources
    for r in readings:
        gov = by_trigger.get(r.mod.governor.i) if r.mod.governor is not None else None
        if r.mod.intent:
            planned = intent_code(r.fwd, r.mod.intent)
            if planned is None:
                r.mod = ModalityResult("hypothetical", governor=r.mod.governor,
                                       reason=r.mod.reason + "; no intent code for it")
                continue
            if not r.sources and gov is not None:
                r.sources = gov.sources
            # recoded also when nobody known intends it ("unidentified forces
            # intended to take the hill"): a plan is never the asserted act
            r.fwd, r.rev = planned, ""
            if gov is not None and r.sources:
                gov.drop = "governs a stated intent or threat, coded there"
        elif gov is not None and r.mod.modality == "hypothetical" and gov.fwd in ("020", "100"):
            kind = "appeal" if gov.fwd == "020" else "demand"
            gov.fwd = valid(request_code(r.fwd, kind), gov.fwd)
            gov.targets = gov.targets or r.sources
        elif (gov is not None and r.mod.modality == "negated"
              and gov.pred.trigger.lemma_.lower() in REFUSALS):
            # "declined to comment" is CAMEO 011, other refusals are 12x
            refused = "011" if r.fwd.startswith("01") else request_code(r.fwd, "reject")
            gov.fwd = valid(refused, gov.fwd or "120")
            gov.targets = gov.targets or r.targets
        elif (r.mod.modality == "negated" and r.mod.governor is None
              and r.fwd[:2] in REFUSABLE_ROOTS and (r.fwd != "040" or r.targets)
              and future_negated(r.pred.verb)):
            # "will not lift the embargo", "said it would not accept refugees":
            # a stated refusal, 12x (the codebook's 1223 and 1242 examples)
            r.fwd, r.rev = valid(request_code(r.fwd, "reject"), "120"), ""
            r.mod = ModalityResult("asserted", reason="refusal: 'will not'")
        elif (r.mod.modality == "hypothetical" and r.mod.modal in CONDITIONAL_THREAT_MODALS
              and r.fwd[:2] >= "14" and r.sources
              and has_condition(r.pred.verb)):
            # "may halt its mediation if ...", "could impose sanctions unless ...":
            # a conditional conflictual act is a threat (13x)
            r.fwd, r.rev = intent_code(r.fwd, "threat") or "130", ""
            r.mod = ModalityResult("asserted", reason=f"'{r.mod.modal}' + condition: threat")
        elif r.mod.modal in REPORTED_MODALS:
            reporter = reporting_subject(r.pred.trigger)
            said_by = resolve(reporter) if reporter is not None else None
            kind = REPORTED_MODALS[r.mod.modal]
            if kind == "intent" and said_by is not None:
                planned = intent_code(r.fwd, "intent")
                if planned:
                    r.fwd, r.rev = planned, ""
                    r.mod = ModalityResult("asserted", reason=f"reported '{r.mod.modal}': intent")
            elif said_by is not None and r.sources:
                r.targets, r.sources = r.sources, [said_by]
                r.fwd, r.rev = valid(request_code(r.fwd, kind), "100"), ""
                r.mod = ModalityResult("asserted", reason=f"reported '{r.mod.modal}': {kind}")


def reporting_subject(trigger: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds the trigger."""
    t = trigger
    doc = t.head
    if (t.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
            and doc.lemma_.lower() in DOCUMENTS and doc.dep_ == "dobj"):
        # "issued a reminder that Libya must ...": the issuer of the document
        subj = next((c for c in doc.head.children if c.dep_ == "nsubj"), None)
        return participle_subject(subj) if subj is not None else None
    for _ in range(4):
        if t.dep_ not in ("ccomp", "conj") or t.head.i == t.i:
            return None
        t = t.head
        if t.lemma_.lower() in attribution.REPORTING:
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            return participle_subject(subj) if subj is not None else None
    return None


def future_negated(verb: Token) -> bool:
    """'will not X', 'would not X', "won't X": a negation on a future or conditional auxiliary."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & FUTURE_AUX) and any(c.dep_ == "neg" for c in verb.children)


def has_condition(verb: Token) -> bool:
    """An 'if'/'unless' clause attached to the verb."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children) for c in verb.children)
