"""Build agents.csv from PETRARCH2's and NGEC's agent dictionaries.

Source: petrarch2/Phoenix.agents.txt, then ngec/PLOVER_agents.txt for the
entries and forms Phoenix lacks. Output columns: phrase, code, position
(prefix or suffix agent code), source.
"""

from __future__ import annotations

import re
from pathlib import Path

from reference.common import CODE_RE, Report, name_key, phrase_forms, regular_plural, strip_comment

FILE = "agents.csv"
HEADER = ("phrase", "code", "position", "source")

AGENT_FILES = ("petrarch2/Phoenix.agents.txt", "ngec/PLOVER_agents.txt")

PREPOSITIONS = frozenset({"OF", "FOR", "AT", "TO", "IN", "ON", "FROM", "WITH", "AGAINST"})

AGENT_RE = re.compile(
    r"^(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]"
)


def agent_surface_forms(phrase: str, plural: str | None,
                        substitutions: dict[str, list[str]]) -> list[str]:
    marker = re.search(r"!(\w+)!", phrase)
    if marker:
        forms = []
        for alt in substitutions.get(marker.group(1), []):
            forms.extend(agent_surface_forms(
                phrase[: marker.start()] + alt + phrase[marker.end():], "", substitutions))
        return forms
    forms = [phrase]
    # A trailing "_" stops plural formation (PETRARCH's convention).
    if plural is None and not phrase.rstrip().endswith("_"):
        words = re.split(r"[_ ]+", phrase.strip("_ "))
        # "CANDIDATE_FOR_OFFICE" -> "CANDIDATES_FOR_OFFICE": the head noun
        # comes before the first preposition.
        cut = next((i for i, w in enumerate(words) if i and w.upper() in PREPOSITIONS),
                   len(words))
        head = words[cut - 1]
        if not re.fullmatch(r"[A-Za-z]+", head):
            return forms
        # A trailing stem ("BROADCAST_MINIST") stands for the ministry words.
        if head.upper() == "MINIST" and cut == len(words):
            base = "_".join(words[:-1])
            return [f"{base}_{w}" for w in substitutions.get("MINIST", [])]
        plural_head = regular_plural(head)
        if plural_head:
            forms.append("_".join([*words[: cut - 1], plural_head, *words[cut:]]))
    elif plural is not None and plural.strip():
        forms.extend(plural.split())
    return forms


def read_agents(path: Path, report: Report) -> list[tuple[str, str, str, str]]:
    """(entry phrase, surface form, code, position) for every surface form."""
    substitutions: dict[str, list[str]] = {}
    out: list[tuple[str, str, str, str]] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = strip_comment(raw).strip()
        if not line or line.startswith("<"):
            continue
        sub = re.fullmatch(r"!(\w+)!\s*=\s*(.+)", line)
        if sub:
            substitutions[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        m = AGENT_RE.match(line)
        if not m:
            report.add("agents: line without a code dropped", f"{path.name}:{lineno} {line}")
            continue
        code = m.group("code").strip()
        if code.startswith("~"):
            position, code = "suffix", code[1:]
        elif code.endswith("~"):
            position, code = "prefix", code[:-1]
        else:
            report.add("agents: code without ~ dropped", f"{path.name}:{lineno} {line}")
            continue
        if not CODE_RE.fullmatch(code):
            report.add("agents: malformed code dropped", f"{path.name}:{lineno} {line}")
            continue
        for form in agent_surface_forms(m.group("phrase"), m.group("plural"), substitutions):
            out.append((m.group("phrase"), form, code, position))
    return out


def convert(ref: Path, report: Report) -> list[tuple[str, str, str, str]]:
    rows: dict[tuple[str, str, str], str] = {}
    phoenix_phrases: set[str] = set()
    for rel in AGENT_FILES:
        path = ref / rel
        is_phoenix = rel.startswith("petrarch2/")
        for entry, raw, code, position in read_agents(path, report):
            entry_key = name_key(entry)
            if is_phoenix:
                phoenix_phrases.add(entry_key)
            elif entry_key in phoenix_phrases:
                # Phoenix has this entry (with its own plural rule): keep Phoenix's.
                report.add("agents: NGEC entry already in Phoenix skipped")
                continue
            for phrase in phrase_forms(raw, report, "agents"):
                key = phrase.casefold()
                if is_phoenix:
                    phoenix_phrases.add(name_key(phrase))
                elif name_key(phrase) in phoenix_phrases:
                    report.add("agents: NGEC form already in Phoenix skipped")
                    continue
                if (key, code, position) in rows:
                    continue
                rows[(key, code, position)] = f"{phrase}\t{path.name}"
    out = []
    for (_, code, position), value in rows.items():
        phrase, source = value.split("\t")
        out.append((phrase, code, position, source))
    out.sort(key=lambda r: (r[0].casefold(), r[0], r[1], r[2], r[3]))
    return out
