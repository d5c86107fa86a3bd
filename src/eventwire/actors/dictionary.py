"""Actor dictionaries: phrases -> date-bounded codes, loaded from package data.

Files (columns in docs/data.md and data/OFFICEHOLDERS.md):

- `actors.csv` (`phrase,code,start,end,source`): PETRARCH2/Phoenix actors.
- `officeholders.csv`: heads of state and government, ministers, IGO heads
  2010-2026, with terms; they override the older Phoenix roles (below).
- `organisations.csv`: parties, armed groups, militias, with status dates.
- `countries.csv`: names, adjectives/demonyms, capitals and aliases.
- `agents.csv` (`phrase,code,position,source`): sector words (president,
  police, rebels ...); `agents_extra.csv` adds our own (police ranks).

Matching is on lower-cased token sequences; the longest phrase wins.

Role precedence for a person (`Entry.role_on`):

1. rows from the user's actor files (`Config.actor_files`) win outright;
2. a person named in the office-holder table (`officeholders.csv` plus
   `Config.officeholder_files`) takes the code of the term that covers the
   date. The Phoenix roles of the same person (same phrase, or a Phoenix
   phrase that contains the person's name, with a compatible country) are
   kept, but from 2010-01-01 on only their undated default counts (often an
   ELI code): Phoenix is stale after 2011 and its roles are open-ended, so
   "Joe Biden, USAGOV from 2009" would make him USAGOV forever. Before 2010
   Phoenix's dated roles still decide. With no Phoenix default either, a
   state office-holder out of office is an elite of the country (`ELI`,
   Phoenix's convention for former leaders). So Joe Biden is USAGOV 2021-01-20 ..
   2025-01-20 (president) and USAELI otherwise from 2010 on: the table does
   not record vice-presidents, so his 2009-2017 vice-presidency is not GOV
   either, unless the text gives the title ("Vice President Biden",
   resolver.py) or a user file adds the term;
3. everything else: a dated role covering the date (the latest start wins),
   else the undated default.

User office-holder rows replace packaged rows with the same name + office +
start (later files win); organisation rows are keyed on name + start.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..datacache import LazyTable, cached, package_data, source_of
from ..errors import ConfigError

MAX_PHRASE = 8
# From this date the office-holder table, not Phoenix, decides a listed person's role.
TABLE_ERA = "2010-01-01"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    start: str  # ISO date or "" (open)
    end: str
    # phoenix | table (office-holders, organisations) | user | fallback (derived ELI)
    source: str = "phoenix"

    def covers(self, date: str | None) -> bool:
        if date is None:
            return not self.start and not self.end
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)


def _pick(roles: Iterable[Role], date: str | None) -> Role | None:
    """A dated role covering `date` (latest start wins), else the last undated one."""
    roles = list(roles)
    dated = [r for r in roles if r.dated and r.covers(date)]
    if dated:
        return max(dated, key=lambda r: r.start)
    undated = [r for r in roles if not r.dated]
    return undated[-1] if undated else None


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
        """The code valid on `date` (precedence in the module docstring)."""
        role = self.role_on(date)
        return role.code if role else None

    def role_on(self, date: str | None) -> Role | None:
        user = _pick((r for r in self.roles if r.source == "user"), date)
        if user is not None:
            return user
        table = [r for r in self.roles if r.source == "table"]
        phoenix = [r for r in self.roles if r.source == "phoenix"]
        if not table:
            return _pick(phoenix, date)
        found = _pick(table, date)
        if found is not None:
            return found
        if date is not None and date < TABLE_ERA:
            found = _pick(phoenix, date)
        else:
            found = _pick((r for r in phoenix if not r.dated), date)
        if found is None and not table[0].code.startswith("IGO"):
            # out of office and unknown to Phoenix: an elite of the country, as
            # Phoenix codes former leaders (Trump in 2022 -> USAELI)
            found = Role(table[0].code[:3] + "ELI", "", "", "fallback")
        return found

    @property
    def in_table(self) -> bool:
        """A person or organisation of the dated tables (authoritative from 2010)."""
        return any(r.source == "table" for r in self.roles)


def norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _read(name: str) -> str | None:
    ref = resources.files("eventwire.data").joinpath(name)
    return ref.read_text(encoding="utf-8") if ref.is_file() else None


def _rows(text: str | None, where: str, required: tuple[str, ...] = ()
          ) -> Iterator[dict[str, str]]:
    if not text:
        return
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{where}:1: missing column(s) {', '.join(missing)}")
    for row in reader:
        if None in row:
            raise ConfigError(f"{where}:{reader.line_num}: too many fields")
        clean = {k: (v or "").strip() for k, v in row.items()}
        for field in ("start", "end"):
            if clean.get(field) and not ISO_DATE.match(clean[field]):
                raise ConfigError(f"{where}:{reader.line_num}: field '{field}': "
                                  f"not an ISO date (YYYY-MM-DD): {clean[field]!r}")
        for field in required:
            if field not in ("end", "start", "aliases") and not clean.get(field):
                raise ConfigError(f"{where}:{reader.line_num}: field '{field}' is empty")
        yield {**clean, "_where": f"{where}:{reader.line_num}"}


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    entries: Mapping[str, tuple[Entry, ...]]
    first_words: frozenset[str]
    surnames: Mapping[str, tuple[Entry, ...]]  # any word of a person's name -> persons
    countries: frozenset[str]  # every country code of a country entry

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
        self.table_names: set[str] = set()  # names and aliases of office-holders

    def add(self, entry: Entry) -> None:
        self.entries.setdefault(norm(entry.phrase), []).append(entry)

    def add_role(self, phrase: str, kind: str, role: Role, **meta: str | None) -> None:
        key = (norm(phrase), kind)
        self.roles.setdefault(key, []).append(role)
        self.meta.setdefault(key, {}).update({k: v for k, v in meta.items() if v})

    def merge_persons(self) -> None:
        """Move the Phoenix roles of office-holders into their person entries.

        A Phoenix phrase is the same person when it is a table name or alias, when
        it contains one ("Russian President Vladimir Putin"), or when its last word
        is the surname of exactly one table person ("President Putin"); in each
        case its codes must share a country with the person's terms (or come from
        a user file), so that a namesake elsewhere keeps its own entry.
        """
        persons = {p: rs for (p, k), rs in self.roles.items() if k == "person"}
        by_last: dict[str, set[str]] = {}
        for phrase in self.table_names:
            name = self.meta.get((phrase, "person"), {}).get("name") or phrase
            by_last.setdefault(phrase.split()[-1], set()).add(norm(name))
        countries = {p: {r.code[:3] for r in rs} for p, rs in persons.items()}
        for phrase, kind in list(self.roles):
            if kind != "actor":
                continue
            target = self._person_for(phrase, by_last)
            if target is None or target not in persons:
                continue
            roles = self.roles[(phrase, "actor")]
            user = any(r.source == "user" for r in roles)
            if not user and not {r.code[:3] for r in roles} & countries[target]:
                continue
            del self.roles[(phrase, "actor")]
            table = [r for r in persons[target] if r.source == "table"]
            own = self.roles.setdefault((phrase, "person"), [] if phrase != target else table)
            if phrase != target and not own:
                own.extend(table)
            own.extend(roles)
            if phrase != target:
                self.meta.setdefault((phrase, "person"), {}).update(
                    self.meta.get((target, "person"), {}))

    def _person_for(self, phrase: str, by_last: dict[str, set[str]]) -> str | None:
        if phrase in self.table_names:
            return phrase
        words = phrase.split()
        found: set[str] = set()
        for i in range(len(words)):
            for n in range(len(words) - i, 1, -1):
                sub = " ".join(words[i : i + n])
                if sub in self.table_names:
                    found.add(norm(self.meta.get((sub, "person"), {}).get("name") or sub))
                    break
        if not found and len(words[-1]) > 2 and len(by_last.get(words[-1], ())) == 1:
            found = set(by_last[words[-1]])
        if len(found) != 1:
            return None
        return next(iter(found))

    def build(self) -> ActorDictionary:
        self.merge_persons()
        for (phrase, kind), roles in self.roles.items():
            meta = self.meta.get((phrase, kind), {})
            self.add(Entry(phrase=phrase, kind=kind, roles=tuple(roles),
                           name=meta.get("name"), gender=meta.get("gender")))
        surnames: dict[str, list[Entry]] = {}
        for phrase in sorted(self.table_names):
            for e in self.entries.get(phrase, ()):
                if e.kind == "person" and " " in phrase:
                    # every part: family names come first in Chinese ("Xi" Jinping)
                    for part in phrase.split()[1:] + phrase.split()[:1]:
                        if len(part) > 1 and e not in surnames.get(part, []):
                            surnames.setdefault(part, []).append(e)
        return ActorDictionary(
            entries={k: tuple(v) for k, v in self.entries.items()},
            first_words=frozenset(k.split(" ", 1)[0] for k in self.entries),
            surnames={k: tuple(v) for k, v in surnames.items()},
            countries=frozenset(e.country for es in self.entries.values() for e in es
                                if e.kind == "country" and e.country),
        )


# The cached form (datacache): each phrase's entries as one JSON string, decoded
# when the phrase is first looked up; a person under a surname as (phrase,
# position among the phrase's entries).
def _plain(d: ActorDictionary) -> dict[str, Any]:
    where = {id(e): (k, i) for k, es in d.entries.items() for i, e in enumerate(es)}
    return {
        "entries": {k: json.dumps([astuple(e) for e in es]) for k, es in d.entries.items()},
        "surnames": {k: json.dumps([where[id(e)] for e in es]) for k, es in d.surnames.items()},
        "first_words": "\n".join(d.first_words),
        "countries": "\n".join(sorted(d.countries)),
    }


def _from_plain(raw: dict[str, Any]) -> ActorDictionary:
    def entries_of(text: str) -> tuple[Entry, ...]:
        return tuple(Entry(phrase, kind, tuple(Role(*r) for r in roles), *rest)
                     for phrase, kind, roles, *rest in json.loads(text))

    entries: LazyTable[tuple[Entry, ...]] = LazyTable(raw["entries"], entries_of)
    return ActorDictionary(
        entries=entries, first_words=frozenset(raw["first_words"].split("\n")),
        surnames=LazyTable(raw["surnames"],
                           lambda text: tuple(entries[k][i] for k, i in json.loads(text))),
        countries=frozenset(raw["countries"].split("\n")),
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


def _add_agents(b: _Builder, text: str | None, where: str) -> None:
    for row in _rows(text, where):
        b.add(Entry(phrase=row["phrase"], kind="agent", agent=row["code"],
                    agent_prefix=row.get("position") == "prefix"))


def _add_actor_rows(b: _Builder, text: str | None, where: str, source: str = "phoenix") -> None:
    for row in _rows(text, where, ("phrase", "code")):
        b.add_role(row["phrase"], "actor",
                   Role(row["code"], row.get("start", ""), row.get("end", ""), source))


def _keyed_rows(files: list[tuple[str | None, str]], required: tuple[str, ...],
                key: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of several files; a later row with the same key replaces an earlier one."""
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for text, where in files:
        for row in _rows(text, where, required):
            rows[tuple(norm(row.get(k, "")) for k in key)] = row
    return list(rows.values())


def _add_officeholders(b: _Builder, rows: list[dict[str, str]]) -> None:
    for row in rows:
        role = Role(row["code"], row["start"], row.get("end", ""), "table")
        for phrase in [row["name"], *row.get("aliases", "").split("|")]:
            if phrase:
                b.add_role(phrase, "person", role, name=row["name"], gender=row.get("gender"))
                b.table_names.add(norm(phrase))


def _add_organisations(b: _Builder, rows: list[dict[str, str]]) -> None:
    for row in rows:
        role = Role(row["code"], row.get("start", ""), row.get("end", ""), "table")
        for phrase in [row["name"], *row.get("aliases", "").split("|")]:
            if phrase:
                b.add_role(phrase, "org", role, name=row["name"])


def _user_file(path: str) -> tuple[str, str]:
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read actor file: {exc}") from exc


OFFICEHOLDER_REQUIRED = ("name", "code", "start", "end")


@lru_cache(maxsize=4)
def load_dictionary(actor_files: tuple[str, ...] = (),
                    officeholder_files: tuple[str, ...] = (),
                    *, tables: bool = True) -> ActorDictionary:
    """Packaged dictionaries plus user files on top (cached: it is immutable).

    `tables=False` leaves out the office-holder and organisation tables (and the
    user office-holder files): the plain Phoenix dictionaries, for comparisons.
    Built once per set of inputs, then read from the cache (datacache).
    """
    users = [_user_file(p) for p in (*actor_files, *officeholder_files)]
    parts: list[bytes | str] = [source_of(__file__), package_data(), str(tables),
             *(f"{text}\0{where}" for text, where in users)]
    raw = cached("actors", parts,
                 lambda: _plain(_build(actor_files, officeholder_files, tables=tables)))
    return _from_plain(raw)


def _build(actor_files: tuple[str, ...], officeholder_files: tuple[str, ...], *,
           tables: bool) -> ActorDictionary:
    b = _Builder()
    _add_countries(b, _read("countries.csv"))
    for name in ("agents.csv", "agents_extra.csv"):  # Phoenix/NGEC, then our own rows
        _add_agents(b, _read(name), name)
    _add_actor_rows(b, _read("actors.csv"), "actors.csv")
    if tables:
        _add_organisations(b, _keyed_rows([(_read("organisations.csv"), "organisations.csv")],
                                          ("name", "code"), ("name", "start")))
        _add_officeholders(b, _keyed_rows(
            [(_read("officeholders.csv"), "officeholders.csv"),
             *(_user_file(p) for p in officeholder_files)],
            OFFICEHOLDER_REQUIRED, ("name", "office", "start")))
    for path in actor_files:
        _add_actor_rows(b, *_user_file(path), source="user")
    return b.build()


def iter_kinds(entries: Iterable[Entry], *kinds: str) -> Iterator[Entry]:
    return (e for e in entries if e.kind in kinds)
