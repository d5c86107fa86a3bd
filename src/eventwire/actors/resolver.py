"""Resolve a noun phrase of the parse to an actor code.

Order of evidence inside one phrase (the first that applies wins):

1. a person or organisation from the dated tables, with the role valid on
   the event date ("Vladimir Putin" in 2022 -> RUSGOV);
2. a PETRARCH/Phoenix actor entry valid on that date; but when a person's
   code comes from Phoenix (stale after 2011) or from the out-of-office
   fallback, a title in the phrase beats it: "Opposition leader Raila
   Odinga" in 2024 -> KENOPP (country from the text or from the person's
   code), "Vice President Joe Biden" in 2015 -> USAGOV. A title of an office
   the table records ("President Biden" in 2025) does not: the table's
   silence on that date is authoritative;
3. a title rule: a country (name, adjective, possessive, capital) plus a
   sector word ("Chinese foreign minister Wang Yi" -> CHNGOV);
4. a country alone ("Russia" -> RUS), a capital used as a metonym
   ("Moscow said" -> RUSGOV), or a sector alone ("police" -> COP).

Pronouns and short mentions are left to `coref.ArticleContext`; so are
bare titles and definite descriptions ("the ministry", "the Chinese
president"), which `resolve` defers to it (see there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from ..records import Actor, Location
from .dictionary import TABLE_ERA, ActorDictionary, Entry, norm

# Dependencies that belong to a noun phrase's pre-head modifiers.
NP_LEFT = {"compound", "amod", "poss", "nmod", "nummod", "det", "case", "flat", "punct"}
# Entity types that are never actors, whatever a dictionary says ("Friday").
# Sector words that name one person: a title phrase headed by one is a person.
PERSON_TITLES = {"president", "minister", "premier", "chancellor", "leader", "king", "queen",
                 "prince", "emir", "sultan", "secretary", "spokesman", "spokeswoman",
                 "spokesperson", "ambassador", "envoy", "general", "commander", "chief",
                 "governor", "mayor", "senator", "official", "counterpart", "head", "chairman",
                 "chairwoman", "director", "diplomat", "officer", "lawmaker", "judge", "pope"}
QUANTITY_HEADS = {"ten", "hundred", "thousand", "million", "dozen", "score", "group", "number",
                  "crowd", "batch", "team", "contingent", "member", "some", "many", "most", "all",
                  "several", "one", "two", "three", "handful", "majority", "lot", "band", "unit",
                  "mob", "delegation", "section", "tens", "hundreds", "thousands", "dozens",
                  # formations of a force: "two companies of the CRPF" are the CRPF
                  "company", "column", "platoon", "battalion", "detachment", "squad", "posse",
                  "vanload", "truckload", "busload"}
# Titles of the offices the office-holder table records (a listed person takes
# these only through a term of the table).
TABLE_TITLES = {"president", "prime minister", "premier", "chancellor", "foreign minister",
                "defence minister", "defense minister", "head of state", "king", "queen",
                "secretary-general", "secretary general"}
LEADER_WORDS = {"leader", "ruler", "strongman", "autocrat", "dictator"}
DEPUTY_WORDS = {"vice", "deputy", "vice-", "co"}
PLACE_PREPS = {"in", "from", "throughout", "across", "at", "of"}
NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


@dataclass(frozen=True, slots=True)
class Mention:
    actor: Actor
    kind: str  # person | org | actor | title | country | capital | agent
    tokens: tuple[int, ...]
    gender: str | None = None
    how: str = ""


def split_code(code: str, countries: frozenset[str]) -> tuple[str | None, str | None]:
    """'RUSGOV' -> ('RUS', 'GOV'); 'IGOUNO' -> (None, 'IGO'); 'COP' -> (None, 'COP')."""
    head = code[:3]
    if head in countries:
        return head, (code[3:6] or None)
    return None, head or None


def phrase_tokens(head: Token) -> list[Token]:
    """The head with its left modifiers (no relative clauses, no PPs)."""
    # the subtree's tokens up to the head, in order: those from its left edge
    # whose heads lead to `head` (a token outside the subtree reaches the root)
    return [t for t in head.doc[head.left_edge.i : head.i + 1] if _in_np(t, head)]


def _in_np(t: Token, head: Token) -> bool:
    while t.i != head.i:
        if t.dep_ not in NP_LEFT or t.head.i == t.i:  # a root is never inside the phrase
            return False
        t = t.head
    return True


class Resolver:
    """Resolve phrases against an ActorDictionary on a given date."""

    def __init__(self, dictionary: ActorDictionary, countries: frozenset[str],
                 places: Callable[[str], Location | None] | None = None) -> None:
        self.dictionary = dictionary
        self.countries = countries
        self.places = places  # gazetteer lookup, for "police in Nairobi"

    def actor(self, code: str, text: str, name: str | None) -> Actor:
        country, sector = split_code(code, self.countries)
        return Actor(text=text, code=code, country=country, sector=sector, name=name)

    def resolve(self, head: Token, date: str | None, *, defer: bool = True) -> Mention | None:
        """Resolve the phrase headed by `head` (and its apposition) on `date`.

        With `defer` (the default), a mention that the article context may know
        better comes back as None so that the caller asks `coref.ArticleContext`
        first, which falls back to `defer=False`: a bare title or sector with no
        country ("the ministry", "the president", "Minister Kettleby") and a
        definite description of a person ("the Chinese president").
        """
        found = self._resolve(head, date)
        if defer and found is not None and deferrable(head, found):
            return None
        return found

    def _resolve(self, head: Token, date: str | None) -> Mention | None:
        head = _quantity_head(head)
        found = self._resolve_phrase(head, date)
        if found is not None and found.actor.country is None and found.kind in ("agent", "group"):
            found = self._place_country(head, found, date)
        for child in head.children:
            if child.dep_ == "appos":
                appos = self._resolve_phrase(child, date)
                if appos and (found is None or _rank(appos) < _rank(found)):
                    found = appos
        return found

    def _place_country(self, head: Token, m: Mention, date: str | None) -> Mention:
        """'protesters in Nairobi' -> KENOPP: a sector takes the country of its place."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS:
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    country = self._country_of_place(pobj, date)
                    if country:
                        code = country + (m.actor.sector or "")
                        return Mention(self.actor(code, m.actor.text, m.actor.name), m.kind,
                                       m.tokens, m.gender, m.how + f"; country from '{pobj.text}'")
        return m

    def _country_of_place(self, tok: Token, date: str | None) -> str | None:
        inner = self._resolve_phrase(tok, date)
        if inner is not None and inner.kind in ("country", "capital"):
            return inner.actor.country
        if inner is None and self.places is not None and tok.pos_ == "PROPN":
            # a sector word is no place ("Director General of Police" is not in Poland)
            span = tok.doc[min(t.i for t in tok.subtree if (t.i <= tok.i and t.dep_ in ("compound", "flat")) or t.i == tok.i): tok.i + 1]
            loc = self.places(span.text)
            if loc is not None:
                return loc.country
        return None

    def _titled_surname(self, head: Token, date: str | None) -> tuple[Entry, str, list[int]] | None:
        """'President Biden': a title before a surname of one table person in office
        on the date (or, failing that, of one table person at all)."""
        persons = self.dictionary.surnames.get(head.lower_, ())
        for pool in ([e for e in persons if (r := e.role_on(date)) and r.source == "table"],
                     list(persons)):
            if len({e.name for e in pool}) == 1:
                code = pool[0].code_on(date)
                if code:
                    return pool[0], code, [head.i]
        return None

    def _agent_inside(self, words: list[str], toks: list[Token], idx: list[int]
                      ) -> tuple[Entry, list[int]] | None:
        """A title word inside a matched name phrase ("Vice President Joe Biden")."""
        pos = [k for k, t in enumerate(toks) if t.i in idx]
        for k in range(pos[0], pos[-1] + 1):
            for n in range(min(4, pos[-1] + 1 - k), 0, -1):
                for e in self.dictionary.lookup(" ".join(words[k : k + n])):
                    if e.kind == "agent" and e.agent not in ("NON", "UNK"):
                        return e, [t.i for t in toks[k : k + n]]
        return None

    def _table_office(self, e: Entry, title: tuple[Entry, list[int]], head: Token,
                      date: str | None) -> bool:
        """The title names an office the table records, so the table's silence
        wins over it: Biden is no longer 'President Biden' after 2025-01-20
        (but 'Vice President Biden' is another office)."""
        first = head.doc[title[1][0]]
        before = head.doc[first.i - 1].lower_ if first.i > 0 else ""
        return (e.in_table and date is not None and date >= TABLE_ERA
                and norm(title[0].phrase) in TABLE_TITLES and before not in DEPUTY_WORDS)

    def _resolve_phrase(self, head: Token, date: str | None) -> Mention | None:
        if head.ent_type_ in NOT_ACTORS:
            return None
        toks = [t for t in phrase_tokens(head)
                if t.dep_ not in ("det", "case", "punct") and t.ent_type_ not in NOT_ACTORS]
        if not toks:
            return None
        words = [t.text.lower() for t in toks]
        named: tuple[Entry, str, list[int]] | None = None
        country: tuple[Entry, list[int]] | None = None
        agent: tuple[Entry, list[int]] | None = None
        i = 0
        while i < len(words):
            n, entries = self.dictionary.longest_match(words, i)
            if not n:
                lemma = toks[i].lemma_.lower()
                n, entries = (1, self.dictionary.lookup(lemma)) if lemma != words[i] else (0, ())
            if not n:
                i += 1
                continue
            idx = [t.i for t in toks[i : i + n]]
            if n == 1 and len(words[i]) <= 3 and toks[i].text.islower():
                # short names match in capitals only: "US" is a country, "us" is not
                entries = tuple(e for e in entries if e.kind == "agent")
            capital = any(e.kind == "capital" for e in entries)
            used = False
            for e in entries:
                if e.kind == "actor" and (e.code_on(date) or "") in self.countries:
                    # Phoenix lists country names, adjectives and capitals as plain
                    # country actors; they are evidence for the title rule instead.
                    if country is None and not capital:
                        country = (Entry(e.phrase, "country", country=e.code_on(date)), idx)
                        used = True
                elif e.kind in ("person", "org", "actor"):
                    code = e.code_on(date)
                    if code and (named is None or _kind_rank(e.kind) < _kind_rank(named[0].kind)):
                        named, used = (e, code, idx), True
                elif e.kind in ("country", "capital") and country is None:
                    country, used = (e, idx), True
                elif e.kind == "agent" and e.agent != "NON" and (
                        head.i in idx or head.pos_ == "PROPN") and (agent is None or agent[1] != idx):
                    # the sector word must head the phrase ("the state visit" is no
                    # government) unless the head is a name ("minister Wang Yi"); a
                    # phrase listed under two sectors takes the first ("security forces": COP)
                    agent, used = (e, idx), True
                elif e.kind == "agent" and e.agent == "NON" and n > 1 and head.i in idx:
                    # a longer phrase listed as no actor keeps its words from the
                    # shorter entries: "market forces" are not Forces (MIL)
                    used = True
            # an unused match may hide a shorter one that heads the phrase:
            # "border security" is no sector, "security force" is
            i += n if used else 1
        if named is None and country is None and agent is None:
            return None  # most phrases: no dictionary word at all
        text = head.doc[toks[0].i : head.i + 1].text
        if named is None and agent is not None and head.pos_ == "PROPN" and head.i not in agent[1]:
            named = self._titled_surname(head, date)
        if named:
            e, code, idx = named
            # a Phoenix entry naming a person is a person for pronouns ("Putin ... he")
            kind = "person" if e.kind == "actor" and head.ent_type_ == "PERSON" else e.kind
            name = e.name or _title(words, idx, toks)
            how = f"{e.kind} dictionary: {e.phrase}"
            role = e.role_on(date)
            if kind == "person" and role is not None and role.source in ("phoenix", "fallback"):
                title = agent or self._agent_inside(words, toks, idx)
                if title is not None and not self._table_office(e, title, head, date):
                    c = (country[0].country if country else None) or role.code[:3]
                    if c in self.countries:
                        code = _title_code(c, title[0])
                        how = (f"title rule: {title[0].phrase} beats the {role.source} "
                               f"role {role.code} of {e.phrase}")
            return Mention(self.actor(code, text, name), kind, tuple(idx), e.gender, how)
        if agent is not None and _of_police(head):
            # "inspector general / commissioner / chief of police": a police officer
            agent = (Entry(agent[0].phrase + " of police", "agent", agent="COP"), agent[1])
        if country and agent is None and head.lemma_.lower() in LEADER_WORDS:
            # "the Chinese leader": no sector word in Phoenix's agents, but a government
            agent = (Entry(head.lemma_.lower(), "agent", agent="GOV"), [head.i])
        if country and agent:
            code = _title_code(country[0].country or "", agent[0])
            # a proper noun after the title is a name, unless it is the title itself
            person = _person_name(head, propn=head.i not in agent[1])
            kind = "title" if person or head.lemma_.lower() in PERSON_TITLES else "group"
            return Mention(self.actor(code, text, person), kind,
                           tuple(country[1] + agent[1]),
                           how=f"title rule: {country[0].phrase} + {agent[0].phrase}")
        if country:
            e, idx = country
            # A capital standing alone as an actor is its government ("Moscow said").
            code = (e.country or "") + ("GOV" if e.kind == "capital" else "")
            return Mention(self.actor(code, text, None), e.kind, tuple(idx),
                           how=f"{e.kind}: {e.phrase}")
        if agent and head.pos_ in ("NOUN", "PROPN"):
            e, idx = agent
            code = (e.agent or "")[:3]
            return Mention(self.actor(code, text, None), "agent", tuple(idx),
                           how=f"sector word: {e.phrase}")
        return None


DEFINITE = {"the", "this", "that", "these", "those"}


def definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in DEFINITE for c in head.children)


def deferrable(head: Token, m: Mention) -> bool:
    """A mention the article context should see first (see `Resolver.resolve`)."""
    if m.actor.country is None and m.kind in ("agent", "group"):
        # "its troops", "their police": the owner's country is in the context
        return head.pos_ == "PROPN" or definite(head) or any(
            c.dep_ == "poss" and c.lower_ in ("its", "their") for c in head.children)
    return m.kind == "title" and m.actor.name is None and definite(head)


def _title_code(country: str, agent: Entry) -> str:
    """Country + sector of a title ('Kenyan' + 'opposition leader' -> KENOPP)."""
    sector = agent.agent or ""
    return sector + country if agent.agent_prefix else country + sector[:3]


def _of_police(head: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        p.dep_ == "pobj" and any(t.lower_ == "police" for t in phrase_tokens(p))
        for p in c.children) for c in head.children)


def _quantity_head(head: Token) -> Token:
    """'thousands of students' -> students; 'a group of rebels' -> rebels."""
    for _ in range(2):
        if head.lemma_.lower() in QUANTITY_HEADS or head.pos_ == "NUM":
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            if pobj is None:
                break
            head = pobj
    return head


def _kind_rank(kind: str) -> int:
    return {"person": 0, "org": 1, "actor": 2}.get(kind, 9)


def _rank(m: Mention) -> int:
    return {"person": 0, "org": 1, "actor": 2, "title": 3, "capital": 4, "country": 5}.get(m.kind, 9)


def _title(words: list[str], idx: list[int], toks: list[Token]) -> str:
    first = next(t for t in toks if t.i == idx[0])
    return first.doc[idx[0] : idx[-1] + 1].text


HONORIFICS = {"mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "sir", "dame", "madam"}


def _person_name(head: Token, *, propn: bool = False) -> str | None:
    """The name a title phrase gives: a PERSON entity, or the proper nouns before
    the head ("envoy Mr Okello Mugisha" -> "Okello Mugisha")."""
    if head.ent_type_ == "PERSON":
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            words = [t for t in ent if t.lower_ not in HONORIFICS]
            return " ".join(t.text for t in words) or ent.text
        return head.text
    if propn and head.pos_ == "PROPN":
        start = head.i
        while start > 0 and head.doc[start - 1].pos_ == "PROPN" and head.doc[
                start - 1].dep_ in ("compound", "flat") and head.doc[start - 1].lower_ not in HONORIFICS:
            start -= 1
        return head.doc[start : head.i + 1].text
    return None
