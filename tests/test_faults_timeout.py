"""Bounded time per article (eventwire.limits): the real coder in a child
process, a real slow article (a very long one), a real kill."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from eventwire.config import Config
from eventwire.errors import InputError, ModelError
from eventwire.limits import ArticleTimeout, TimeLimitedCoder
from eventwire.records import Article

pytestmark = pytest.mark.slow  # child processes that load the model, ~40 s

# About 50,000 words of ordinary sentences: several seconds of coding, well over the
# 3 s limit (one very long sentence no longer works: the coder cuts such sentences).
SLOW = ("The army of Freedonia shelled the positions of rebels near the river, and the "
        "minister of Sylvania condemned the attack on Monday. ") * 2500
GOOD = "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday."


@pytest.fixture(scope="module")
def limited() -> Iterator[TimeLimitedCoder]:
    with TimeLimitedCoder(Config(), timeout=3.0) as coder:
        yield coder


def arts(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", text=t, date="2023-05-08", origin=f"in.jsonl:{i + 1}")
            for i, t in enumerate(texts)]


def test_limits_slow_article_is_skipped_and_named_others_coded(
        limited: TimeLimitedCoder, coder: object) -> None:
    start = time.monotonic()
    results = list(limited.pipe_results(arts(GOOD, SLOW, GOOD)))
    took = time.monotonic() - start
    assert [a.id for a, _ in results] == ["a0", "a1", "a2"]
    first, slow, last = (r for _, r in results)
    assert isinstance(slow, ArticleTimeout)
    assert "in.jsonl:2" in str(slow) and "3 s limit" in str(slow)
    assert isinstance(first, list) and isinstance(last, list)
    expected = coder.code(GOOD, date="2023-05-08", article_id="a0")  # type: ignore[attr-defined]
    assert [e.to_dict() for e in first] == [e.to_dict() for e in expected]
    assert [e.cameo for e in last] == [e.cameo for e in expected] and expected
    # 3 s for the slow one, a restart of the child, the two good ones
    assert took < 60


def test_limits_pipe_raises_the_timeout_and_recovers(limited: TimeLimitedCoder) -> None:
    with pytest.raises(ArticleTimeout):
        limited.code(SLOW, date="2023-05-08")
    # the next call is served by a healthy child
    assert limited.code(GOOD, date="2023-05-08")


def test_limits_coder_exception_is_reported_not_raised(limited: TimeLimitedCoder) -> None:
    broken = Article(id="bad", text=None, origin="x.jsonl:7")  # type: ignore[arg-type]
    [(_, err), (_, ok)] = list(limited.pipe_results([broken, *arts(GOOD)]))
    assert isinstance(err, InputError) and not isinstance(err, ArticleTimeout)
    assert "x.jsonl:7" in str(err) and "coder failed" in str(err)
    assert isinstance(ok, list) and ok


def test_limits_killed_child_is_reported_and_replaced(limited: TimeLimitedCoder) -> None:
    """The OOM killer (or a crash in compiled code) takes the child mid-article."""
    limited.code(GOOD)  # make sure a child is running
    proc = limited._proc
    assert proc is not None and proc.pid
    timer = threading.Timer(0.5, os.kill, (proc.pid, signal.SIGKILL))
    timer.start()
    results = list(limited.pipe_results(arts(SLOW, GOOD)))
    timer.join()
    err = results[0][1]
    assert isinstance(err, InputError) and "died" in str(err) and "-9" in str(err)
    assert isinstance(results[1][1], list) and results[1][1]


def test_limits_abandoned_iteration_leaves_no_stale_answers(limited: TimeLimitedCoder) -> None:
    it = limited.pipe_results(arts(GOOD, GOOD, GOOD, GOOD))
    next(it)
    del it  # three answers still on their way
    [(art, evs)] = list(limited.pipe_results([Article(id="fresh", text=GOOD)]))
    assert art.id == "fresh" and isinstance(evs, list)


def test_limits_bad_model_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="could not start"), \
            TimeLimitedCoder(Config(model="no_such_model_xyz"), timeout=5) as coder:
        coder.code(GOOD)


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_limits_timeout_must_be_positive(timeout: float) -> None:
    with pytest.raises(ValueError):
        TimeLimitedCoder(timeout=timeout)
