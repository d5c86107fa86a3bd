"""The event lexicon: verb patterns and event nouns, loaded from package data.

Sources, in the order they are applied (later wins for the same key):

- `verbs.jsonl`: PETRARCH2's CAMEO.2.0 verb blocks, converted by
  `scripts/convert_verbs.py` (patterns keep their words; roles come from the
  parse, not from PETRARCH's $/+ markers).
- `verbs_extra.jsonl`: eventwire's own blocks and patterns, same shape.
- `verb_overrides.csv`: default codes for single verbs (`lemma,code,note`);
  an empty code removes a verb that PETRARCH's loose synonym blocks put in the
  wrong place (e.g. "reside" in the INVADE block).
- `event_nouns.csv`: nouns that name events ("talks", "invasion",
  "sanctions"), with the code they take and the prepositions that introduce
  their source and target.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..datacache import cached, package_data, source_of

Alternatives = tuple[tuple[str, ...], ...]  # one slot: any of these word sequences


@dataclass(frozen=True, slots=True)
class Pattern:
    subject: tuple[Alternatives, ...]
    object: tuple[Alternatives, ...]
    preps: tuple[tuple[str, tuple[Alternatives, ...]], ...]
    code: str
    text: str  # a readable rendering, for `explain`
    # words of which at least one must be near the verb for the pattern to match:
    # a cheap test that spares the full match for most patterns
    anchors: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        return (
            len(self.subject) + len(self.object)
            + sum(1 + len(nouns) for _, nouns in self.preps)
        )


@dataclass(frozen=True, slots=True)
class VerbEntry:
    lemma: str
    block: str
    code: str | None  # the verb's own default code, or the block's
    words_before: tuple[str, ...]
    words_after: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    # The code comes from eventwire's overrides: block patterns may refine it
    # within its root but not move it to another root.
    locked: bool = False
    # positions in `patterns` by anchor word, and of patterns with no anchor:
    # a verb tries only the patterns one of whose words is near it
    by_anchor: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False,
                                                  repr=False)
    unanchored: tuple[int, ...] = ()

    def candidates(self, near: set[str]) -> list[int]:
        """Positions of the patterns worth trying, given the words near the verb."""
        found = set(self.unanchored)
        for w in near:
            found.update(self.by_anchor.get(w, ()))
        return sorted(found)


@dataclass(frozen=True, slots=True)
class NounEntry:
    lemma: str
    code: str
    modifiers: tuple[str, ...]  # any of these words must modify the noun ("phone" call)
    source_preps: tuple[str, ...]  # "by" (invasion by Russia)
    target_preps: tuple[str, ...]  # "of", "on", "against" (invasion of Ukraine)


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[VerbEntry, ...]]
    nouns: dict[str, tuple[NounEntry, ...]]

    def verb_entries(self, lemma: str) -> tuple[VerbEntry, ...]:
        return self.verbs.get(lemma, ())

    def noun_entries(self, lemma: str) -> tuple[NounEntry, ...]:
        return self.nouns.get(lemma, ())


def _data(name: str) -> str:
    return resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")


def _slot(raw: list[list[str]]) -> Alternatives:
    return tuple(tuple(words) for words in raw)


def _render(p: dict[str, object]) -> str:
    def slot_text(slot: list[list[str]]) -> str:
        first = " ".join(slot[0]) if slot else "?"
        return first if len(slot) == 1 else f"{first}|..."

    subj = " ".join(slot_text(s) for s in p["subject"])  # type: ignore[attr-defined]
    obj = " ".join(slot_text(s) for s in p["object"])  # type: ignore[attr-defined]
    preps = " ".join(
        f"({prep}{' ' + ' '.join(slot_text(n) for n in nouns) if nouns else ''})"
        for prep, nouns in p["preps"]  # type: ignore[attr-defined]
    )
    return " ".join(x for x in (subj, "*", obj, preps) if x)


def _pattern(p: dict[str, object]) -> Pattern:
    subject = tuple(_slot(s) for s in p["subject"])  # type: ignore[attr-defined]
    obj = tuple(_slot(s) for s in p["object"])  # type: ignore[attr-defined]
    preps = tuple(
        (prep, tuple(_slot(n) for n in nouns))
        for prep, nouns in p["preps"]  # type: ignore[attr-defined]
    )
    if preps:
        anchors = frozenset({preps[0][0]})
    else:
        first = (subject + obj)[:1]
        anchors = frozenset(w for slot in first for alt in slot for w in alt)
    return Pattern(subject=subject, object=obj, preps=preps, code=str(p["code"]),
                   text=_render(p), anchors=anchors)


def _anchor_index(patterns: tuple[Pattern, ...]
                  ) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, p in enumerate(patterns):
        for w in p.anchors:
            index.setdefault(w, []).append(i)
    unanchored = tuple(i for i, p in enumerate(patterns) if not p.anchors)
    return {w: tuple(ix) for w, ix in index.items()}, unanchored


def _blocks(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon of the package data (immutable, so cached per process, and
    on disk by datacache)."""
    return cached("lexicon", [source_of(__file__), package_data()], build_lexicon)


def build_lexicon() -> Lexicon:
    """Build the lexicon from package data."""
    overrides: dict[str, str | None] = {}
    for row in csv.DictReader(io.StringIO(_data("verb_overrides.csv"))):
        overrides[row["lemma"].strip().lower()] = row["code"].strip() or None

    verbs: dict[str, list[VerbEntry]] = {}
    petrarch = _blocks(_data("verbs.jsonl"))
    for block in petrarch + _blocks(_data("verbs_extra.jsonl")):
        ours = not any(block is b for b in petrarch)
        parsed = [(p, _pattern(p)) for p in block["patterns"]]  # type: ignore[attr-defined]
        patterns = tuple(pat for _, pat in parsed if pat.specificity)
        by_anchor, unanchored = _anchor_index(patterns)
        # A pattern with no words ("- * [141]  # DEMONSTRATE") is the default code
        # of the one verb named in its comment, not of the whole block.
        bare = {str(p["example_verb"]): pat.code for p, pat in parsed
                if not pat.specificity and p.get("example_verb")}
        for v in block["verbs"]:  # type: ignore[attr-defined]
            lemma = v["lemma"]
            code: str | None = v.get("code") or bare.get(lemma) or block.get("code")  # type: ignore[assignment]
            locked = False
            # overrides correct PETRARCH's blocks; eventwire's own blocks say what they mean
            if lemma in overrides and not ours and not v["words_after"] and not v["words_before"]:
                code = overrides[lemma]
                locked = code is not None
            verbs.setdefault(lemma, []).append(VerbEntry(
                lemma=lemma, block=str(block["block"]), code=code,
                words_before=tuple(v["words_before"]), words_after=tuple(v["words_after"]),
                patterns=patterns, locked=locked, by_anchor=by_anchor, unanchored=unanchored,
            ))
    for lemma, code in overrides.items():
        if lemma not in verbs and code:
            verbs[lemma] = [VerbEntry(lemma, "OVERRIDE", code, (), (), ())]

    nouns: dict[str, list[NounEntry]] = {}
    for row in csv.DictReader(io.StringIO(_data("event_nouns.csv"))):
        lemma = row["lemma"].strip().lower()
        nouns.setdefault(lemma, []).append(NounEntry(
            lemma=lemma, code=row["code"].strip(),
            modifiers=tuple(w for w in row["modifiers"].split("|") if w),
            source_preps=tuple(w for w in row["source_preps"].split("|") if w),
            target_preps=tuple(w for w in row["target_preps"].split("|") if w),
        ))
    return Lexicon(
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns={k: tuple(v) for k, v in nouns.items()},
    )
