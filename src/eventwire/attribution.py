"""Attribution: which outlet or official a report cites for an event.

Rules:

- "according to X" anywhere in the sentence -> X;
- the trigger sits (through complement or conjunct links) under a
  reporting verb whose subject is X: "X said/reported/told/announced ...",
  including the trailing form "..., X reported.";
- a sentence with no attribution of its own takes the one of the previous
  sentence in the same paragraph, or else of the next one ("Russia shelled
  the port. That is according to Reuters.").

X is written as its name: a named entity when there is one, else the noun
phrase without its determiner. Pronouns ("he said") are left out.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

REPORTING = {"say", "report", "tell", "state", "announce", "claim", "add", "note", "quote",
             "confirm", "write", "allege", "insist", "declare", "disclose", "reveal", "cite",
             "broadcast", "publish", "assert"}


GENERIC_SOURCES = {"statement", "report", "reports", "source", "sources", "official", "officials",
                   "communique", "release", "spokesman", "spokeswoman", "spokesperson"}


def _name(tok: Token) -> str | None:
    if tok.pos_ == "PRON":
        return None
    if tok.lower_ in GENERIC_SOURCES:
        # "a statement by the military", "sources in the ministry": name who stands behind it
        for prep in tok.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "from", "of", "in"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return _name(pobj)
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None:
            return _name(owner)
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE", "NORP", "WORK_OF_ART", "FAC"):
        return ent.text.removeprefix("the ").removeprefix("The ")
    toks = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "punct", "case")]
    text = tok.doc[toks[0].i : tok.i + 1].text if toks else tok.text
    return text.removeprefix("the ").removeprefix("The ") or None


def according_to(sent: Span) -> list[str]:
    out = []
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and sent.doc[t.i + 1].lower_ == "to":
            to = sent.doc[t.i + 1]
            for pobj in (c for c in to.children if c.dep_ == "pobj"):
                name = _name(pobj)
                if name:
                    out.append(name)
    return out


def reporters(trigger: Token) -> list[str]:
    """Subjects of reporting verbs that govern the trigger."""
    out: list[str] = []
    t = trigger
    for _ in range(10):
        if t.lemma_.lower() in REPORTING and t.i != trigger.i:
            for s in t.children:
                if s.dep_ == "nsubj":
                    name = _name(s)
                    if name:
                        out.append(name)
        # a trailing "X reported" is often parsed as the root with the report as ccomp,
        # or as a parataxis child of the event's clause
        for c in t.children:
            if c.dep_ == "parataxis" and c.lemma_.lower() in REPORTING:
                out.extend(n for s in c.children if s.dep_ == "nsubj" for n in [_name(s)] if n)
        if t.head.i == t.i or t.dep_ in ("relcl", "advcl"):
            break
        t = t.head
    return out


def sentence_attribution(sent: Span) -> list[str]:
    """Attribution that applies to a whole sentence (for its neighbours)."""
    names = according_to(sent)
    root = sent.root
    if root.lemma_.lower() in REPORTING:
        names += [n for s in root.children if s.dep_ == "nsubj" for n in [_name(s)] if n]
    return names


def attribute(trigger: Token, own: list[str], neighbours: list[list[str]]) -> list[str]:
    """reported_by for one event: the sentence's own, else the neighbours'."""
    names = reporters(trigger) + own or next((n for n in neighbours if n), [])
    return list(dict.fromkeys(names))


def neighbours(whole: list[list[str]], paragraphs: list[int], i: int) -> list[list[str]]:
    """The whole-sentence attributions of sentence i's neighbours in its paragraph,
    the previous one first (`whole` from sentence_attribution, per sentence)."""
    return [whole[j] for j in (i - 1, i + 1)
            if 0 <= j < len(whole) and paragraphs[j] == paragraphs[i]]
