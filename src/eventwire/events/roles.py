"""Source and target of a trigger, from the dependency parse.

- Active voice: subject -> source; object, dative or a prepositional object
  -> target. Passive: the `by` agent -> source, the passive subject -> target.
- Coordination: "Xi and Putin" gives two sources; a conjoined verb without
  a subject shares its head verb's subject.
- Control: "urged Russia to resolve ..." -> the complement's subject is the
  object (object control); "Russia plans to attack ..." -> the governing
  subject (subject control); so does a purpose infinitive ("marched to
  demand ...").
- Relative clauses: "Ukraine, which Russia invaded" -> the relative pronoun
  stands for the noun it modifies.
- Event nouns: possessive, nationality adjective or `by` phrase -> source;
  the noun's own prepositions ("invasion of", "talks with") -> target; a
  light verb ("held talks") lends its subject.

Returned are the tokens to resolve; resolution to actor codes happens in
`actors.resolver` and `actors.coref`.
"""

from __future__ import annotations

from spacy.tokens import Token

from .modality import is_infinitive
from .predicates import Predicate, counted_slot

OBJECT_CONTROL = {"urge", "ask", "persuade", "tell", "order", "force", "allow", "call",
                  "press", "encourage", "invite", "pressure", "compel", "permit", "help",
                  "warn", "advise", "request", "authorize", "authorise", "instruct",
                  "accuse", "blame", "charge", "suspect", "convict", "hold"}
TARGET_PREPS = ("to", "with", "against", "on", "toward", "towards", "for", "from",
                "into", "upon", "between", "of", "at")
PLACE_PREPS = ("in", "at")
REL_PRONOUNS = {"who", "whom", "which", "that", "whose"}
MAX_DEPTH = 3


def _conj_expand(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_conj_expand(c))
        elif (c.dep_ in ("nmod", "compound") and c.i < tok.i and c.pos_ == "NOUN"
              and any(x.dep_ == "cc" and x.lower_ == "and" for x in c.children)
              and any(x.dep_ == "conj" for x in c.children)):
            # "the army and Houthi rebels" parsed as one phrase with "army" as a
            # modifier of "rebels": the modifier is an actor of its own
            out.insert(0, c)
    return out


def _rel_antecedent(tok: Token) -> Token:
    """A relative pronoun stands for the noun its clause modifies."""
    if tok.lower_ in REL_PRONOUNS and tok.tag_ in ("WDT", "WP", "WP$"):
        clause = tok.head
        while clause.dep_ != "relcl" and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl":
            return clause.head
    return tok


def _child(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


# "killed in police firing", "wounded in army shelling": the attack names its doer
MEANS_NOUNS = {"firing", "fire", "shelling", "attack", "airstrike", "strike", "raid", "bombing",
               "gunfire", "action", "crackdown", "operation", "bombardment", "ambush"}


def _means_doers(verb: Token) -> list[Token]:
    for prep in _child(verb, "prep"):
        if prep.lower_ not in ("in", "during"):
            continue
        for pobj in _child(prep, "pobj"):
            if pobj.lemma_.lower() in MEANS_NOUNS:
                return [c for c in pobj.children if c.dep_ in ("compound", "amod", "poss")
                        and c.pos_ in ("NOUN", "PROPN", "ADJ")]
    return []


# documents that speak for whoever issues them ("a statement demanding ...")
DOCUMENTS = {"statement", "declaration", "communique", "communiqué", "letter", "resolution",
             "report", "note", "memorandum", "petition", "appeal", "message", "reminder",
             "decree", "order", "directive", "notice", "circular", "warning", "ultimatum"}


def participle_subject(s: Token) -> Token:
    """The small model parses "an aid agency working in the region said" with the
    participle as the subject and the noun as its subject: the noun is meant."""
    if s.tag_ == "VBG":
        inner = [c for c in s.children if c.dep_ == "nsubj" and c.i < s.i and c.pos_ in ("NOUN", "PROPN")]
        if inner:
            return inner[0]
    return s


def verb_sources(verb: Token, depth: int = 0) -> list[Token]:
    subj = [participle_subject(s) for s in _child(verb, "nsubj")]
    if subj:
        return [_rel_antecedent(t) for s in subj for t in _conj_expand(s)]
    if _child(verb, "nsubjpass"):
        agents = [p for a in _child(verb, "agent") for p in _child(a, "pobj") for p in _conj_expand(p)]
        return agents or _means_doers(verb)
    if depth >= MAX_DEPTH or verb.head.i == verb.i:
        return []
    if verb.dep_ == "conj":
        return verb_sources(verb.head, depth + 1)
    if verb.dep_ == "xcomp" or (verb.dep_ == "pcomp" and verb.head.dep_ == "prep"):
        gov = verb.head if verb.dep_ == "xcomp" else verb.head.head
        obj = _child(gov, "dobj")
        if obj and gov.lemma_.lower() in OBJECT_CONTROL:
            return _conj_expand(obj[0])
        if gov.pos_ in ("ADJ",) and gov.dep_ == "acomp":
            return verb_sources(gov.head, depth + 1)
        return verb_sources(gov, depth + 1)
    if (verb.dep_ == "advcl" and verb.tag_ == "VB" and verb.head.pos_ in ("VERB", "AUX")
            and is_infinitive(verb)):
        # a purpose infinitive ("staged a strike to demand reforms"): the doer of
        # the main verb (subject control, as with xcomp)
        return verb_sources(verb.head, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        # "the 51 people arrested on Friday": a passive participle; the doer is its agent
        return [p for a in _child(verb, "agent") for p in _child(a, "pobj")]
    if verb.dep_ in ("advcl", "acl") and verb.tag_ in ("VBG", "VBN"):
        if verb.head.pos_ in ("VERB", "AUX"):
            return verb_sources(verb.head, depth + 1)
        if (verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in DOCUMENTS
                and verb.head.dep_ in ("dobj", "nsubjpass") and verb.head.head.pos_ == "VERB"):
            # "issued a statement demanding ...": the document speaks for its issuer
            return verb_sources(verb.head.head, depth + 1)
        return [verb.head] if verb.dep_ == "acl" and verb.tag_ == "VBG" else []
    if verb.dep_ == "relcl":
        noun = verb.head
        # "China is the only power to have refrained ...": the copula's subject
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            subj = _child(noun.head, "nsubj")
            if subj:
                return _conj_expand(subj[0])
        return [noun]
    return []


def verb_targets(verb: Token, pred: Predicate, place_preps: bool = False) -> list[list[Token]]:
    """Candidate target heads, in order of preference (each a coordinated group).

    The pattern's own prepositional phrase first ("a phone call with X"), then
    the passive subject or the object, the object's prepositional phrases
    ("sanctions on X"), the verb's ("talked to X"), then deeper ones.
    `place_preps` adds "in"/"at" for visits ("arrived in Beijing").
    """
    groups: list[list[Token]] = []
    if pred.prep_hint is not None:
        groups.append([pred.prep_hint])
        groups.extend(_pp_groups([pred.prep_hint]))
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        groups.append([verb.head])  # "the protesters arrested on Friday"
    passive = _child(verb, "nsubjpass")
    if passive:
        groups.append([_rel_antecedent(t) for t in _conj_expand(passive[0])])
    objs = [_rel_antecedent(t) for o in _child(verb, "dobj", "dative") for t in _conj_expand(o)]
    # in giving, sharing and withdrawing, the pattern's own object ("shared intelligence
    # with X", "withdrew its troops") is what moves, not the target, unless a modifier
    # names whose it is; in arrests and attacks the object is the target
    moving = pred.code[:2] in ("06", "07") or pred.code.startswith("087")
    things = [o for o in objs if moving and (o.lemma_.lower() in pred.object_words
                                             or o.lower_ in pred.object_words)
              and not any(c.dep_ in ("amod", "compound", "poss", "nmod") and c.pos_ != "PRON"
                          for c in o.children)]
    if objs and not things:
        groups.append(objs)
    groups.extend(_pp_groups(objs))
    groups.extend(_pp_groups([verb], PLACE_PREPS if place_preps else ()))
    if verb.dep_ == "relcl" and not objs and not passive:
        rel_obj = [c for c in verb.children if c.lower_ in REL_PRONOUNS]
        if not rel_obj or rel_obj[0].dep_ != "nsubj":
            groups.append([verb.head])
    return groups


def _pp_groups(heads: list[Token], extra: tuple[str, ...] = ()) -> list[list[Token]]:
    """Prepositional objects under `heads`, breadth first: each level ordered by
    TARGET_PREPS ("sanctions on Iran over its drones to Russia" -> Iran first)."""
    order = TARGET_PREPS + extra
    out: list[list[Token]] = []
    level = heads
    for _ in range(MAX_DEPTH):
        preps = sorted(
            (c for h in level for c in h.children if c.dep_ == "prep" and c.lower_ in order),
            key=lambda c: (order.index(c.lower_), c.i),
        )
        level = [pobj for p in preps for pobj in _child(p, "pobj")]
        out.extend(_conj_expand(pobj) for pobj in level)
        if not level:
            break
    return out


def noun_sources(noun: Token, pred: Predicate) -> list[Token]:
    src = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    for a in noun.children:
        if a.dep_ == "prep" and a.lower_ == "by":
            src.extend(_child(a, "pobj"))
    if pred.light_verb is not None:
        src = verb_sources(pred.light_verb) + src
    return src


def noun_targets(noun: Token, target_preps: tuple[str, ...], pred: Predicate) -> list[list[Token]]:
    groups: list[list[Token]] = []
    slot = counted_slot(noun)  # "a series of strikes on X": the "on" may hang on "series"
    heads = list(noun.children) + (list(slot.children) if slot is not noun else [])
    for p in heads:
        if p.dep_ == "prep" and p.lower_ in target_preps:
            for pobj in _child(p, "pobj"):
                groups.append(_conj_expand(pobj))
                groups.extend(_pp_groups([pobj]))
    if pred.light_verb is not None:
        v = pred.light_verb
        groups.extend(_pp_groups([v]))
        groups.extend([d] for d in _child(v, "dative"))
    return groups
