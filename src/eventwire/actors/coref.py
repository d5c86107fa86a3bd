"""Follow actors through an article: short mentions and pronouns.

Rules (no model, just the parse and what the article has resolved so far):

- A surname ("Xi", "Lavrov") refers to the last person of the article whose
  name ends with it; failing that, to the one dictionary person with that
  surname whose role covers the event date.
- "he"/"him"/"his" and "she"/"her" refer to the most recent person of that
  gender (unknown gender matches both): first one earlier in the same
  sentence (a subject before others), then the subject of the previous
  sentence (subject continuity), then the latest one.
- "it"/"its" refer to the most recent country or organisation.
- "they"/"their" refer to the most recent plural group (a sector word in the
  plural, e.g. "protesters") when one was the subject of the previous
  sentence; otherwise they stay unresolved.

Known failures: cataphora ("Before he left, Putin ..."), pronouns whose
antecedent is a non-actor noun ("it" for a plan), two same-gender people in
one sentence, and quotations where "I"/"we" are not resolved at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .dictionary import ActorDictionary
from .resolver import Mention, Resolver

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "themselves"}


@dataclass(slots=True)
class Antecedent:
    mention: Mention
    sentence: int
    is_subject: bool
    names: frozenset[str]  # words of a person's name, for short mentions


@dataclass(slots=True)
class ArticleContext:
    """What the article has resolved so far; one per article, in reading order."""

    history: list[Antecedent] = field(default_factory=list)

    def remember(self, mention: Mention, sentence: int, is_subject: bool, head: Token) -> None:
        names: frozenset[str] = frozenset()
        if mention.kind in ("person", "title") and mention.actor.name:
            # either part: family names come first in Chinese ("Xi" Jinping)
            names = frozenset(w.lower() for w in mention.actor.name.split() if len(w) > 1)
        elif head.ent_type_ == "PERSON":
            names = frozenset({head.text.lower()})
        self.history.append(Antecedent(mention, sentence, is_subject, names))

    def resolve(self, head: Token, sentence: int, resolver: Resolver,
                dictionary: ActorDictionary, date: str | None) -> tuple[Mention, str] | None:
        word = head.text.lower()
        if head.pos_ == "PRON" or word in MALE | FEMALE | NEUTER | PLURAL:
            return self._pronoun(word, sentence)
        if head.ent_type_ == "PERSON" or head.pos_ == "PROPN":
            return self._surname(word, head, resolver, dictionary, date)
        return None

    def _pronoun(self, word: str, sentence: int) -> tuple[Mention, str] | None:
        if word in MALE or word in FEMALE:
            want = "m" if word in MALE else "f"
            persons = [a for a in self.history if a.mention.kind in ("person", "title")
                       and a.mention.gender in (want, None)]
            pick = _prefer_subject(persons, sentence)
            if pick:
                return pick.mention, f"pronoun '{word}' -> {pick.mention.actor.text} (sentence {pick.sentence})"
        elif word in NEUTER:
            things = [a for a in self.history if a.mention.kind in ("country", "org", "actor", "capital")
                      or (a.mention.kind in ("agent", "group")
                          and not a.mention.actor.text.lower().endswith("s"))]
            pick = _prefer_subject(things, sentence)
            if pick:
                return pick.mention, f"pronoun '{word}' -> {pick.mention.actor.text} (sentence {pick.sentence})"
        elif word in PLURAL:
            groups = [a for a in self.history if a.is_subject and a.sentence >= sentence - 1
                      and a.mention.kind in ("agent", "group")
                      and a.mention.actor.text.lower().endswith("s")]
            if groups:
                pick = groups[-1]
                return pick.mention, f"pronoun '{word}' -> {pick.mention.actor.text} (sentence {pick.sentence})"
        return None

    def _surname(self, word: str, head: Token, resolver: Resolver,
                 dictionary: ActorDictionary, date: str | None) -> tuple[Mention, str] | None:
        for a in reversed(self.history):
            if word in a.names:
                return a.mention, f"short name '{head.text}' -> {a.mention.actor.text}"
        persons = [e for e in dictionary.surnames.get(word, ()) if e.code_on(date)]
        names = {e.name for e in persons}
        if len(names) == 1:
            e = persons[0]
            code = e.code_on(date) or ""
            m = Mention(resolver.actor(code, head.text, e.name), "person", (head.i,), e.gender,
                        f"surname of dictionary person {e.name}")
            return m, f"short name '{head.text}' -> {e.name} (only dictionary match on this date)"
        return None


def _prefer_subject(cands: list[Antecedent], sentence: int) -> Antecedent | None:
    """Same sentence (a subject first), then the previous sentence's subject, then the latest."""
    if not cands:
        return None
    for pool in (
        [a for a in cands if a.sentence == sentence and a.is_subject],
        [a for a in cands if a.sentence == sentence],
        [a for a in cands if a.sentence == sentence - 1 and a.is_subject],
    ):
        if pool:
            return pool[-1]
    return cands[-1]
