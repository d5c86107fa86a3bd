"""Find event triggers: verbs and event nouns matched against the lexicon.

A verb matches the lexicon through its lemma; then each pattern of its
block is tried against the parse around it (words in the subject, words in
the object phrase, prepositional phrases with their nouns). The most
specific pattern wins; with none, the verb's default code applies. A
pattern with code `---` is a deliberate "no event" (e.g. "decline" + price).

An event noun ("talks", "invasion", "sanctions") is a trigger when it is
the object of a light verb that has no pattern of its own ("held talks",
"launched an invasion", "imposed sanctions"), or when an actor is attached
to it ("Russia's invasion", "the Russian invasion").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .lexicon import Alternatives, Lexicon, NounEntry, Pattern, VerbEntry

CLAUSAL = {"relcl", "acl", "ccomp", "advcl", "xcomp", "csubj", "parataxis", "conj", "mark"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "dative", "prt", "advmod", "acomp", "npadvmod"}
# verbs that only say the act of their infinitive came off ("managed to
# escape", "succeeded in"): PETRARCH codes "manage" as running something (060)
CATENATIVES = {"manage"}
# verbs of effort with an infinitive and no object ("pushed to oust the rebels",
# "struggled to drag them away"): the effort is no event, its infinitive is (told
# as an attempt); with an object, "pushed Russia to talk" presses someone (PETRARCH's 10x)
STRIVING = {"push", "strive", "struggle", "scramble"}
LIGHT_VERBS = {"hold", "have", "launch", "conduct", "carry", "stage", "impose", "mount",
               "wage", "begin", "start", "make", "resume", "continue", "open", "initiate",
               "announce", "order", "unleash", "slap", "organise", "organize", "lead", "join",
               "host", "attend", "reach", "sign", "agree", "step", "expand", "escalate", "renew", "call", "declare", "enforce", "clamp", "intensify", "undertake", "kick",
               "spark", "trigger", "perform", "commit"}


@dataclass(frozen=True, slots=True)
class Predicate:
    trigger: Token
    code: str  # "041" or "042:043" (forward:reverse)
    kind: str  # "verb" | "noun"
    rule: str  # what matched, for `explain`
    specificity: int
    prep_hint: Token | None = None  # pobj of the pattern's preposition: look for the target here
    light_verb: Token | None = None  # "held" in "held talks": roles come from it
    # words of the pattern's object ("intelligence" in "shared intelligence with X"):
    # the thing acted upon, never the target
    object_words: frozenset[str] = frozenset()
    target_preps: tuple[str, ...] = ()  # an event noun's target prepositions ("invasion of")
    people_only: bool = False  # an event only when its target is people ("fifty were held")

    @property
    def verb(self) -> Token:
        """The verb that carries the clause: the light verb of an event noun, else the trigger."""
        return self.light_verb if self.light_verb is not None else self.trigger


def _words(tokens: list[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return out


def _np_subtree(tok: Token) -> list[Token]:
    """The phrase under `tok`, without clauses attached to it."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in CLAUSAL:
            out.extend(_np_subtree(c))
    return out


def _slot_ok(slot: Alternatives, words: set[str]) -> bool:
    # any alternative whose words are all there (issuperset: the loop runs in C)
    return any(map(words.issuperset, slot))


@dataclass(slots=True)
class VerbContext:
    subject: set[str]
    obj: set[str]
    preps: list[tuple[str, Token | None, set[str]]]  # (prep, pobj, words under pobj)
    children: set[str]
    near: set[str]  # every word above, and the prepositions: for Pattern.anchors

    @classmethod
    def of(cls, verb: Token) -> VerbContext:
        subject: list[Token] = []
        obj: list[Token] = []
        preps: list[tuple[str, Token | None, set[str]]] = []
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                subject.extend(_np_subtree(c))
            elif c.dep_ in OBJECT_DEPS:
                sub = _np_subtree(c)
                obj.extend(sub)
                preps.extend(_preps_in(sub))
            elif c.dep_ in ("prep", "agent"):
                preps.extend(_preps_in([c]))
        subj_words, obj_words = _words(subject), _words(obj)
        near = subj_words | obj_words | {p for p, _, _ in preps}
        for _, _, ws in preps:
            near |= ws
        return cls(subj_words, obj_words, preps, {c.lower_ for c in verb.children}, near)

    def match(self, p: Pattern) -> tuple[bool, Token | None]:
        if p.anchors and p.anchors.isdisjoint(self.near):
            return False, None
        if not all(_slot_ok(s, self.subject) for s in p.subject):
            return False, None
        if not all(_slot_ok(s, self.obj) for s in p.object):
            return False, None
        hint: Token | None = None
        for prep, nouns in p.preps:
            hit = next(
                ((pobj, ws) for pr, pobj, ws in self.preps
                 if pr == prep and all(_slot_ok(n, ws) for n in nouns)),
                None,
            )
            if hit is None:
                return False, None
            hint = hint or hit[0]
        return True, hint


def _preps_in(tokens: list[Token]) -> list[tuple[str, Token | None, set[str]]]:
    out = []
    for t in tokens:
        if t.dep_ in ("prep", "agent"):
            pobj = next((c for c in t.children if c.dep_ in ("pobj", "pcomp")), None)
            words = _words(_np_subtree(pobj)) if pobj is not None else set()
            out.append((t.lower_, pobj, words))
    return out


# forms the small English model lemmatizes wrongly ("raped" -> "rap")
LEMMA_FIXES = {"raped": "rape", "rapes": "rape", "raping": "rape"}


def match_verb(verb: Token, lexicon: Lexicon) -> Predicate | None:
    entries = lexicon.verb_entries(LEMMA_FIXES.get(verb.lower_, verb.lemma_.lower()))
    for stem in () if entries else _stems(verb):
        entries = lexicon.verb_entries(stem)
        if entries:
            break
    if not entries:
        return None
    ctx = VerbContext.of(verb)
    best: Predicate | None = None
    best_ours = False
    matched_words: set[str] = set()  # object words of every pattern that matched
    for e in entries:
        extra = _extra_words_ok(e, verb, ctx)
        if extra is None:
            continue
        # on a tie, eventwire's own blocks (EW_*) beat PETRARCH's: they were
        # written to correct it ("expelled diplomats" is 161, not DEPORT's 174)
        ours = e.block.startswith("EW_")
        for i in e.candidates(ctx.near):  # the others' anchors are not near: no match
            p = e.patterns[i]
            if e.locked and e.code and p.code[:2] != e.code[:2]:
                continue
            ok, hint = ctx.match(p)
            if ok:
                matched_words.update(w for slot in p.object for alt in slot for w in alt)
            if ok and (best is None or p.specificity + extra > best.specificity
                       or (ours and not best_ours and p.specificity + extra == best.specificity)):
                best = Predicate(verb, p.code, "verb", f"{e.lemma} [{e.block}] {p.text} -> {p.code}",
                                 p.specificity + extra, hint)
                best_ours = ours
        if e.code and (best is None or extra > best.specificity):
            best = Predicate(verb, e.code, "verb", f"{e.lemma} [{e.block}] default -> {e.code}", extra)
            best_ours = ours
    if best is None or best.code.strip(":") in ("---", ""):
        return None
    return replace(best, object_words=frozenset(matched_words))


def _stems(verb: Token) -> tuple[str, ...]:
    """Candidate lemmas when the tagger's lemma is unknown ("cordoned" -> "cordone")."""
    w = verb.lower_
    if w.endswith("ed") and verb.tag_ in ("VBD", "VBN"):
        return (w[:-2], w[:-1]) + ((w[:-3],) if w[-3:-2] == w[-4:-3] else ())
    if w.endswith("ing") and verb.tag_ == "VBG":
        return (w[:-3], w[:-3] + "e")
    return ()


def _extra_words_ok(e: VerbEntry, verb: Token, ctx: VerbContext) -> int | None:
    """Multi-word verbs ("ask for", "rule out"): the extra words must be there."""
    if not e.words_after and not e.words_before:
        return 0
    # the extra words come right after (or before) the verb, or as its particle
    n_after, n_before = len(e.words_after), len(e.words_before)
    after = tuple(t.lower_ for t in verb.doc[verb.i + 1 : verb.i + 1 + n_after])
    before = tuple(t.lower_ for t in verb.doc[max(verb.sent.start, verb.i - n_before) : verb.i])
    # a particle split off by the object ("pushed them back", "called it off") is
    # often parsed as an adverb
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt" or (
        c.dep_ == "advmod" and c.i > verb.i and c.lower_ in SPLIT_PARTICLES)}
    if (after == e.words_after or set(e.words_after) <= particles) and (
            before == e.words_before or set(e.words_before) <= particles):
        return n_after + n_before
    return None


def match_noun(noun: Token, lexicon: Lexicon) -> tuple[NounEntry, int] | None:
    entries = lexicon.noun_entries(noun.lemma_.lower())
    if not entries:
        return None
    mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    mods |= {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    with_mod = [e for e in entries if e.modifiers and mods & set(e.modifiers)]
    if with_mod:
        return with_mod[0], 2
    plain = [e for e in entries if not e.modifiers]
    return (plain[0], 1) if plain else None


def _is_light(verb: Token) -> bool:
    """A light verb, also when the tagger's lemma is off ("staged" -> "stag")."""
    return verb.lemma_.lower() in LIGHT_VERBS or any(s in LIGHT_VERBS for s in _stems(verb))


SPLIT_PARTICLES = {"back", "out", "off", "away", "down", "up"}
# nouns that only count or group the event noun after their "of" ("carried out a
# series of airstrikes", "a wave of attacks", "held a new round of talks"): the
# event noun stands in the clause where the counting noun stands
QUANTITY_HEADS = {"series", "string", "wave", "spate", "round", "volley", "flurry", "succession",
                  "chain", "number", "couple", "slew", "rash", "hail", "handful", "dozen", "dozens",
                  "hundreds", "scores", "set"}


def counted_slot(noun: Token) -> Token:
    """The token that stands in the clause for an event noun: the counting noun
    of "a series of airstrikes", else the noun itself."""
    if (noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.dep_ == "prep"
            and noun.head.head.lemma_.lower() in QUANTITY_HEADS):
        return noun.head.head
    return noun


# "fifty persons were held", "two men were caught by the police": taken into custody
CUSTODY_PASSIVES = {"hold", "catch"}


def _custody_passive(verb: Token) -> Predicate | None:
    lemma = verb.lemma_.lower()
    if lemma not in CUSTODY_PASSIVES or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    if any(c.dep_ in ("oprd", "xcomp", "acomp", "attr") for c in verb.children) or any(
            p.lemma_.lower() in ("ransom", "gunpoint", "hostage", "bay") for c in verb.children
            if c.dep_ == "prep" for p in c.children):
        return None  # "held hostage", "caught unawares", "held at ransom"
    if lemma == "catch" and not any(c.dep_ == "agent" for c in verb.children):
        return None  # "caught in the crossfire" is no arrest; "caught by police" is
    return Predicate(verb, "173", "verb", f"{lemma} (passive, people held) -> 173", 0,
                     people_only=True)


AUXILIARIES = ("be", "have", "do")  # never verb triggers


def find_predicates(sent: Span, lexicon: Lexicon, has_actor: Callable[[Token], bool]
                    ) -> list[Predicate]:
    """All triggers in a sentence. `has_actor(token)` says whether a noun
    modifier resolves to an actor (used to accept bare event nouns)."""
    verbs: dict[int, Predicate] = {}
    for tok in sent:
        if tok.lower_ == "according" or tok.lemma_ in AUXILIARIES:
            continue  # "according to X" is attribution; auxiliaries are not events
        if tok.lemma_ in CATENATIVES and any(c.dep_ == "xcomp" for c in tok.children):
            continue  # "police managed to halt the march": the halting is the event
        if tok.lemma_ in STRIVING and any(c.dep_ == "xcomp" for c in tok.children) and not any(
                c.dep_ in ("dobj", "dative") for c in tok.children):
            continue
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and tok.tag_.startswith("VB")):
            p = match_verb(tok, lexicon) or _custody_passive(tok)
            if p:
                verbs[tok.i] = p
    out = dict(verbs)
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        m = match_noun(tok, lexicon)
        if m is None:
            continue
        entry, spec = m
        slot = counted_slot(tok)
        gov = slot.head if slot.dep_ in ("dobj", "nsubjpass", "attr") else None
        if gov is not None and slot.dep_ in ("dobj", "nsubjpass") and gov.i in verbs:
            vp = verbs[gov.i]
            if vp.specificity > 0 or not _is_light(gov):
                continue  # the verb's own pattern already says what happened
        rule = f"event noun '{entry.lemma}'" + (f" + {'|'.join(entry.modifiers)}" if entry.modifiers else "")
        # "held talks", and in the passive "arrests were made", "a curfew was imposed"
        if gov is not None and slot.dep_ in ("dobj", "nsubjpass") and _is_light(gov):
            out.pop(gov.i, None)
            out[tok.i] = Predicate(tok, entry.code, "noun", f"{gov.lemma_} + {rule} -> {entry.code}",
                                   spec, light_verb=gov, target_preps=entry.target_preps)
        elif has_actor(tok):
            if tok.head.i in out and out[tok.head.i].kind == "verb" and tok.dep_ == "pobj":
                continue
            out[tok.i] = Predicate(tok, entry.code, "noun", f"{rule} with actor -> {entry.code}", spec,
                                   target_preps=entry.target_preps)
    return [out[i] for i in sorted(out)]


MAX_SEEN = 500_000


class TriggerWords:
    """Whether a text can hold a trigger at all: some word whose lemma (under
    any tag: `lemmas` gives them all), form or stem is a verb of the lexicon, a
    custody verb or an event noun. find_predicates finds nothing in a text
    without one, so the text needs no parse (nlp.pipe_gated). Keep in step with
    the lookups of match_verb, _custody_passive and match_noun."""

    def __init__(self, lexicon: Lexicon, lemmas: Callable[[str], set[str]]) -> None:
        self.lexicon = lexicon
        self.lemmas = lemmas
        self.seen: dict[str, bool] = {}  # per word form, lower-cased

    def in_doc(self, doc: Doc) -> bool:
        return any(self._may_trigger(t.lower_) for t in doc)

    def _may_trigger(self, word: str) -> bool:
        found = self.seen.get(word)
        if found is None:
            if len(self.seen) > MAX_SEEN:  # a long run meets ever more word forms
                self.seen.clear()
            verbs, nouns = self.lexicon.verbs, self.lexicon.nouns
            lemmas = self.lemmas(word)
            # a token whose lemma is an auxiliary is no verb trigger; with any
            # other lemma, the form fix and every stem _stems could try, whatever the tag
            forms = (lemmas - set(AUXILIARIES)) | {LEMMA_FIXES.get(word, word)}
            forms |= {word[:-2], word[:-1], word[:-3]} if word.endswith("ed") else set()
            forms |= {word[:-3], word[:-3] + "e"} if word.endswith("ing") else set()
            found = self.seen[word] = any(f in verbs or f in CUSTODY_PASSIVES for f in forms) or (
                not lemmas.isdisjoint(nouns))
        return found
