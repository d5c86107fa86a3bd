"""Readers, writers and text helpers shared by the converters in this package.

Builds no file itself: it holds the default paths, the Report of what was
dropped or repaired, the phrase helpers that actors.py and agents.py (and
countries.py) use on PETRARCH2/NGEC dictionary phrases, the comment and
bracket syntax of PETRARCH's dictionaries (also used by verbs.py), and the
CSV writer.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "src" / "eventwire" / "data"


def word_set(text: str) -> frozenset[str]:
    """The blank-separated words of a literal table, as a set."""
    return frozenset(text.split())


# Single-token phrases that are ordinary English function words: matched
# case-insensitively they would fire on almost every sentence ("US" -> "us",
# "IT" -> "it"). Reviewed by hand against the Phoenix single-token entries.
MISFIRE_TOKENS = word_set(
    """a about all also am an and any are as at be but by can did do for from
    had has have he her him his i if in is it its me my no not of on one or
    our she so than that the their them then there these they this those to
    up us was we were what when where which who will with you your"""
)


# A CAMEO actor or agent code: 3-letter country or group code, then
# 3-character sector codes.
CODE_RE = re.compile(r"[A-Z]{3}(?:[A-Z0-9]{3})*")

# "[...]" in a PETRARCH dictionary line: codes, restrictions or verb codes.
BRACKET_RE = re.compile(r"\[([^\]]*)\]")

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


def strip_comment(line: str) -> str:
    """A PETRARCH dictionary line without its '#' comment and trailing blanks."""
    return line.split("#", 1)[0].rstrip()


def name_key(name: str) -> str:
    """'Timor-Leste' and 'TIMOR_LESTE' compare equal."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(name).casefold()))


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
