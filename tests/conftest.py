"""Shared fixtures: one real coder (spaCy model + dictionaries) per test session."""

from __future__ import annotations

import pytest

import eventwire


@pytest.fixture(scope="session")
def coder() -> eventwire.Coder:
    return eventwire.load()
