"""The actors a sentence's tokens name, resolved once each (a sentence stage).

The stage reads the sentence's mentions in order, so that pronouns and short
names find antecedents earlier in the same sentence too ("As for Xi, he
..."): each token goes to the dictionaries (actors.resolver), then to the
article's earlier mentions (actors.coref), then is kept as an unknown named
actor. Later stages ask `Mentions.resolve` for the tokens their roles name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .. import attribution
from ..records import Actor
from .coref import ArticleContext
from .dictionary import ActorDictionary
from .resolver import Mention, Resolver, phrase_tokens

if TYPE_CHECKING:
    from ..stages import Sentence

UNKNOWN = "---"  # PETRARCH's code for an actor the dictionaries do not know
ORG_HEADS = {"forum", "group", "organization", "organisation", "association", "council",
             "committee", "movement", "party", "front", "union", "agency", "commission",
             "coalition", "alliance", "federation", "network", "company", "ministry",
             "department", "court", "office", "institute", "foundation", "society", "league"}


class Mentions:
    """One sentence's resolved tokens; `notes` says how each was found (for explain)."""

    __slots__ = ("_cache", "context", "dictionary", "notes", "resolver", "sentence")

    def __init__(self, resolver: Resolver, dictionary: ActorDictionary, context: ArticleContext,
                 sentence: int) -> None:
        self.resolver = resolver
        self.dictionary = dictionary
        self.context = context
        self.sentence = sentence
        self.notes: dict[int, str] = {}
        self._cache: dict[int, Mention | None] = {}

    def resolve(self, tok: Token, date: str | None) -> Mention | None:
        """The actor of the phrase `tok` heads; the first answer for a token stands."""
        if tok.i not in self._cache:
            m = self.resolver.resolve(tok, date)
            if m is None:
                found = self.context.resolve(tok, self.sentence, self.resolver, self.dictionary,
                                             date)
                if found:
                    m, self.notes[tok.i] = found
                else:
                    m = unknown_named(tok)
                    if m is not None:
                        self.notes[tok.i] = m.how
            elif m.how:
                self.notes[tok.i] = m.how
            self._cache[tok.i] = m
        return self._cache[tok.i]

    def read(self, sent: Span, date: str | None) -> None:
        """Resolve the sentence's noun-phrase heads in order and remember them for coref."""
        for tok in sent:
            if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "flat", "amod"):
                m = self.resolve(tok, date)
                if m is not None:
                    # the subject of "..., ABC News reported" does not carry the story on
                    subject = tok.dep_ in ("nsubj", "nsubjpass") and (
                        tok.head.lemma_.lower() not in attribution.REPORTING)
                    self.context.remember(m, self.sentence, subject, tok)

    def has_actor(self, noun: Token, date: str | None) -> bool:
        """A modifier of `noun` names an actor ("Russian strikes", "arrests by police")."""
        # "state" as a modifier means official ("a state visit"), not an actor
        mods = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                and c.lemma_.lower() != "state"]
        mods += [p for a in noun.children if a.dep_ == "prep" and a.lower_ == "by"
                 for p in a.children if p.dep_ == "pobj"]
        return any(self.resolve(m, date) is not None for m in mods)


def read_mentions(s: Sentence) -> None:
    """The sentence stage: every mention of the sentence, in order."""
    s.mentions.read(s.sent, s.day)


def unknown_named(tok: Token) -> Mention | None:
    """A named person or organisation the dictionaries do not know: kept as an
    actor with code '---' and its name, so its events and its pronouns are not
    lost (PETRARCH's "new actor")."""
    if tok.pos_ == "NOUN" and tok.lemma_.lower() not in ORG_HEADS:
        return None  # "Xi's historical aspect" names no organisation
    if tok.pos_ not in ("PROPN", "NOUN"):
        return None
    left = {t.i for t in phrase_tokens(tok)}
    # the entity that ends the phrase: "Action Against Hunger", "the APEC forum"
    ents = [e for e in tok.doc.ents if e.label_ in ("PERSON", "ORG") and e.end - 1 in left
            and e.end - 1 <= tok.i]
    if not ents:
        return None
    ent = ents[-1]
    name = ent.text.removeprefix("the ").removeprefix("The ")
    kind = "person" if ent.label_ == "PERSON" else "org"
    return Mention(Actor(text=ent.text, code=UNKNOWN, name=name), kind,
                   tuple(range(ent.start, ent.end)), how=f"unknown {ent.label_.lower()}")
