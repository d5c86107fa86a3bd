"""Small helpers over a spaCy dependency tree, shared by the dates and places stages.

Both stages must decide which of several phrases in a sentence belongs to an
event trigger (the *anchor*). They use the same rule: walk the tree from the
phrase and from the anchor up to their lowest common ancestor, and refuse a
path that leaves a *finite clause* (a clausal dependent with its own subject:
a relative clause, a `that`-complement, an adverbial clause, a conjoined
clause with a new subject). A phrase inside such a clause describes that
clause's event, not the anchor's. Crossing a non-finite clause (an `xcomp`,
a participle, a conjoined verb phrase that shares the subject) is allowed
with a penalty, since those usually share time and place with their head.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

# Dependency labels that open a clause below their head.
CLAUSAL_DEPS = frozenset(
    {"relcl", "ccomp", "advcl", "csubj", "csubjpass", "parataxis", "conj", "acl", "xcomp"}
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def ancestors_path(tok: Token) -> list[Token]:
    """`tok` and its heads up to the root, in that order."""
    path = [tok]
    while path[-1].head.i != path[-1].i and len(path) < 200:  # 200: guard against cycles
        path.append(path[-1].head)
    return path


def is_finite_clause(tok: Token) -> bool:
    """True when `tok` heads a clausal dependent that has a subject of its own."""
    if tok.dep_ not in CLAUSAL_DEPS:
        return False
    if tok.dep_ == "relcl":
        return True  # a relative clause always has a subject, maybe the relative pronoun
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children)


@dataclass(frozen=True, slots=True)
class TreePath:
    """How a phrase head `start` reaches the anchor through their lowest common ancestor."""

    up_from_phrase: tuple[Token, ...]  # phrase head ... below the ancestor
    up_from_anchor: tuple[Token, ...]  # anchor ... below the ancestor
    ancestor: Token | None  # None when the two tokens are in different sentences

    @property
    def length(self) -> int:
        return len(self.up_from_phrase) + len(self.up_from_anchor)

    @property
    def blocked(self) -> bool:
        """The path leaves a finite clause on either side."""
        return self.ancestor is None or any(
            is_finite_clause(t) for t in (*self.up_from_phrase, *self.up_from_anchor)
        )

    @property
    def crossings(self) -> int:
        """Clause boundaries (finite or not) crossed on the way."""
        return sum(t.dep_ in CLAUSAL_DEPS for t in (*self.up_from_phrase, *self.up_from_anchor))


def tree_path(phrase_head: Token, anchor: Token) -> TreePath:
    """The path between two tokens of one parse, split at their lowest common ancestor."""
    up_p = ancestors_path(phrase_head)
    up_a = ancestors_path(anchor)
    on_anchor_path = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate(up_p):
        if t.i in on_anchor_path:
            return TreePath(tuple(up_p[:n]), tuple(up_a[: on_anchor_path[t.i]]), t)
    return TreePath(tuple(up_p), tuple(up_a), None)


def governing_verb(tok: Token, max_steps: int = 8) -> Token | None:
    """`tok` itself when it is a verb, else the nearest verb above it (None if none)."""
    for t in ancestors_path(tok)[: max_steps + 1]:
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None
