"""Who is on which side of a violent event: rules that refine a 17-20 code.

CAMEO separates violence by who does it to whom, not only by the act:

- protesters or rioters who attack, clash or smash are protesting violently
  (145 is the codebook's code for a protest that becomes violent), not waging
  war (19x);
- the police or the military using force on protesters, a march or a crowd
  use violent repression (175: "crowd control tactics");
- a weapon or an attack can be the grammatical doer ("a roadside bomb killed
  three soldiers", "an airstrike destroyed the clinic"): the event stands
  with no named source, as an agentless passive does, and takes the attack
  noun's own code when it has one (the airstrike is the event, not the
  killing).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from spacy.tokens import Token

from .lexicon import Lexicon
from .predicates import QUANTITY_HEADS

# people who protest, and collective actions of dissent
PROTESTERS = {"protester", "protestor", "demonstrator", "rioter", "marcher", "picketer"}
PROTEST_GATHERINGS = {"protest", "demonstration", "march", "rally", "crowd", "sit-in", "procession",
                      "gathering", "vigil", "protester", "protestor", "demonstrator", "marcher"}
# the acts of violence that become a violent protest or violent repression;
# bombings, shelling, air strikes and killings of a named kind keep their code
GENERIC_VIOLENCE = {"180", "182", "1822", "190", "193"}
REPRESSION = GENERIC_VIOLENCE | {"170", "1823", "172"}
FORCES = {"COP", "MIL", "GOV", "SPY"}
# verbs whose subject suffers the act ("protesters died")
VICTIM_SUBJECT = {"die", "suffer", "sustain"}
# purpose clauses that name the crowd acted on ("fired live rounds to clear the protest")
CROWD_CONTROL = {"disperse", "clear", "break", "scatter", "quell", "push"}
# verbs of mutual fighting: either side can be named first
MUTUAL = {"clash", "scuffle", "fight", "brawl", "battle"}

# nouns that can stand as the doer of a violent verb without being an actor
INSTRUMENTS = {
    "attack", "bombing", "blast", "explosion", "bomb", "mine", "landmine", "ied", "device",
    "rocket", "missile", "shell", "mortar", "grenade", "airstrike", "strike", "raid",
    "shelling", "bombardment", "gunfire", "shooting", "ambush", "projectile", "bomber",
    "assailant", "attacker", "gunman", "kamikaze", "explosive", "drone", "barrage", "salvo",
}


def _lemmas(tokens: Iterable[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def mentions_protesters(tokens: Iterable[Token]) -> bool:
    return bool(_lemmas(tokens) & PROTESTERS)


def _acted_on(verb: Token) -> list[Token]:
    """The object of the verb and the nouns of its on/at/against/with phrases."""
    out = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    for prep in (c for c in verb.children if c.dep_ == "prep"
                 and c.lower_ in ("on", "at", "against", "into", "with")):
        out += [c for c in prep.children if c.dep_ == "pobj"]
    for purpose in (c for c in verb.children if c.dep_ in ("xcomp", "advcl")
                    and c.lemma_.lower() in CROWD_CONTROL):
        out += [c for c in purpose.children if c.dep_ == "dobj"]
    return out


def protest_code(fwd: str, trigger: Token, source_tokens: list[Token], source_sectors: set[str],
                 target_tokens: list[Token]) -> tuple[str, bool]:
    """The refined code of a violent event and whether source and target swap.

    `source_tokens`/`target_tokens` are the tokens of the resolved actors;
    the verb's own object phrases are read too, since "the crowd" or "a march"
    resolve to no actor."""
    if fwd not in REPRESSION:
        return fwd, False
    by_protesters = mentions_protesters(source_tokens)
    acted_on = _acted_on(trigger)
    on_protest = mentions_protesters(target_tokens) or bool(_lemmas(acted_on) & PROTEST_GATHERINGS)
    if by_protesters and fwd in GENERIC_VIOLENCE and trigger.lemma_.lower() not in VICTIM_SUBJECT:
        return "145", False
    if on_protest and trigger.lemma_.lower() in MUTUAL and mentions_protesters(target_tokens):
        return "145", True  # "police clashed with protesters": the protesters riot
    if on_protest and source_sectors & FORCES:
        return "175", False
    return fwd, False


WEAPONS = {"weapon", "arms", "ammunition", "munition", "explosive", "cache", "rifle", "pistol",
           "firearm", "gun", "bomb", "grenade", "landmine", "mine", "ied", "rocket", "bullet",
           "weaponry", "arsenal", "stash", "device", "projectile", "missile", "launcher"}


def seizes_weapons(verb: Token) -> bool:
    """The thing seized or found is a weapon ("police seized 50 rifles"), not people."""
    return any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in WEAPONS for c in verb.children)


def instrument_subject(trigger: Token) -> Token | None:
    """A weapon or an attack noun that is the subject of the trigger verb."""
    for c in trigger.children:
        if c.dep_ == "nsubj" and c.lemma_.lower() in INSTRUMENTS:
            return c
        if c.dep_ == "nsubj" and c.lemma_.lower() in QUANTITY_HEADS:  # "a wave of attacks hit ..."
            for prep in (p for p in c.children if p.dep_ == "prep" and p.lower_ == "of"):
                for n in prep.children:
                    if n.dep_ == "pobj" and n.lemma_.lower() in INSTRUMENTS:
                        return n
    if trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
        return instrument_subject(trigger.head)
    return None


def instrument_code(noun: Token, lexicon: Lexicon, fwd: str) -> str:
    """The attack noun's own code ("airstrike" 195), when it names violence."""
    mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    entries = lexicon.noun_entries(noun.lemma_.lower())
    for e in sorted(entries, key=lambda e: not e.modifiers):
        if e.modifiers and not mods & set(e.modifiers):
            continue
        if e.code[:2] in ("18", "19", "20") and e.code != "190":
            return e.code
    return fwd


# Places where civilians are, not fighters: an armed group's raid on one is an
# assault (CAMEO 18, unconventional violence), not military force (19).
CIVILIAN_PLACES = {"plane", "aircraft", "airliner", "bus", "train", "car", "vehicle", "hotel",
                   "restaurant", "cafe", "bar", "nightclub", "club", "market", "marketplace", "mall",
                   "shop", "store", "mosque", "church", "temple", "synagogue", "shrine", "school",
                   "college", "university", "campus", "hospital", "clinic", "home", "house",
                   "wedding", "funeral", "concert", "newspaper", "office", "bank", "stadium"}
IRREGULAR = {"UAF", "CRM"}  # gunmen, militants, bandits: armed, but no army
ARMED = {"MIL", "COP", "REB", "UAF", "INS", "SEP"}  # sectors that bear arms
ARMED_TARGETS = ARMED | {"GOV", "SPY"}


def hits_civilian_place(trigger: Token) -> bool:
    """The attack's object is a civilian place: "opened fire on a bus", "attacked a
    hotel", "opened fire inside a mosque", "a shooting attack on a car"."""
    def objects(t: Token) -> Iterable[Token]:
        for c in t.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                yield c
                yield from objects(c)  # "carried out an attack on a car"
            elif c.dep_ == "prep" and c.lower_ in ("on", "at", "in", "inside", "into", "against"):
                yield from (p for p in c.children if p.dep_ == "pobj")
    return any(o.lemma_.lower() in CIVILIAN_PLACES for o in objects(trigger))


def irregular_assault(fwd: str, trigger: Token, source_sectors: set[str],
                      target_sectors: set[str]) -> str:
    """Generic force (190) by gunmen or criminals on a civilian place, with no armed
    target, is an assault (180): CAMEO 19 is conventional military force."""
    if (fwd == "190" and source_sectors and source_sectors <= IRREGULAR
            and not target_sectors & ARMED_TARGETS and hits_civilian_place(trigger)):
        return "180"
    return fwd


def combat_force(fwd: str, source_sectors: set[str], target_sectors: set[str]) -> str:
    """An army wounding or beating fighters ("the troops killed and injured dozens of
    militants") is military force (190), not unconventional violence (180)."""
    if (fwd in ("180", "182") and source_sectors and source_sectors <= {"MIL"}
            and target_sectors and target_sectors <= ARMED):
        return "190"
    return fwd


# doers that fight from the air: their force is air power (CAMEO 195, "employ
# aerial weapons: use of air power, including air strikes"), whatever the verb
# ("bomber" is left out: a suicide bomber is a person)
AIRCRAFT = {"warplane", "jet", "aircraft", "helicopter", "chopper", "gunship", "drone",
            "airforce"}
AERIAL_CODES = {"180", "183", "190", "193", "1712"}


def aerial_code(fwd: str, source_tokens: list[Token], verbs: list[Token]) -> str:
    """"The air force destroyed a convoy", "warplanes pounded the town": 195.
    The doer is read from the resolved source and from the subject or by-agent
    phrase of the trigger verbs ("Russian helicopters": the actor is only "Russian")."""
    if fwd not in AERIAL_CODES:
        return fwd
    doer = list(source_tokens)
    for v in verbs:
        for c in v.children:
            # the head and its left modifiers: "rebels armed with anti-aircraft guns"
            # are no air force
            if c.dep_ == "nsubj":
                doer += [t for t in c.subtree if t.i <= c.i]
            elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                doer += [t for n in c.children if n.dep_ == "pobj" for t in n.subtree if t.i <= n.i]
    words = [t.lower_ for t in doer]
    air_force = any(a == "air" and b in ("force", "forces") for a, b in pairwise(words))
    return "195" if air_force or _lemmas(doer) & AIRCRAFT else fwd
