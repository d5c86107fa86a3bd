"""Modality of a trigger: asserted, negated or hypothetical; and stated intent.

Rules, over the dependency parse:

- negated: the trigger or an auxiliary of it carries a negation ("did not
  attack", "never met"); a determiner "no" on an event noun ("no talks");
  or the trigger sits in the complement of a negating governor ("refrained
  from condemning", "failed to reach", "denied that ... attacked", "has yet
  to call", "without consulting").
- hypothetical: a modal auxiliary (could, would, might, may, should, must),
  a conditional clause ("if", "unless") on the trigger's path to the root, a
  question, or the complement of a governor that wants rather than reports
  ("urged Russia to resolve", "called for talks", "proposed to meet").
- intent: the complement of an intent governor ("willing to hold talks",
  "plans to visit", "will help", "threatened to attack"): the pipeline
  recodes it with CAMEO's intent (03x) or threat (13x) codes.

The walk from the trigger to its governors follows complement links only
(xcomp, ccomp, pcomp, prep, acomp, conj of a complement); it stops at
relative and adverbial clauses, which are events of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..records import Modality

NEGATORS = {"refrain", "fail", "refuse", "decline", "avoid", "deny", "reject", "cease",
            "abstain", "forgo", "neglect", "stop", "halt"}
HYPOTHETICAL_GOVERNORS = {"urge", "call", "ask", "demand", "want", "hope", "try", "seek",
                          "attempt", "propose", "suggest", "expect", "wish", "press",
                          "appeal", "request", "consider", "encourage", "need", "require",
                          "recommend", "advise", "plead", "beg", "push", "order", "tell",
                          "invite", "allow", "permit", "may", "likely", "unlikely", "possible",
                          "liable",
                          # an accusation is the accuser's event, not proof of the deed
                          "accuse", "blame", "allege", "suspect", "charge"}
INTENT_GOVERNORS = {"willing", "ready", "prepared", "eager", "keen", "plan", "intend",
                    "pledge", "vow", "promise", "offer", "agree", "decide", "aim", "prepare",
                    "resolve", "commit", "determine", "set", "going", "about", "due",
                    "swear"}  # "swore to fight on": a vow
THREAT_GOVERNORS = {"threaten", "warn"}
NEGATIVE_PRONOUNS = {"nobody", "none", "nothing", "noone", "neither"}
# governors that order with an infinitive but report with a finite clause
REPORT_OR_ORDER = {"tell", "advise"}
MODALS = {"could", "would", "might", "may", "should", "must", "can", "ought"}
FUTURE = {"will", "shall", "'ll"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "pcomp", "prep", "acomp", "pobj", "oprd"}


@dataclass(frozen=True, slots=True)
class ModalityResult:
    modality: Modality
    intent: str | None = None  # "intent" | "threat" when the complement is a stated plan
    governor: Token | None = None  # the governing word of the intent or negation
    reason: str = ""
    modal: str | None = None  # the modal auxiliary on the trigger itself ("must")


def governors(trigger: Token) -> list[tuple[Token, Token]]:
    """(link, head) pairs reached from the trigger through complement links,
    nearest first; `link` is the child of `head` on the path."""
    out: list[tuple[Token, Token]] = []
    t = trigger
    for _ in range(8):
        if t.dep_ == "conj":
            t = t.head  # a conjoined verb shares its head's governors
            continue
        if t.dep_ not in COMPLEMENT_DEPS or t.head.i == t.i:
            break
        out.append((t, t.head))
        t = t.head
    return out


def _negative_np(tok: Token) -> bool:
    """'nobody', 'none of them', 'no one', 'no protesters', 'not a single activist'."""
    return tok.lower_ in NEGATIVE_PRONOUNS or any(
        (c.dep_ == "det" and c.lower_ == "no") or c.dep_ == "neg" for c in tok.children)


def is_infinitive(tok: Token) -> bool:
    """A to-infinitive: "(to) disperse", "(to) demand"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _negated_here(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    return any(c.dep_ == "aux" and any(g.dep_ == "neg" for g in c.children) for c in tok.children)


def _has_yet_to(tok: Token) -> bool:
    # "has yet to call": 'yet' modifies the governing 'have' or the verb itself
    return any(c.lower_ == "yet" for c in (*tok.children, *tok.head.children)) and any(
        c.lower_ == "to" and c.dep_ == "aux" for c in tok.children)


def _conditional(tok: Token) -> bool:
    t = tok
    for _ in range(12):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return False


def _question(sent: Span) -> bool:
    """The sentence's text ends with '?' (spaces aside): read from its last tokens."""
    for t in reversed(sent):
        text = t.text.rstrip()
        if text:
            return text.endswith("?")
    return False


def modality_of(trigger: Token) -> ModalityResult:
    if _negated_here(trigger) or _has_yet_to(trigger):
        return ModalityResult("negated", reason="negation on the trigger")
    if any(_negative_np(c) for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")):
        return ModalityResult("negated", reason="negative subject")
    if trigger.dep_ == "pcomp" and trigger.head.lower_ == "without":
        return ModalityResult("negated", reason="'without' + trigger")
    aux = {c.lower_ for c in trigger.children if c.dep_ in ("aux", "auxpass")}
    if aux & MODALS:
        modal = sorted(aux & MODALS)[0]
        return ModalityResult("hypothetical", reason=f"modal '{modal}'", modal=modal)
    if _conditional(trigger):
        return ModalityResult("hypothetical", reason="conditional clause")
    if _question(trigger.sent):
        return ModalityResult("hypothetical", reason="question")
    for link, g in governors(trigger):
        lemma = g.lemma_.lower()
        if lemma in REPORT_OR_ORDER and link.dep_ == "ccomp" and not is_infinitive(link):
            continue  # "told reporters that ... were arrested" reports, "told them to leave" orders
        if lemma in NEGATORS:
            return ModalityResult("negated", governor=g, reason=f"complement of '{g.text}'")
        if _negated_here(g):
            return ModalityResult("negated", governor=g, reason=f"negated governor '{g.text}'")
        if lemma in THREAT_GOVERNORS:
            return ModalityResult("asserted", intent="threat", governor=g,
                                  reason=f"threat: complement of '{g.text}'")
        if lemma in INTENT_GOVERNORS or lemma == "will":
            return ModalityResult("asserted", intent="intent", governor=g,
                                  reason=f"stated intent: complement of '{g.text}'")
        if lemma in HYPOTHETICAL_GOVERNORS:
            return ModalityResult("hypothetical", governor=g, reason=f"complement of '{g.text}'")
        g_aux = {c.lower_ for c in g.children if c.dep_ == "aux"}
        if g_aux & MODALS:
            return ModalityResult("hypothetical", governor=g, reason=f"modal on '{g.text}'")
    if aux & FUTURE:
        return ModalityResult("asserted", intent="intent", reason="future 'will'")
    return ModalityResult("asserted")
