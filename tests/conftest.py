"""Shared fixtures: one real coder (spaCy model + dictionaries) per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import eventwire

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="session")
def coder() -> eventwire.Coder:
    return eventwire.load()


def triples(events: list[eventwire.Event]) -> set[tuple[str | None, str | None, str]]:
    return {(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo)
            for e in events}
