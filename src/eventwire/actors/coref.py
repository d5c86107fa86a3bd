"""Follow actors through an article: short mentions, descriptions and pronouns.

Rule-based over the parse and what the article has resolved so far (no
model). The pipeline reads each sentence's noun-phrase heads in token order,
asks `Resolver.resolve` first and this context when that gives nothing (the
resolver defers bare titles and definite descriptions here), and remembers
every result, so a chain can run through several sentences.

Gender of an antecedent: the office-holder table's `gender` column, else the
title in its phrase ("Mr", "Ms", "Mrs", "Madam", "Sir", "King", "Queen",
"spokeswoman" ...), else unknown, which agrees with both "he" and "she".

Rules, in the order they are tried:

- **Surname** ("Xi", "Kettleby", a PROPN head the dictionaries do not know):
  the last person of the article with that word in their name; failing that,
  the one table person with that surname whose role covers the date.
- **"he"/"him"/"his", "she"/"her"**: persons of agreeing gender, searched in
  windows: the same sentence (its subject first), the previous sentence's
  subject (subject continuity), the previous sentence, then anywhere (the
  latest). In each window a person whose gender is known and agrees beats one
  whose gender is unknown ("Mr Brandt met Zara Quell. She ..." -> Quell).
- **"it"/"its"**: the nearest country, capital, organisation or singular
  group, same windows.
- **"they"/"them"/"their"**: a plural group (protesters, rebels) or an
  organisation that was a subject in this or the previous sentence.
- **"the latter" / "the former"**: the last / the one before the last of the
  two most recent distinct actors.
- **Definite descriptions**: "the ministry", "the government", "the cabinet",
  "the administration", "the authorities" -> the government of the country of
  the last actor with a country; "the army"/"the military" -> its military;
  "the group", "the movement", "the organisation", "the party" -> the last
  organisation; "the country" -> the last country; "the president", "the
  minister", "the Chinese president" -> the last person whose code agrees
  (and whose phrase has the same title word, if one does).
- Otherwise the resolver's generic reading ("the police" -> COP).

Every result carries a note with the chain it followed, e.g.
`pronoun 'he' -> 'Xi' (sentence 3) -> Chinese President Xi Jinping
(sentence 1: person dictionary: xi jinping)`, which `eventwire explain` shows.

Known failures: cataphora ("Before he left, Putin ..."); pronouns whose
antecedent is not an actor ("it" for a plan, "they" for sanctions); two
persons of the same (or unknown) gender in one sentence, where the subject
wins; persons the table does not list and the text gives no title for have
unknown gender (no first-name list); "I"/"we" in quotations are not resolved;
a title plus a surname that the table knows is read from the table before
the article's history ("Minister Lopez" -> a listed López).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .dictionary import ActorDictionary
from .resolver import PERSON_TITLES, Mention, Resolver, definite

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "theirs", "themselves"}
MALE_TITLES = {"mr", "mr.", "sir", "king", "prince", "emir", "sultan", "spokesman", "chairman",
               "lord", "sheikh", "congressman", "monsieur", "herr"}
FEMALE_TITLES = {"ms", "ms.", "mrs", "mrs.", "miss", "madam", "madame", "dame", "lady", "queen",
                 "princess", "spokeswoman", "chairwoman", "congresswoman", "frau"}
GOV_BODIES = {"ministry", "government", "cabinet", "administration", "authorities", "authority",
              "regime", "presidency", "department", "executive"}
MIL_BODIES = {"army", "military"}
ORG_WORDS = {"group", "movement", "organisation", "organization", "party", "militia", "faction",
             "network", "alliance", "coalition", "outfit", "insurgency"}
COUNTRY_WORDS = {"country", "nation"}
# "their forces", "its troops": a body of the pronoun's country (sector MIL when
# the word alone resolves to nothing)
POSSESSIVES = {"its", "their"}
FORCE_WORDS = {"force", "forces"}
STATE_KINDS = ("country", "capital")
THING_KINDS = ("country", "org", "actor", "capital")
PERSON_KINDS = ("person", "title")
MAX_CHAIN = 4
# verbs whose complement clause is what their subject says, plans or thinks
REPORTING_VERBS = {"say", "announce", "declare", "state", "tell", "claim", "insist", "warn",
                   "add", "confirm", "report", "reiterate", "indicate", "signal", "vow",
                   "pledge", "promise", "threaten", "stress", "affirm", "assert", "admit",
                   "acknowledge", "deny", "believe", "think", "hope", "fear", "decide",
                   "agree", "argue", "predict", "suggest", "explain", "maintain", "repeat",
                   "reply", "respond", "write", "note", "emphasise", "emphasize"}
PLACE_PREPS = {"in", "at", "across", "throughout", "near", "outside", "inside", "to", "into"}


@dataclass(slots=True)
class Antecedent:
    mention: Mention
    sentence: int
    is_subject: bool
    names: frozenset[str]  # words of a person's name, for short mentions
    gender: str | None = None
    plural: bool = False
    chain: tuple[str, ...] = ()  # how it was found, nearest step first
    index: int = -1  # head token in the article's doc
    place: bool = False  # a country or capital named as a place ("in Ankara")


@dataclass(slots=True)
class ArticleContext:
    """What the article has resolved so far; one per article, in reading order."""

    history: list[Antecedent] = field(default_factory=list)
    # chains of the mentions this context produced, by head token index
    _chains: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def remember(self, mention: Mention, sentence: int, is_subject: bool, head: Token) -> None:
        names: frozenset[str] = frozenset()
        if head.pos_ == "PRON":
            pass  # a short name links to the named mention, not to "his"
        elif mention.kind in PERSON_KINDS and mention.actor.name:
            # either part: family names come first in Chinese ("Xi" Jinping)
            names = frozenset(w.lower() for w in mention.actor.name.split() if len(w) > 1)
        elif head.ent_type_ == "PERSON":
            names = frozenset({head.text.lower()})
        own = self._chains.get(head.i) if mention.tokens == (head.i,) else None
        chain = own or (f"{mention.actor.text} (sentence {sentence}: {mention.how})",)
        self.history.append(Antecedent(
            mention, sentence, is_subject, names,
            gender=mention.gender or _title_gender(head),
            plural=head.tag_ in ("NNS", "NNPS") or head.lower_ in PLURAL,
            chain=chain, index=head.i,
            place=mention.kind in STATE_KINDS and head.dep_ == "pobj"
            and head.head.lower_ in PLACE_PREPS))

    def resolve(self, head: Token, sentence: int, resolver: Resolver,
                dictionary: ActorDictionary, date: str | None) -> tuple[Mention, str] | None:
        word = head.text.lower()
        # only what the article said before this word, and actors rather than places
        # (roles are resolved after the whole sentence has been read)
        before = [a for a in self.history if a.index < head.i and not a.place]
        saved, self.history = self.history, before
        try:
            return self._resolve(head, word, sentence, resolver, dictionary, date)
        finally:
            self.history = saved

    def _resolve(self, head: Token, word: str, sentence: int, resolver: Resolver,
                 dictionary: ActorDictionary, date: str | None) -> tuple[Mention, str] | None:
        found: tuple[Antecedent, str] | None = None
        if word in MALE or word in FEMALE or word in NEUTER or word in PLURAL:
            found = self._reported_subject(head, word) or self._pronoun(word, sentence)
        elif word in ("latter", "former") and definite(head):
            found = self._latter_former(word, sentence)
        elif head.ent_type_ == "PERSON" or head.pos_ == "PROPN":
            named = [a for a in reversed(self.history) if word in a.names]
            # a known actor of that name beats an unknown ('---') one
            pick = next((a for a in named if a.mention.actor.code != "---"),
                        named[0] if named else None)
            if pick is None:
                return (self._dictionary_surname(head, sentence, resolver, dictionary, date)
                        or self._generic(head, resolver, date))
            found = pick, f"short name '{head.text}'"
        elif head.pos_ == "PRON":
            return None
        else:
            generic = resolver.resolve(head, date, defer=False)
            owned = self._possessed(head, generic, sentence, resolver)
            if owned is not None:
                return owned
            desc = self._description(head, generic, sentence, resolver)
            if desc is not None:
                return desc
            return (generic, generic.how) if generic is not None else None
        if found is None:
            return None
        pick, rule = found
        return self._link(head, pick, rule, sentence)

    # -- rules ---------------------------------------------------------------
    def _pronoun(self, word: str, sentence: int) -> tuple[Antecedent, str] | None:
        step = f"pronoun '{word}'"
        if word in MALE or word in FEMALE:
            want = "m" if word in MALE else "f"
            persons = [a for a in self.history if a.mention.kind in PERSON_KINDS
                       and a.gender in (want, None)]
            pick = _nearest(persons, sentence, want)
        elif word in NEUTER:
            things = [a for a in self.history if a.mention.kind in THING_KINDS
                      or (a.mention.kind in ("agent", "group") and not a.plural)]
            pick = _nearest(things, sentence, None)
        else:
            groups = [a for a in self.history if a.is_subject and a.sentence >= sentence - 1
                      and ((a.mention.kind in ("agent", "group") and a.plural)
                           or a.mention.kind == "org")]
            pick = groups[-1] if groups else None
        return (pick, step) if pick else None

    def _reported_subject(self, head: Token, word: str) -> tuple[Antecedent, str] | None:
        """"Rebels said they would ...", "Hungary says it will ...": the subject
        pronoun of a clause reported by a verb of saying is that verb's subject,
        when number (and gender) agree."""
        clause = head.head
        if head.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "ccomp":
            return None
        sayer = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        if sayer is None or clause.head.lemma_.lower() not in REPORTING_VERBS:
            return None
        pick = next((a for a in reversed(self.history) if a.index == sayer.i), None)
        if pick is None:
            return None
        kind = pick.mention.kind
        if word in PLURAL:
            ok = pick.plural or kind in ("org", "country", "capital")
        elif word in NEUTER:
            ok = not pick.plural and kind in (*THING_KINDS, "group", "agent")
        else:
            want = "m" if word in MALE else "f"
            ok = kind in (*PERSON_KINDS, "agent") and not pick.plural and pick.gender in (want, None)
        return (pick, f"pronoun '{word}' reported by its subject") if ok else None

    def _possessed(self, head: Token, generic: Mention | None, sentence: int,
                   resolver: Resolver) -> tuple[Mention, str] | None:
        """"Bosnian Serbs said their forces had withdrawn", "Syria moved its troops":
        a sector word owned by "its"/"their" is that sector of the owner's country.
        The owner is the sayer of a reported clause, else the subject of the
        clause, else the pronoun's usual antecedent; its number must agree."""
        poss = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVES), None)
        if poss is None:
            return None
        if generic is not None:
            if generic.actor.country or generic.kind not in ("agent", "group") or not generic.actor.sector:
                return None
            sector = generic.actor.sector
        elif head.lower_ in FORCE_WORDS:
            sector = "MIL"
        else:
            return None
        owner: Token | None = None
        verb = head.head if head.dep_ != "pobj" else head.head.head
        if head.dep_ in ("nsubj", "nsubjpass") and verb.dep_ == "ccomp" \
                and verb.head.lemma_.lower() in REPORTING_VERBS:
            owner = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        elif head.dep_ in ("dobj", "pobj"):
            owner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        pick = next((a for a in reversed(self.history) if owner is not None and a.index == owner.i),
                    None)
        if pick is None:
            found = self._pronoun(poss.lower_, sentence)
            pick = found[0] if found else None
        if pick is None or not pick.mention.actor.country:
            return None
        kind = pick.mention.kind
        if poss.lower_ == "their":
            if not (pick.plural or kind in ("org", "country", "capital")):
                return None
        elif pick.plural and kind not in ("org", "country", "capital"):
            return None
        code = pick.mention.actor.country + sector
        text = head.doc[min(t.i for t in head.subtree if t.i <= head.i): head.i + 1].text
        how = (f"'{text}' -> {sector} of the country of {pick.mention.actor.text} "
               f"(sentence {pick.sentence})")
        self._chains[head.i] = (f"'{text}' (sentence {sentence})", *pick.chain)
        return Mention(resolver.actor(code, text, None), "group", (head.i,), how=how), how

    def _latter_former(self, word: str, sentence: int) -> tuple[Antecedent, str] | None:
        recent: list[Antecedent] = []
        for a in reversed(self.history):
            if a.sentence < sentence - 1:
                break
            if a.mention.kind in ("agent",) or any(_same(a, r) for r in recent):
                continue
            recent.append(a)
            if len(recent) == 2:
                break
        if len(recent) < 2:
            return None
        return (recent[0] if word == "latter" else recent[1]), f"'the {word}'"

    def _description(self, head: Token, generic: Mention | None, sentence: int,
                     resolver: Resolver) -> tuple[Mention, str] | None:
        if not definite(head):
            return None
        lemma = head.lemma_.lower()
        text = head.doc[min(t.i for t in head.subtree if t.i <= head.i) : head.i + 1].text
        if lemma in GOV_BODIES | MIL_BODIES and (generic is None or generic.actor.country is None):
            sector = "MIL" if lemma in MIL_BODIES else "GOV"
            states = [a for a in self.history if a.mention.actor.country]
            # that country's government (or military) first, then any actor of a
            # country; a subject before other mentions
            pick = None
            for want in (sector, "GOV", None):
                pool = [a for a in states if want is None or a.mention.actor.sector == want]
                subjects = [a for a in pool if a.is_subject]
                if pool:
                    pick = (subjects or pool)[-1]
                    break
            if pick is None:
                return None
            code = (pick.mention.actor.country or "") + sector
            m = Mention(resolver.actor(code, text, None), "group", (head.i,),
                        how=f"description '{text}' -> {sector} of the country of "
                            f"{pick.mention.actor.text} (sentence {pick.sentence})")
            self._chains[head.i] = (f"'{text}' (sentence {sentence})", *pick.chain)
            return m, m.how
        if lemma in ORG_WORDS:
            pick = next((a for a in reversed(self.history) if a.mention.kind == "org"), None)
            if pick:
                return self._link(head, pick, f"description '{text}'", sentence)
        if lemma in COUNTRY_WORDS:
            pick = next((a for a in reversed(self.history) if a.mention.kind in STATE_KINDS), None)
            if pick:
                return self._link(head, pick, f"description '{text}'", sentence)
        if (generic is not None and lemma in PERSON_TITLES
                and generic.kind in ("title", "agent") and generic.actor.sector):
            # "the president", "the Chinese president": the last person of that code
            persons = [a for a in self.history if a.mention.kind in PERSON_KINDS
                       and a.mention.actor.name
                       and _agrees(a.mention.actor.code, generic.actor.code)]
            titled = [a for a in persons if lemma in a.mention.actor.text.lower()]
            pool = titled or persons
            if pool:
                return self._link(head, pool[-1], f"description '{text}'", sentence)
        return None

    def _generic(self, head: Token, resolver: Resolver, date: str | None
                 ) -> tuple[Mention, str] | None:
        m = resolver.resolve(head, date, defer=False)
        return (m, m.how) if m is not None else None

    def _dictionary_surname(self, head: Token, sentence: int, resolver: Resolver,
                            dictionary: ActorDictionary, date: str | None
                            ) -> tuple[Mention, str] | None:
        persons = [e for e in dictionary.surnames.get(head.text.lower(), ()) if e.code_on(date)]
        if len({e.name for e in persons}) != 1:
            return None
        e = persons[0]
        how = f"short name '{head.text}' -> {e.name} (only dictionary match on this date)"
        m = Mention(resolver.actor(e.code_on(date) or "", head.text, e.name), "person",
                    (head.i,), e.gender, how)
        self._chains[head.i] = (f"'{head.text}' (sentence {sentence}: {how})",)
        return m, how

    def _link(self, head: Token, pick: Antecedent, rule: str, sentence: int
              ) -> tuple[Mention, str]:
        """The antecedent's actor, found at `head`, with the chain that led there."""
        self._chains[head.i] = (f"'{head.text}' (sentence {sentence})", *pick.chain)
        shown = pick.chain if len(pick.chain) <= MAX_CHAIN else (
            *pick.chain[: MAX_CHAIN - 2], "...", pick.chain[-1])
        note = f"{rule} -> " + " -> ".join(shown)
        a = pick.mention
        return Mention(a.actor, a.kind, (head.i,), pick.gender, note), note


def _title_gender(head: Token) -> str | None:
    words = {t.lower_ for t in head.subtree if t.i <= head.i} | {head.lower_}
    if words & MALE_TITLES:
        return "m"
    if words & FEMALE_TITLES:
        return "f"
    return None


def _same(a: Antecedent, b: Antecedent) -> bool:
    return (a.mention.actor.code == b.mention.actor.code
            and a.mention.actor.name == b.mention.actor.name)


def _agrees(code: str | None, generic: str | None) -> bool:
    """'CHNGOV' agrees with 'CHNGOV' and with a country-less 'GOV'."""
    if not code or not generic:
        return False
    return code == generic or (len(generic) == 3 and code[3:6] == generic)


def _nearest(cands: list[Antecedent], sentence: int, gender: str | None) -> Antecedent | None:
    """Same sentence (a subject first), the previous sentence's subject, the
    previous sentence, then the latest; in each, an agreeing known gender first."""
    if not cands:
        return None
    for pool in (
        [a for a in cands if a.sentence == sentence and a.is_subject],
        [a for a in cands if a.sentence == sentence],
        [a for a in cands if a.sentence == sentence - 1 and a.is_subject],
        [a for a in cands if a.sentence == sentence - 1],
        cands,
    ):
        if pool:
            known = [a for a in pool if gender is not None and a.gender == gender]
            return (known or pool)[-1]
    return None
