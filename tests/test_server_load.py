"""The HTTP server under abuse and load: a real uvicorn server on loopback over
a real DuckDB file; the real coder (in its time-limited child) where coding
time is what is tested, a stub elsewhere."""

from __future__ import annotations

import concurrent.futures
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire import store
from eventwire.api import ServerSettings, create_app
from eventwire.config import Config
from eventwire.limits import TimeLimitedCoder
from eventwire.store.query import FILTER_NAMES
from store_factories import LiveServer, sample_pairs
from test_api import StubCoder

TOKEN = "load-test-token"
LEAKS = ("Traceback", "/work/", "site-packages", ".py\"", ".py'", ".py:", "duckdb.",
         "SELECT ", "File \"")
# ~30,000 words of ordinary sentences (under the API's 200,000-character limit):
# seconds of coding, over the 3 s limit (the coder cuts one very long sentence short)
SLOW_TEXT = ("The army of Freedonia shelled the positions of rebels near the river, and the "
             "minister of Sylvania condemned the attack on Monday. ") * 1500
GOOD_TEXT = "Police in Lima arrested twelve protesters outside the Congress on Tuesday."

HOSTILE = [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "RUS') UNION SELECT * FROM articles --",
    "%", "_", "\\", "\x00", "RUS\x00UKR", "*", "$1", "?", "::", "' || pg_sleep(5) --",
    "1e309", "-1", "99999999999999999999", "0000-00-00", "2022-13-45", "\u202eSUR",
    "\U0001f4a3", "a" * 5000, ",,,,", "RUS," * 500, "{{7*7}}", "<script>alert(1)</script>",
    "../../etc/passwd", "true; DELETE FROM events", "NaN", "Infinity",
]


def assert_clean(res: httpx.Response, sent: str = "") -> None:
    """No 5xx, one JSON error shape on failure, nothing internal leaked (a
    message may quote what the client sent)."""
    assert res.status_code < 500, (res.status_code, res.text[:300])
    for leak in LEAKS:
        if leak not in sent:
            assert leak not in res.text, f"{leak!r} in {res.text[:300]}"
    if res.status_code >= 400:
        body = res.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}


def make_db(path: Path) -> Path:
    con = store.connect(path)
    store.ingest(con, sample_pairs())
    con.close()
    return path


def count_events(url: str) -> int:
    res = httpx.get(url + "/v1/events", params={"modality": "all", "total": "true",
                                                "limit": 1}, timeout=30)
    return int(res.json()["total"])


@pytest.fixture(scope="module")
def stub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = make_db(tmp_path_factory.mktemp("abuse") / "abuse.duckdb")
    app = create_app(ServerSettings(db_path=str(db), token=TOKEN),
                     coder_factory=StubCoder)  # type: ignore[arg-type,return-value]
    with LiveServer(app) as server:
        yield server.url


@pytest.mark.parametrize("name", [*FILTER_NAMES, "limit", "cursor", "interval", "by"])
@pytest.mark.parametrize("path", ["/v1/events", "/v1/series", "/v1/actors", "/v1/network"])
def test_server_load_hostile_strings_in_every_filter(stub_server: str, name: str,
                                                      path: str) -> None:
    before = count_events(stub_server)
    with httpx.Client(base_url=stub_server, timeout=30) as c:
        for value in HOSTILE:
            res = c.get(path, params={name: value})
            assert_clean(res, sent=value)
    assert count_events(stub_server) == before  # nothing dropped or changed


@settings(max_examples=int(os.environ.get("EVENTWIRE_FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from([*FILTER_NAMES, "limit", "cursor", "total"]),
                              st.text(max_size=60), max_size=5))
def test_server_load_random_filter_combinations(stub_server: str,
                                                params: dict[str, str]) -> None:
    res = httpx.get(stub_server + "/v1/events", params=params, timeout=30)
    assert_clean(res, sent=" ".join(params.values()))


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("POST", "/v1/code", {"content": b"{not json"}),
    ("POST", "/v1/code", {"content": b"\xff\xfe\x00garbage",
                          "headers": {"content-type": "application/json"}}),
    ("POST", "/v1/code", {"json": {"text": 12}}),
    ("POST", "/v1/code", {"json": {"text": "x" * 200_001}}),
    ("POST", "/v1/code", {"json": {"text": "ok", "date": "0000-00-00"}}),
    ("POST", "/v1/code", {"json": {"text": "ok on Thursday", "date": "9999-12-31"}}),
    ("POST", "/v1/code", {"json": {"text": "ok last Thursday", "date": "0001-01-01"}}),
    ("POST", "/v1/code", {"json": [[[[[[[[[[]]]]]]]]]]}),
    ("POST", "/v1/code", {"content": b"[" * 100_000 + b"]" * 100_000,
                          "headers": {"content-type": "application/json"}}),
    ("POST", "/v1/code", {"content": b"x" * 2_000_000}),
    ("POST", "/v1/articles", {"json": {"articles": [{"text": "x"}]}}),
    ("GET", "/v1/events/%00", {}),
    ("GET", "/v1/articles/..%2F..%2Fetc%2Fpasswd", {}),
    ("GET", "/static/../../pyproject.toml", {}),
    ("GET", "/static/%2e%2e/%2e%2e/pyproject.toml", {}),
    ("GET", "/v1/events", {"params": {"limit": "1e9"}}),
    ("GET", "/v1/events", {"params": {"cursor": "bm90IGEgY3Vyc29y"}}),
    ("PUT", "/v1/events", {}),
])
def test_server_load_abusive_requests_get_clean_4xx(stub_server: str, method: str, path: str,
                                                    kwargs: dict[str, Any]) -> None:
    res = httpx.request(method, stub_server + path, timeout=30, **kwargs)
    assert 400 <= res.status_code < 500, (res.status_code, res.text[:200])
    assert_clean(res)
    assert "[tool" not in res.text  # no file contents served


def test_server_load_cors_preflight_refused_by_default(stub_server: str) -> None:
    res = httpx.options(stub_server + "/v1/articles", headers={
        "Origin": "https://attacker.invalid", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"}, timeout=10)
    assert "access-control-allow-origin" not in res.headers
    assert "access-control-allow-credentials" not in res.headers


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic " + TOKEN, "Bearer " + TOKEN + "x",
                                  "Bearer", "bearer " + TOKEN[:-1]])
def test_server_load_writes_refused_without_the_token(stub_server: str, auth: str | None) -> None:
    headers = {"Authorization": auth} if auth else {}
    before = count_events(stub_server)
    res = httpx.post(stub_server + "/v1/articles", headers=headers, timeout=30,
                     json={"articles": [{"id": "intruder", "text": "Troops crossed the border."}]})
    assert res.status_code == 401
    assert_clean(res)
    assert count_events(stub_server) == before


# -- coding time limits, with the real coder ----------------------------------------

@pytest.fixture(scope="module")
def timed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = make_db(tmp_path_factory.mktemp("timed") / "timed.duckdb")
    app = create_app(ServerSettings(db_path=str(db), token=TOKEN, code_timeout=3.0,
                                    coder_wait=1.0),
                     coder_factory=lambda: TimeLimitedCoder(Config(), timeout=3.0))
    with LiveServer(app) as server:
        httpx.post(server.url + "/v1/code", json={"text": GOOD_TEXT}, timeout=120)  # warm up
        yield server.url


@pytest.mark.slow
def test_server_load_long_coding_is_cut_and_reads_go_on(timed_server: str) -> None:
    """A text that would take minutes to code: 4xx after the limit, while reads
    are served meanwhile and later codings work."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        t0 = time.monotonic()
        slow = pool.submit(httpx.post, timed_server + "/v1/code",
                           json={"text": SLOW_TEXT, "date": "2023-01-02"}, timeout=120)
        time.sleep(0.5)
        read_times = []
        while not slow.done():
            t1 = time.monotonic()
            assert httpx.get(timed_server + "/v1/events", timeout=10).status_code == 200
            read_times.append(time.monotonic() - t1)
            time.sleep(0.2)
        res = slow.result()
        took = time.monotonic() - t0
    assert res.status_code == 400, res.text
    assert_clean(res)
    assert "3 s limit" in res.json()["error"]["message"]
    assert took < 30
    assert read_times and max(read_times) < 2.0
    ok = httpx.post(timed_server + "/v1/code", json={"text": GOOD_TEXT, "date": "2023-01-02"},
                    timeout=60)
    assert ok.status_code == 200 and ok.json()["events"]


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/v1/code", "/v1/articles"])
def test_server_load_lone_surrogates_are_refused(timed_server: str, path: str) -> None:
    """JSON may escape a lone surrogate, which makes the coder raise: the request
    model refuses it first, with a clean 422."""
    text = b'"Police in Lima arrested twelve protesters \\ud800 on Tuesday.\\udfff"'
    body = (b'{"text": ' + text + b"}" if path == "/v1/code"
            else b'{"articles": [{"id": "s\\ud800", "title": "\\udc00", "text": ' + text + b"}]}")
    res = httpx.post(timed_server + path, content=body, timeout=60, headers={
        "content-type": "application/json", "authorization": "Bearer " + TOKEN})
    assert res.status_code == 422, res.text
    assert_clean(res)
    assert "unicode" in res.json()["error"]["message"]


@pytest.mark.slow
def test_server_load_busy_coder_gives_503_with_retry_after(timed_server: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(httpx.post, timed_server + "/v1/code",
                           json={"text": SLOW_TEXT}, timeout=120)
        time.sleep(0.5)
        res = httpx.post(timed_server + "/v1/code", json={"text": GOOD_TEXT}, timeout=30)
        slow.result()
    assert res.status_code == 503 and res.headers.get("retry-after")
    assert res.json()["error"]["code"] == "busy"


# -- a bounded load run (the full one is bench/bench_load.py) -------------------------

@pytest.mark.slow
def test_server_load_short_run_no_5xx_memory_bounded() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import bench_load

    out: dict[str, Any] = {}
    bench_load.run(out, clients=50, seconds=8, events=2000, max_requests=5000, code_share=0.1)
    load = out["load"]
    assert load["requests"] > 50
    assert load["server_errors"] == 0, load["server_error_samples"]
    assert load["responses_leaking_internals"] == 0
    assert load["server_log_tracebacks"] == 0
    assert load["alive_after"]
    assert set(load["statuses"]) == {"200"}
    assert load["server_rss_mib"]["max"] < 1500
