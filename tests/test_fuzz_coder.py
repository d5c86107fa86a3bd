"""Property tests over the coder (real spaCy parse): whatever the text, `code`
returns a list of well-formed events (often empty) in bounded time, and
never raises. The long run is `python fuzz/run.py`."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventwire
from eventwire.config import Config
from eventwire.limits import TimeLimitedCoder

FAST = settings(max_examples=int(os.environ.get("EVENTWIRE_FUZZ_EXAMPLES", "30")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Per call, on a shared two-core machine; a normal article takes well under a second.
BUDGET = 30.0

PIECES = [
    "Russian troops shelled Kharkiv on Thursday.", "The president of Kenya met the Pope.",
    "Police arrested 40 protesters in Lima, officials said.", "He did not attack them.",
    "Die Regierung in Berlin kritisierte Moskau scharf.", "北京周四表示反对制裁。",
    "قالت الحكومة إنها سترد", "\u202eRTL override\u202c", "שלום עולם", "\U0001f4a3\U0001f525",
    "\u200d\u200b\ufeff", "\x00\x01\x07\x1b[31m", "\r\n\r\n", "\t" * 50,
    "NATO", "UN", "???", "!!!", "... ... ...", "Mr.", "U.S.", "-" * 200, "0000-00-00",
    "https://example.invalid/a?b=c", "<script>alert(1)</script>", "' OR 1=1 --",
]
dates = st.sampled_from([None, "2022-02-25", "1900-01-01", "1000-06-15", "2999-12-31"])


def check(events: list[eventwire.Event], text: str) -> None:
    assert isinstance(events, list)
    for e in events:
        assert isinstance(e, eventwire.Event)
        assert 0 <= e.span[0] <= e.span[1] <= len(text)
        assert e.cameo and e.quad_class in (1, 2, 3, 4)
        e.to_dict()  # serialisable


# Lone surrogates have their own test below.
no_surrogates = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(parts=st.lists(st.sampled_from(PIECES) | no_surrogates, max_size=12),
       sep=st.sampled_from([" ", "\n", "\n\n", "", "\x0c"]), date=dates)
def test_fuzz_coder_odd_text_never_raises(coder: eventwire.Coder, parts: list[str], sep: str,
                                          date: str | None) -> None:
    text = sep.join(parts)
    start = time.monotonic()
    events = coder.code(text, date=date, all_modalities=True)
    assert time.monotonic() - start < BUDGET
    check(events, text)


@pytest.mark.parametrize("text", [
    "",
    " ",
    "\x00" * 1000,
    "a" * 100_000,  # one 100,000-character token
    ("Troops attacked the town. " * 4000),  # 100,000 characters of short sentences
    "\U0001f600" * 500,
    "ب" * 50_000,
])
def test_fuzz_coder_big_and_degenerate_inputs(coder: eventwire.Coder, text: str) -> None:
    start = time.monotonic()
    events = coder.code(text, date="2022-02-25")
    took = time.monotonic() - start
    check(events, text)
    assert took < 120, f"{took:.0f} s"


# A report date at the calendar's edge: a weekday mention must not overflow.
@pytest.mark.parametrize(("text", "date"), [
    ("Russian troops shelled Kharkiv on Thursday.", "9999-12-31"),
    ("Russian troops shelled Kharkiv last Thursday.", "0001-01-01"),
])
def test_fuzz_coder_calendar_edge_report_dates(coder: eventwire.Coder, text: str,
                                               date: str) -> None:
    check(coder.code(text, date=date), text)


# A lone surrogate (a legal JSON escape) must not reach spaCy's tokenizer.
@pytest.mark.parametrize("text", ["\ud800", "Troops \udfff attacked the town."])
def test_fuzz_coder_lone_surrogates(coder: eventwire.Coder, text: str) -> None:
    check(coder.code(text, date="2022-02-25"), text)


CLAUSE = ("the army of Freedonia shelled the positions of rebels near the river and the "
          "minister of Sylvania condemned the attack, ")


@pytest.mark.slow
# Sentences over pipeline.MAX_SENTENCE_TOKENS are skipped, so time stays bounded.
@pytest.mark.parametrize("text", [
    "Officials said that " + CLAUSE * (100_000 // len(CLAUSE)) + "and more.",
    "\U0001f600" * 20_000,
    "word " * 20_000,
], ids=["100k-char-sentence", "20k-emoji", "20k-words"])
def test_fuzz_coder_huge_sentence_in_bounded_time(text: str) -> None:
    with TimeLimitedCoder(Config(), timeout=20) as limited:
        [(_, result)] = list(limited.pipe_results([
            eventwire.Article(id="long", text=text, date="2022-02-25")]))
    assert isinstance(result, list)
