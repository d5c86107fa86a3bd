"""Measure how many named people and organisations resolve to an actor code.

    .venv/bin/python scripts/measure_actor_coverage.py \
        [--example ../shared/examples/xi-putin-call-2022-02-25.txt] \
        [--gold ../shared/gold/dev] [--mode both|before|after] [--limit N]

(a) `--example`: every PERSON and ORG entity mention of the article, with the
    code it resolved to and how (the article is read as the coder reads it:
    mentions in order, the article context remembering each result).
(b) `--gold`: over the texts of every `*.jsonl` in the directory (read at run
    time only, nothing is copied), the share of spaCy PERSON and ORG mentions
    that resolve to an actor code, per dataset and overall:
    - before: the Phoenix dictionaries only (countries, agents, actors.csv),
      no office-holder or organisation tables, no article context;
    - after: everything the coder uses (tables, title rules, coreference).
Each text is coded with its own date, as `eventwire code` does (no date: the
undated roles).

A mention counts as resolved when the noun phrase it heads (or, for a name
inside a longer phrase, the phrase it is part of: "Chinese President Xi
Jinping") resolves to any code. This is a figure, not a test.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

import eventwire
from eventwire.actors.coref import ArticleContext
from eventwire.actors.dictionary import load_dictionary
from eventwire.actors.resolver import Mention, Resolver
from eventwire.read import read_path
from eventwire.records import Article

LABELS = ("PERSON", "ORG")
HEAD_POS = ("PROPN", "NOUN", "PRON")
SKIP_DEP = ("compound", "flat", "amod")


@dataclass(frozen=True)
class Resolved:
    code: str | None
    how: str


def resolve_doc(doc: Doc, date: str | None, resolver: Resolver, *, coref: bool
                ) -> dict[int, Resolved]:
    """Token index -> resolution, reading the article as the pipeline does."""
    ctx = ArticleContext()
    out: dict[int, Resolved] = {}

    def one(tok: Token, si: int) -> Resolved:
        if tok.i in out:
            return out[tok.i]
        m: Mention | None = resolver.resolve(tok, date, defer=coref)
        how = m.how if m else ""
        if m is None and coref:
            found = ctx.resolve(tok, si, resolver, resolver.dictionary, date)
            if found:
                m, how = found
        if m is not None and coref:
            ctx.remember(m, si, tok.dep_ in ("nsubj", "nsubjpass"), tok)
        out[tok.i] = Resolved(m.actor.code if m else None, how)
        return out[tok.i]

    for si, sent in enumerate(doc.sents):
        for tok in sent:
            if tok.pos_ in HEAD_POS and tok.dep_ not in SKIP_DEP:
                one(tok, si)
    # names that are not phrase heads ("Xi" in "Xi Jinping", "NATO" as a modifier)
    for ent in doc.ents:
        if ent.label_ in LABELS:
            head = _phrase_head(ent)
            if head.i not in out:
                si = next(i for i, s in enumerate(doc.sents) if s.start <= head.i < s.end)
                one(head, si)
    return out


def _phrase_head(ent: Span) -> Token:
    tok = ent.root
    while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def coverage(doc: Doc, resolved: dict[int, Resolved]) -> Counter[str]:
    c: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        c[ent.label_] += 1
        r = resolved.get(_phrase_head(ent).i) or resolved.get(ent.root.i)
        if r is not None and r.code:
            c[ent.label_ + "_ok"] += 1
    return c


def example_report(coder: eventwire.Coder, path: Path) -> None:
    article = next(a for a in read_path(path, strict=True) if isinstance(a, Article))
    doc = coder.nlp(article.text)
    resolved = resolve_doc(doc, article.date, coder.resolver, coref=True)
    print(f"## (a) {path.name} (date {article.date})\n")
    print("| mention | label | code | how |\n|---|---|---|---|")
    missing = 0
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        r = resolved.get(_phrase_head(ent).i) or Resolved(None, "")
        missing += r.code is None
        print(f"| {ent.text} | {ent.label_} | {r.code or '-'} | {r.how.replace('|', '/')} |")
    print(f"\nunresolved: {missing}\n")


def gold_report(coder: eventwire.Coder, gold: Path, mode: str, limit: int | None) -> None:
    before = Resolver(load_dictionary(tables=False), coder.countries, coder.gazetteer.lookup)
    modes = [m for m in ("before", "after") if mode in (m, "both")]
    total: dict[str, Counter[str]] = {m: Counter() for m in modes}
    print("## (b) PERSON and ORG mentions resolved to an actor code\n")
    print("| dataset | mode | PERSON | resolved | share | ORG | resolved | share |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for f in sorted(gold.glob("*.jsonl")):
        rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line]
        rows = rows[:limit] if limit else rows
        counts: dict[str, Counter[str]] = {m: Counter() for m in modes}
        texts = ((r.get("text") or "", r.get("date")) for r in rows)
        for doc, date in coder.nlp.pipe(texts, as_tuples=True, batch_size=64):
            for m in modes:
                res = resolve_doc(doc, date, coder.resolver if m == "after" else before,
                                  coref=m == "after")
                counts[m] += coverage(doc, res)
        for m in modes:
            total[m] += counts[m]
            print(_row(f.stem, m, counts[m]))
    for m in modes:
        print(_row("**all**", m, total[m]))


def _row(name: str, mode: str, c: Counter[str]) -> str:
    def share(label: str) -> str:
        return f"{c[label + '_ok'] / c[label]:.3f}" if c[label] else "-"
    return (f"| {name} | {mode} | {c['PERSON']} | {c['PERSON_ok']} | {share('PERSON')} | "
            f"{c['ORG']} | {c['ORG_ok']} | {share('ORG')} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--example", type=Path)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--mode", choices=("both", "before", "after"), default="both")
    ap.add_argument("--limit", type=int, default=None, help="records per gold file")
    args = ap.parse_args()
    coder = eventwire.load()
    if args.example:
        example_report(coder, args.example)
    if args.gold:
        gold_report(coder, args.gold, args.mode, args.limit)


if __name__ == "__main__":
    main()
