"""Small news-like articles for engine, batch and resume tests.

Every sentence is written for these tests from templates; none comes from a
corpus. `articles(n)` is deterministic for a given n and seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from eventwire.records import Article

COUNTRIES = [("France", "French"), ("Germany", "German"), ("Japan", "Japanese"),
             ("India", "Indian"), ("Kenya", "Kenyan"), ("Brazil", "Brazilian"),
             ("Turkey", "Turkish"), ("Egypt", "Egyptian"), ("Peru", "Peruvian"),
             ("Vietnam", "Vietnamese")]
CITIES = ["Nairobi", "Lima", "Hanoi", "Cairo", "Ankara", "Paris", "Berlin", "Tokyo"]

TEMPLATES = [
    "{A} and {B} signed a trade agreement in {city} on {weekday}.",
    "The {a} foreign minister met his {b} counterpart in {city} to discuss border security.",
    "{A} accused {B} of violating the ceasefire along the frontier.",
    "Police in {city} arrested dozens of protesters who had marched against rising fuel prices.",
    "{A} imposed new sanctions on {B} after talks in {city} collapsed.",
    "The {a} president will visit {B} next month, officials said.",
    "{A} condemned the attack and called for an independent investigation.",
    "{A} did not criticize {B} over the dispute, the ministry said.",
    "Troops from {A} fired on a convoy near {city}, killing four soldiers.",
    "{A} offered humanitarian aid to {B} after floods hit {city}.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def articles(n: int, *, seed: int = 3, sentences: int = 6) -> list[Article]:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    out = []
    for i in range(n):
        paras = []
        for _ in range(sentences):
            (a_name, a_adj), (b_name, b_adj) = rng.sample(COUNTRIES, 2)
            paras.append(rng.choice(TEMPLATES).format(
                A=a_name, B=b_name, a=a_adj, b=b_adj, city=rng.choice(CITIES),
                weekday=rng.choice(WEEKDAYS)))
        day = start + dt.timedelta(days=rng.randrange(300))
        out.append(Article(id=f"art-{i:04d}", text="\n\n".join(paras), date=day.isoformat(),
                           title=f"Report {i}", outlet=rng.choice(["Harbor Post",
                                                                   "Daily Ledger", "Wire"])))
    return out


def write_jsonl(path: Path, items: list[Article]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in items:
            fh.write(json.dumps({"id": a.id, "text": a.text, "date": a.date, "title": a.title,
                                 "outlet": a.outlet}) + "\n")
    return path
