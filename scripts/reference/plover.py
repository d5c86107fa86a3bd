"""Build plover.csv, the CAMEO->PLOVER crosswalk, from PLOVER's crosswalk.

Sources: plover/CAMEO2PLOVER-2021.txt (repaired by CROSSWALK_FIXES and
CONTEXT_RENAMES), checked against the PLOVER manual's types, modes and
contexts (tables below) and the modes in
ngec/PLOVER_structured_codebook_updated.csv; one row per CAMEO code of
cameo.csv (as built by cameo.py), codes the crosswalk lacks mapped by
STATEMENT_MAP, their DEMAND twin or their parent. Output columns: cameo,
plover, mode, context, note.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from reference.cameo import CAMEO_EXTENSIONS
from reference.common import Report, word_set

FILE = "plover.csv"
HEADER = ("cameo", "plover", "mode", "context", "note")

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
PLOVER_CONTEXTS = word_set(
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


def convert(ref: Path, cameo_rows: list[tuple[str, ...]],
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
