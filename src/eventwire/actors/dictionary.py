"""Actor dictionaries: phrases -> date-bounded codes, loaded from package data.

Files (columns in docs/data.md and data/OFFICEHOLDERS.md):

- `actors.csv` (`phrase,code,start,end,source`): PETRARCH2/Phoenix actors.
- `officeholders.csv`: heads of state and government, ministers, IGO heads
  2010-2026, with terms; they override the older Phoenix roles.
- `organisations.csv`: parties, armed groups, militias, with status dates.
- `countries.csv`: names, adjectives/demonyms, capitals and aliases.
- `agents.csv` (`phrase,code,position,source`): sector words (president,
  police, rebels ...).

Matching is on lower-cased token sequences; the longest phrase wins.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

MAX_PHRASE = 8


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    start: str  # ISO date or "" (open)
    end: str

    def covers(self, date: str | None) -> bool:
        if date is None:
            return not self.start and not self.end
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything a phrase can mean: a named actor with roles, a country, an agent."""

    phrase: str
    kind: str  # "actor" | "person" | "org" | "country" | "capital" | "agent"
    roles: tuple[Role, ...] = ()
    country: str | None = None
    agent: str | None = None
    agent_prefix: bool = False
    name: str | None = None
    gender: str | None = None

    def code_on(self, date: str | None) -> str | None:
        """The code valid on `date`; a dated role beats an open one."""
        dated = [r for r in self.roles if (r.start or r.end) and r.covers(date)]
        if dated:
            return max(dated, key=lambda r: r.start).code
        open_roles = [r for r in self.roles if not r.start and not r.end]
        return open_roles[-1].code if open_roles else None


def norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _read(name: str) -> str | None:
    ref = resources.files("eventwire.data").joinpath(name)
    return ref.read_text(encoding="utf-8") if ref.is_file() else None


def _rows(text: str | None, where: str) -> Iterator[dict[str, str]]:
    if not text:
        return
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        if None in row:
            raise ConfigError(f"{where}:{reader.line_num}: too many fields")
        yield {k: (v or "").strip() for k, v in row.items()}


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    entries: dict[str, tuple[Entry, ...]]
    first_words: frozenset[str]
    surnames: dict[str, tuple[Entry, ...]]  # any word of a person's name -> persons

    def lookup(self, phrase: str) -> tuple[Entry, ...]:
        return self.entries.get(norm(phrase), ())

    def longest_match(self, words: list[str], start: int) -> tuple[int, tuple[Entry, ...]]:
        """Longest dictionary phrase starting at words[start]: (length, entries)."""
        if words[start] not in self.first_words:
            return 0, ()
        for n in range(min(MAX_PHRASE, len(words) - start), 0, -1):
            found = self.entries.get(" ".join(words[start : start + n]))
            if found:
                return n, found
        return 0, ()


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = {}
        self.roles: dict[tuple[str, str], list[Role]] = {}
        self.meta: dict[tuple[str, str], dict[str, str | None]] = {}

    def add(self, entry: Entry) -> None:
        self.entries.setdefault(norm(entry.phrase), []).append(entry)

    def add_role(self, phrase: str, kind: str, role: Role, **meta: str | None) -> None:
        key = (norm(phrase), kind)
        self.roles.setdefault(key, []).append(role)
        self.meta.setdefault(key, {}).update({k: v for k, v in meta.items() if v})

    def build(self) -> ActorDictionary:
        for (phrase, kind), roles in self.roles.items():
            meta = self.meta.get((phrase, kind), {})
            self.add(Entry(phrase=phrase, kind=kind, roles=tuple(roles),
                           name=meta.get("name"), gender=meta.get("gender")))
        surnames: dict[str, list[Entry]] = {}
        for phrase, entries in self.entries.items():
            for e in entries:
                if e.kind == "person" and " " in phrase:
                    # every part: family names come first in Chinese ("Xi" Jinping)
                    for part in phrase.split()[1:] + phrase.split()[:1]:
                        if len(part) > 1 and e not in surnames.get(part, []):
                            surnames.setdefault(part, []).append(e)
        return ActorDictionary(
            entries={k: tuple(v) for k, v in self.entries.items()},
            first_words=frozenset(k.split(" ", 1)[0] for k in self.entries),
            surnames={k: tuple(v) for k, v in surnames.items()},
        )


def _add_countries(b: _Builder, text: str | None) -> None:
    for row in _rows(text, "countries.csv"):
        code = row["code"]
        names = [row["name"], *row.get("aliases", "").split("|")]
        for n in names:
            if n:
                b.add(Entry(phrase=n, kind="country", country=code, name=row["name"]))
        for adj in row.get("adjectives", "").split("|"):
            if adj:
                b.add(Entry(phrase=adj, kind="country", country=code, name=row["name"]))
        if row.get("capital"):
            b.add(Entry(phrase=row["capital"], kind="capital", country=code, name=row["capital"]))


def _add_agents(b: _Builder, text: str | None) -> None:
    for row in _rows(text, "agents.csv"):
        b.add(Entry(phrase=row["phrase"], kind="agent", agent=row["code"],
                    agent_prefix=row.get("position") == "prefix"))


def _add_actor_rows(b: _Builder, text: str | None, where: str) -> None:
    for row in _rows(text, where):
        b.add_role(row["phrase"], "actor", Role(row["code"], row["start"], row["end"]))


def _add_officeholders(b: _Builder, text: str | None, where: str) -> None:
    for row in _rows(text, where):
        role = Role(row["code"], row["start"], row["end"])
        for phrase in [row["name"], *row.get("aliases", "").split("|")]:
            if phrase:
                b.add_role(phrase, "person", role, name=row["name"], gender=row.get("gender"))


def _add_organisations(b: _Builder, text: str | None, where: str) -> None:
    for row in _rows(text, where):
        role = Role(row["code"], row["start"], row["end"])
        for phrase in [row["name"], *row.get("aliases", "").split("|")]:
            if phrase:
                b.add_role(phrase, "org", role, name=row["name"])


def _user_file(path: str) -> tuple[str, str]:
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read actor file: {exc}") from exc


@lru_cache(maxsize=4)
def load_dictionary(actor_files: tuple[str, ...] = (),
                    officeholder_files: tuple[str, ...] = ()) -> ActorDictionary:
    """Packaged dictionaries plus user files on top (cached: it is immutable)."""
    b = _Builder()
    _add_countries(b, _read("countries.csv"))
    _add_agents(b, _read("agents.csv"))
    _add_actor_rows(b, _read("actors.csv"), "actors.csv")
    _add_organisations(b, _read("organisations.csv"), "organisations.csv")
    _add_officeholders(b, _read("officeholders.csv"), "officeholders.csv")
    for path in actor_files:
        _add_actor_rows(b, *_user_file(path))
    for path in officeholder_files:
        _add_officeholders(b, *_user_file(path))
    return b.build()


def iter_kinds(entries: Iterable[Entry], *kinds: str) -> Iterator[Entry]:
    return (e for e in entries if e.kind in kinds)
