"""Build actors.csv from PETRARCH2's Phoenix actor dictionaries.

Source: petrarch2/Phoenix.Countries.actors.txt, Phoenix.International.actors.txt
and Phoenix.MilNonState.actors.txt under the reference folder. Output columns:
phrase, code, start, end, source (one row per phrase form, code and date range).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reference.common import BRACKET_RE, CODE_RE, Report, phrase_forms, strip_comment

FILE = "actors.csv"
HEADER = ("phrase", "code", "start", "end", "source")

ACTOR_FILES = (
    "petrarch2/Phoenix.Countries.actors.txt",
    "petrarch2/Phoenix.International.actors.txt",
    "petrarch2/Phoenix.MilNonState.actors.txt",
)


def parse_petrarch_date(text: str, report: Report, where: str) -> dt.date | None:
    """YYMMDD (YY>=30 -> 19YY, else 20YY) or YYYYMMDD; None when unusable."""
    digits = text.strip()
    if len(digits) == 10 and digits.startswith("19") and digits[2:4] == "20":
        report.add("actors: 10-digit date '19'+YYYYMMDD repaired", f"{where} {digits}")
        digits = digits[2:]
    if len(digits) == 6 and digits.isdigit():
        yy = int(digits[:2])
        year = 1900 + yy if yy >= 30 else 2000 + yy
        month, day = int(digits[2:4]), int(digits[4:6])
    elif len(digits) == 8 and digits.isdigit():
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    else:
        report.add("actors: restriction with malformed date dropped", f"{where} {text}")
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        report.add("actors: restriction with impossible date dropped", f"{where} {text}")
        return None




def parse_restriction(body: str, report: Report, where: str) -> tuple[str, str, str] | None:
    """'[USAGOV 450703-470121]' body -> (code, start, end); None to drop."""
    parts = body.split(None, 1)
    if not parts:
        return None
    code = parts[0].strip()
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if code == "---":
        report.add("actors: null code [---] skipped")
        return None
    if not CODE_RE.fullmatch(code):
        report.add("actors: malformed code dropped", f"{where} [{body}]")
        return None
    if not rest:
        return code, "", ""
    if rest[0] in "<>":
        day = parse_petrarch_date(rest[1:], report, where)
        if day is None:
            return None
        return (code, "", day.isoformat()) if rest[0] == "<" else (code, day.isoformat(), "")
    if "-" not in rest:
        report.add("actors: restriction with a single bare date dropped", f"{where} [{body}]")
        return None
    first, second = rest.split("-", 1)
    start = parse_petrarch_date(first, report, where)
    end = parse_petrarch_date(second, report, where)
    if start is None or end is None:
        return None
    if start > end and len(first) == 6 and start.year >= 2000:
        # A 6-digit start read as 20YY that lies after its end: it meant 19YY.
        start = start.replace(year=start.year - 100)
        report.add("actors: 6-digit start moved to 19YY so start <= end", f"{where} [{body}]")
    if start > end:
        report.add("actors: restriction with start after end dropped", f"{where} [{body}]")
        return None
    return code, start.isoformat(), end.isoformat()



@dataclass
class ActorBlock:
    phrases: list[str]
    codes: list[tuple[str, str, str]]
    where: str
    has_brackets: bool  # any [..] seen, even a null [---]
    blank_before: bool  # a blank line separates it from the previous block


def read_raw_actor_blocks(path: Path, report: Report) -> Iterator[ActorBlock]:
    block: ActorBlock | None = None
    name = path.name
    blank = True
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            blank = True
            continue
        line = strip_comment(raw)
        # Stray provenance lines ("Source: MNC.MLH.actors") are not phrases.
        if not line.strip() or line.startswith("Source:"):
            continue
        where = f"{name}:{lineno}"
        brackets = BRACKET_RE.findall(line)
        text = line.split("[", 1)[0]
        codes = [r for r in (parse_restriction(b, report, where) for b in brackets) if r]
        if line[0] in "\t ":
            if block is None:
                report.add("actors: restriction outside any block dropped", where)
                continue
            block.codes.extend(codes)
            block.has_brackets = block.has_brackets or bool(brackets)
        elif line.startswith("+"):
            if block is None:
                report.add("actors: synonym outside any block dropped", where)
                continue
            # "..._AL_ISLAMI+_ISLAMIC_ADEN_ARMY_": two synonyms on one line.
            block.phrases.extend(p for p in re.split(r"\+(?=_)", text[1:]) if p.strip("_ "))
            block.codes.extend(codes)
            block.has_brackets = block.has_brackets or bool(brackets)
        else:
            if block is not None:
                yield block
            block = ActorBlock([text], codes, where, bool(brackets), blank)
        blank = False
    if block is not None:
        yield block


def read_actor_blocks(path: Path, report: Report) -> list[ActorBlock]:
    """Blocks with codes; code-less primary lines are attached where they belong.

    Some entries lack the '+' of a synonym: a code-less primary line directly
    followed by another primary line shares that line's codes
    ("IVO_JOSIPOVIC_" / "JOSIPOVIC_" / [HRVGOV ...]); a code-less line right
    after a coded block, closed by a blank line, belongs to that block
    ("UN_ [IGOUNO]" / "U.N._").
    """
    raw = list(read_raw_actor_blocks(path, report))
    out: list[ActorBlock] = []
    for i, block in enumerate(raw):
        if block.has_brackets:
            out.append(block)
            continue
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt is not None and not nxt.blank_before:
            nxt.phrases[:0] = block.phrases
            nxt.blank_before = block.blank_before
            report.add("actors: code-less line joined to the next entry", block.where)
        elif not block.blank_before and out and out[-1].codes:
            out[-1].phrases.extend(block.phrases)
            report.add("actors: code-less line joined to the previous entry", block.where)
        else:
            report.add("actors: entry without any code dropped", block.where)
    return out


def convert(ref: Path, report: Report) -> list[tuple[str, str, str, str, str]]:
    rows: dict[tuple[str, str, str, str], str] = {}
    for rel in ACTOR_FILES:
        path = ref / rel
        for block in read_actor_blocks(path, report):
            if not block.codes:
                continue  # only null codes ([---]): deliberately not coded
            for raw in block.phrases:
                for phrase in phrase_forms(raw, report, "actors"):
                    for code, start, end in block.codes:
                        key = (phrase.casefold(), code, start, end)
                        if key in rows:
                            report.add("actors: duplicate row merged")
                            continue
                        rows[key] = f"{phrase}\t{path.name}"
    out = []
    for (_, code, start, end), value in rows.items():
        phrase, source = value.split("\t")
        out.append((phrase, code, start, end, source))
    out.sort(key=lambda r: (r[0].casefold(), r[0], r[1], r[2], r[3], r[4]))
    return out
