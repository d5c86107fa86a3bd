"""Ordinary senses of words that some of our own verb blocks read as political
events: a rule that fits "troops pushed the rebels back" must not code "the company
pushed back the launch". Each test below names the block it guards and the sense it
excludes; the caller drops the reading with the returned reason."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from ..actors.resolver import Mention
from .predicates import Predicate

# "regained ground in the polls", "regained control of the council in the vote":
# ground or control won in an election, a chamber or a market is not territory
NON_TERRITORIAL = {"election", "poll", "polls", "vote", "ballot", "electoral", "seat",
                   "council", "parliament", "senate", "congress", "chamber", "assembly",
                   "legislature", "majority", "market", "share", "index", "league", "table",
                   "standings", "race", "campaign"}
# people who hold no force: their sealing, picking up, smoke grenades or base camps
# are no show of force (150), arrest (173) or repression (175)
UNARMED_SECTORS = {"CVL", "PPL", "BUS", "EDU", "LAB", "MED", "AGR", "REL", "ELI"}
FORCE_BLOCKS = {"EW_POLICE_TACTICS", "EW_ROUND_UP", "EW_CROWD_CONTROL", "EW_BASE"}
# an emergency declared over a disaster is relief, not coercion (CAMEO 1724)
DISASTERS = {"flood", "flooding", "drought", "storm", "hurricane", "cyclone", "typhoon",
             "wildfire", "bushfire", "earthquake", "quake", "tsunami", "landslide", "heatwave",
             "heat", "snowstorm", "blizzard", "eruption", "rain", "rainfall"}
# refuge from the weather is no refugee's plea (CAMEO 1033)
WEATHER = DISASTERS | {"sun", "cold", "snow", "wind", "weather", "downpour"}
# a border opened to these is travel or trade, not shelter given (CAMEO 073)
TRAVEL_TRADE = {"tourist", "tourism", "visitor", "traveller", "traveler", "travel", "trade",
                "traffic", "commerce", "business", "goods", "cargo", "freight", "truck",
                "lorry", "vehicle", "flight", "shipping", "investment", "investor", "export",
                "import"}
# who may register a case as a charge (CAMEO 173): police, courts, armed forces
CHARGING_SECTORS = {"COP", "JUD", "MIL", "SPY"}


def _block(p: Predicate) -> str:
    return p.rule.split("[", 1)[-1].split("]", 1)[0] if "[" in p.rule else ""


def _object(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    return None


def _sectors(ms: Sequence[Mention]) -> set[str]:
    return {m.actor.sector or "" for m in ms}


def ordinary_sense(p: Predicate, code: str, sources: Sequence[Mention],
                   targets: Sequence[Mention]) -> str:
    """Why this reading is an ordinary (non-political) sense of its words, or ""."""
    block = _block(p)
    verb = p.trigger
    if block == "EW_DRIVE_OUT" and not targets:
        obj = _object(verb)
        if obj is not None and obj.pos_ == "NOUN" and obj.ent_type_ == "":
            # "pushed back the launch", "forced the price out": a thing, not people
            return "a thing moved or postponed, not people driven out"
    if code == "192" and block.startswith(("EW_TERRITORY", "EW_RECOVER")) \
            and p.object_words & {"ground", "control"} \
            and any(t.lemma_.lower() in NON_TERRITORIAL or t.lower_ in NON_TERRITORIAL
                    for t in verb.subtree):
        return "ground or control won in a vote or a market, not territory"
    if block == "EW_REGISTER_CASE" and sources and not (_sectors(sources) & CHARGING_SECTORS) \
            and not any(t.lower_ == "against" for t in verb.subtree):
        # "the ministry registered 500 new cases of measles": a count, not a charge
        return "cases counted, not a charge brought"
    if block == "EW_TIES_BREAK" and not targets \
            and not any(t.lower_ == "diplomatic" for t in verb.subtree):
        # "the singer cut ties with her label": ties with no state or group named
        return "ties with no actor named"
    if code[:3] in ("151", "154") and block in ("EW_SECURITY", "EW_REINFORCE") \
            and sources and _sectors(sources) <= {"BUS"}:
        # "the bank tightened security on its app", "reinforced its presence in Asia"
        return "a company's own security or market presence"
    if code == "1724" and block == "EW_EMERGENCY" and any(
            t.lemma_.lower() in DISASTERS for t in verb.subtree):
        # "declared a state of emergency after the floods": disaster relief
        return "an emergency over a natural disaster, not coercion"
    if block == "EW_SEEK_REFUGE" and any(
            t.dep_ == "pobj" and t.head.lower_ == "from" and t.lemma_.lower() in WEATHER
            for t in verb.subtree):
        return "shelter from the weather, not refuge from danger"
    if block == "EW_OPEN_BORDER" and any(
            t.dep_ == "pobj" and t.head.lower_ == "to" and t.lemma_.lower() in TRAVEL_TRADE
            for t in verb.subtree):
        # "reopened the border to tourists / to trade"
        return "a border opened to travel or trade, not to people fleeing"
    unarmed = bool(sources) and _sectors(sources) <= UNARMED_SECTORS
    if block in FORCE_BLOCKS and unarmed:
        # "workers sealed off the leaking pipe", "the driver picked up passengers"
        return "an everyday act of people who hold no force"
    if block == "EW_THROW" and unarmed and not targets:
        # "children threw stones into the lake": nobody is attacked
        return "a throw at no one by people who hold no force"
    return ""
