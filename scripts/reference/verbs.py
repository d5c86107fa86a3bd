"""Build verbs.jsonl from PETRARCH2's CAMEO.2.0.txt verb dictionary.

Source: petrarch2/CAMEO.2.0.txt under the reference folder. One JSON object
per verb block:

    {"block": "CONFER", "code": "010",
     "verbs": [{"lemma": "talk", "words_before": [], "words_after": [], "code": null}, ...],
     "patterns": [{"subject": [[...]], "object": [[...]], "preps": [["in", [[...]]]],
                   "code": "041:041", "example_verb": "discuss"}, ...]}

A word slot is a list of alternatives, each alternative a list of lower-case
words (synsets such as &CURRENCY are expanded here, so the runtime never sees
PETRARCH syntax). Source/target markers ($, +) and skip markers (^, %) are
dropped: eventwire finds roles from the dependency parse instead.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypedDict

from reference.common import BRACKET_RE, strip_comment

FILE = "verbs.jsonl"
BLOCK_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
MARKERS = {"$", "+", "^", "%"}

Slot = list[list[str]]


class Block(TypedDict):
    """One verb block: its verbs and patterns share the block's CAMEO code."""

    block: str
    code: str | None
    verbs: list[dict[str, object]]
    patterns: list[dict[str, object]]


def words_of(phrase: str) -> list[str]:
    return [w for w in phrase.replace("_", " ").lower().split() if w]


def read_synsets(lines: list[str]) -> dict[str, list[list[str]]]:
    synsets: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in lines:
        line = strip_comment(raw).strip()
        if line.startswith("####### VERB PATTERNS"):
            break
        if line.startswith("&"):
            current = line.rstrip("_").upper()
            synsets[current] = []
        elif line.startswith("+") and current:
            words = words_of(line[1:].rstrip("_"))
            if words:
                synsets[current].append(words)
        elif not line:
            current = None
    return synsets


def tokenize_pattern(text: str) -> list[str]:
    """Split a pattern into items: WORD, {A B}, (PREP ...), &SYNSET, markers, *."""
    items: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "{(":
            close = "}" if ch == "{" else ")"
            depth, j = 0, i
            while j < len(text):
                if text[j] == ch:
                    depth += 1
                elif text[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            items.append(text[i : j + 1])
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "{(":
                j += 1
            items.append(text[i:j])
            i = j
    return items


class UnknownSynset(Exception):
    """PETRARCH ignores a pattern that uses an undefined synset; so do we."""


def expand(item: str, synsets: dict[str, list[list[str]]]) -> Slot | None:
    """A noun item -> alternatives; None for markers. Raises UnknownSynset."""
    if item in MARKERS or not item:
        return None
    if item.startswith("{"):
        alternatives: Slot = [[]]
        for part in tokenize_pattern(item[1:-1]):
            if part in MARKERS or part.upper() == "AND":
                continue
            sub = expand(part, synsets)
            if not sub:
                continue
            alternatives = [a + s for a in alternatives for s in sub]
        return [a for a in alternatives if a] or None
    if item.startswith("&"):
        found = synsets.get(item.rstrip("_").upper())
        if not found:
            raise UnknownSynset(item)
        return [list(a) for a in found]
    words = words_of(item.strip("$+^%"))
    return [words] if words else None


def parse_pattern(body: str, synsets: dict[str, list[list[str]]]) -> dict[str, object] | None:
    m = BRACKET_RE.search(body)
    if not m:
        return None
    code = m.group(1).strip()
    text = body[: m.start()].strip()
    if "*" not in text:
        return None
    before, after = text.split("*", 1)
    subject: list[Slot] = []
    obj: list[Slot] = []
    preps: list[list[object]] = []
    for side, target in ((before, subject), (after, obj)):
        for item in tokenize_pattern(side):
            if item.startswith("("):
                inner = tokenize_pattern(item[1:-1])
                if not inner:
                    continue
                prep = inner[0].lower()
                nouns = [s for s in (expand(x, synsets) for x in inner[1:]) if s]
                if prep in MARKERS or not prep.isalpha():
                    continue
                preps.append([prep, nouns])
            else:
                slot = expand(item, synsets)
                if slot:
                    target.append(slot)
    return {"subject": subject, "object": obj, "preps": preps, "code": code}


def parse_verb_line(line: str) -> dict[str, object] | None:
    m = BRACKET_RE.search(line)
    code = m.group(1).strip() if m else None
    head = BRACKET_RE.sub("", line)
    head = re.sub(r"\{[^}]*\}", "", head).strip()
    if not head:
        return None
    phrase = head.split()[0].lstrip("+")
    parts = phrase.split("_")
    # "+ASK_FOR": the verb is the word marked '+', else the first word.
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    vi = marked[0] if marked else 0
    words = [p.lstrip("+").lower() for p in parts]
    if not words[vi] or not words[vi].replace("-", "").isalpha():
        return None
    return {
        "lemma": words[vi],
        "words_before": [w for w in words[:vi] if w],
        "words_after": [w for w in words[vi + 1 :] if w],
        "code": code if code and code != "---" else None,
    }


def convert(reference: Path) -> list[Block]:
    lines = (reference / "petrarch2" / "CAMEO.2.0.txt").read_text(
        encoding="utf-8", errors="replace").splitlines()
    synsets = read_synsets(lines)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("####### VERB PATTERNS"))
    blocks: list[Block] = []
    block: Block | None = None
    skipped = 0
    for raw in lines[start + 1 :]:
        line = strip_comment(raw)
        if not line.strip():
            continue
        m = BLOCK_RE.match(line.strip())
        if m:
            code = m.group(2).strip().rstrip("-") or "---"
            block = {"block": m.group(1), "code": None if code == "---" else code,
                     "verbs": [], "patterns": []}
            blocks.append(block)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            try:
                pattern = parse_pattern(line[1:], synsets)
            except UnknownSynset:
                skipped += 1
                continue
            if pattern:
                comment = raw.split("#", 1)[1].split() if "#" in raw else []
                pattern["example_verb"] = comment[0].lower() if comment else ""
                block["patterns"].append(pattern)
        elif line.startswith("~"):
            continue  # verb-verb transformations: handled by eventwire's own rules
        else:
            verb = parse_verb_line(line)
            if verb:
                block["verbs"].append(verb)
    print(f"skipped {skipped} patterns that use undefined synsets")
    return blocks


def write(path: Path, blocks: list[Block]) -> None:
    """One JSON object a line, keys sorted, so the file is deterministic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for b in blocks:
            fh.write(json.dumps(b, ensure_ascii=False, sort_keys=True) + "\n")
