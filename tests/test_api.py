"""HTTP API on a real uvicorn server on loopback, over a real DuckDB file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventwire import store
from eventwire.api import ServerSettings, create_app
from eventwire.records import Article, Event
from store_factories import LiveServer, make_event, sample_pairs

TOKEN = "s3cret-test-token"


class StubCoder:
    """Stands in for the NLP coder (not under test here): one event per article."""

    def code(self, text: str, date: str | None = None, article_id: str = "text",
             *, all_modalities: bool = False) -> list[Event]:
        return next(iter(self.pipe([Article(id=article_id, text=text, date=date)])))[1]

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        for a in articles:
            yield a, [make_event(a.id, source="FRAGOV", target="DEUGOV", cameo="042",
                                 date=a.date, sentence=a.text[:200], trigger="visited",
                                 report_date=a.date)]


def make_db(path: Path) -> Path:
    con = store.connect(path)
    store.ingest(con, sample_pairs())
    con.close()
    return path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = make_db(tmp_path_factory.mktemp("api") / "api.duckdb")
    app = create_app(ServerSettings(db_path=str(db), token=TOKEN),
                     coder_factory=StubCoder)  # type: ignore[arg-type,return-value]
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture()
def client(live: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live, timeout=20) as c:
        yield c


def assert_error(res: httpx.Response, status: int, code: str, contains: str = "") -> None:
    assert res.status_code == status, res.text
    body = res.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert contains in body["error"]["message"]
    for leak in ("Traceback", "/work", ".py", "duckdb", "SELECT"):
        assert leak not in res.text


def test_api_events_filters_and_pagination(client: httpx.Client) -> None:
    res = client.get("/v1/events", params={"limit": 3, "total": "true", "modality": "all"})
    assert res.status_code == 200
    page = res.json()
    assert page["total"] == 9 and len(page["items"]) == 3 and page["next_cursor"]
    seen = [e["event_id"] for e in page["items"]]
    while page["next_cursor"]:
        page = client.get("/v1/events", params={"limit": 3, "modality": "all",
                                                "cursor": page["next_cursor"]}).json()
        seen += [e["event_id"] for e in page["items"]]
    assert len(seen) == len(set(seen)) == 9
    res = client.get("/v1/events", params={"actor": "USA", "side": "source"})
    assert [e["cameo"] for e in res.json()["items"]] == ["163"]


def test_api_event_and_article(client: httpx.Client) -> None:
    first = client.get("/v1/events", params={"article_id": "truce-1"}).json()["items"][0]
    one = client.get(f"/v1/events/{first['event_id']}").json()
    assert one == first and one["reported_by"] in ([], ["Daily Ledger", "UN officials"])
    art = client.get("/v1/articles/war-1").json()
    assert art["title"] == "Russian forces strike near Kyiv" and len(art["events"]) == 3
    assert_error(client.get("/v1/events/nope"), 404, "not_found")
    assert_error(client.get("/v1/articles/nope"), 404, "not_found")


def test_api_series_actors_network(client: httpx.Client) -> None:
    s = client.get("/v1/series", params={"dyad": "RUS,UKR", "by": "direction",
                                         "interval": "month"}).json()
    assert {(r["period"], r["key"]) for r in s["items"]} == {
        ("2022-02-01", "RUS->UKR"), ("2022-02-01", "UKR->RUS"),
        ("2022-03-01", "RUS->UKR"), ("2022-03-01", "UKR->RUS")}
    actors = client.get("/v1/actors", params={"by": "country", "limit": 1}).json()["items"]
    assert actors[0]["actor"] == "RUS"
    net = client.get("/v1/network", params={"by": "country"}).json()
    assert {"source": "USA", "target": "RUS", "count": 1, "goldstein_sum": -8.0} in net["edges"]
    ov = client.get("/v1/overview").json()
    assert ov["articles"] == 4 and ov["events"] == 9 and "Test Wire" in ov["outlets"]


def test_api_events_located_in_a_box_a_country_or_a_province(client: httpx.Client) -> None:
    def names(params: dict[str, str]) -> list[str]:
        res = client.get("/v1/events", params=params)
        assert res.status_code == 200, res.text
        return sorted(e["location"]["name"] for e in res.json()["items"])

    assert names({"bbox": "-90,-20,-70,0"}) == ["Lima", "Lima"]  # west,south,east,north
    assert names({"country": "KEN"}) == ["Nairobi"]
    assert names({"admin1": "Kyiv City"}) == ["Kyiv"]
    [kyiv] = client.get("/v1/events", params={"admin1": "kyiv city"}).json()["items"]
    assert kyiv["location"]["geonames_id"] == 703448
    assert kyiv["location"]["precision"] == "place" and kyiv["location"]["basis"] == "sentence"


@pytest.mark.parametrize(("params", "message"), [
    ({"colour": "red"}, "unknown filter"),
    ({"start": "2022-06-01", "end": "2022-01-01"}, "after end"),
    ({"actor": "RUS' OR '1'='1"}, "not an actor code"),
    ({"quad_class": "9"}, "quad class"),
    ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
    ({"side": "target"}, "needs an 'actor'"),
    ({"bbox": "10,20"}, "west,south,east,north"),
])
def test_api_bad_filters_are_400(client: httpx.Client, params: dict[str, str],
                                 message: str) -> None:
    assert_error(client.get("/v1/events", params=params), 400, "bad_filter", message)


def test_api_repeated_and_out_of_range_params(client: httpx.Client) -> None:
    assert_error(client.get("/v1/events?actor=RUS&actor=UKR"), 400, "bad_filter", "more than once")
    assert_error(client.get("/v1/events", params={"limit": 0}), 422, "invalid_request", "limit")
    assert_error(client.get("/v1/events", params={"limit": "many"}), 422, "invalid_request")
    assert_error(client.get("/v1/series", params={"interval": "fortnight"}), 400, "bad_filter")
    assert_error(client.get("/v1/series", params={"by": "direction"}), 400, "bad_filter", "dyad")


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE events; --", "1 OR 1=1", "%", "\\' UNION SELECT * FROM articles --",
])
def test_api_sql_looking_strings_are_data(client: httpx.Client, hostile: str) -> None:
    for name in ("q", "outlet", "reported_by", "article_id"):
        res = client.get("/v1/events", params={name: hostile})
        assert res.status_code == 200 and res.json()["items"] == []
    assert_error(client.get("/v1/articles/" + hostile.replace("%", "%25")), 404, "not_found")
    assert client.get("/v1/overview").json()["events"] >= 9


def test_api_code_returns_events_and_stores_nothing(client: httpx.Client) -> None:
    before = client.get("/v1/overview").json()["events"]
    res = client.post("/v1/code", json={"text": "The French president visited Berlin.",
                                        "date": "2023-05-02"})
    assert res.status_code == 200
    assert res.json()["events"][0]["source"]["code"] == "FRAGOV"
    assert client.get("/v1/overview").json()["events"] == before


@pytest.mark.parametrize(("body", "status", "code"), [
    (b"{not json", 400, "malformed_json"),
    (b'{"text": "x", ', 400, "malformed_json"),
    (b"[1, 2, 3]", 422, "invalid_request"),
    (b'{"text": ""}', 422, "invalid_request"),
    (b'{"text": "ok", "colour": "red"}', 422, "invalid_request"),
    (b'{"text": 42}', 422, "invalid_request"),
    (b'{"text": "ok", "date": "2022-02-30"}', 400, "bad_input"),
])
def test_api_malformed_bodies(client: httpx.Client, body: bytes, status: int, code: str) -> None:
    res = client.post("/v1/code", content=body, headers={"content-type": "application/json"})
    assert_error(res, status, code)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_api_huge_payloads_are_413(client: httpx.Client) -> None:
    big = b'{"text": "' + b"a" * 1_200_000 + b'"}'
    assert_error(client.post("/v1/code", content=big,
                             headers={"content-type": "application/json"}),
                 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        yield b'{"text": "'
        for _ in range(40):
            yield b"b" * 50_000
        yield b'"}'

    assert_error(client.post("/v1/code", content=chunks(),
                             headers={"content-type": "application/json"}),
                 413, "payload_too_large")
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("headers", "status", "code"), [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer wrong"}, 401, "unauthorized"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "unauthorized"),
    ({"Authorization": "Bearer"}, 401, "unauthorized"),
])
def test_api_writes_need_the_token(client: httpx.Client, headers: dict[str, str],
                                   status: int, code: str) -> None:
    res = client.post("/v1/articles", json={"articles": [{"text": "Paris hosted talks."}]},
                      headers=headers)
    assert_error(res, status, code)


def test_api_post_articles_ingests_idempotently(client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body: dict[str, Any] = {"articles": [
        {"id": "post-1", "text": "The French president visited Berlin on Monday.",
         "date": "2023-05-02", "outlet": "Harbour Times"},
        {"text": "An article posted without an id.", "date": "2023-05-03"},
    ]}
    first = client.post("/v1/articles", json=body, headers=auth)
    assert first.status_code == 200, first.text
    assert first.json()["report"]["articles_new"] == 2
    again = client.post("/v1/articles", json=body, headers=auth).json()
    assert again["report"]["articles_unchanged"] == 2 and again["report"]["events_written"] == 0
    ids = [a["id"] for a in first.json()["articles"]]
    assert ids[0] == "post-1" and ids[1].startswith("sha-")
    art = client.get(f"/v1/articles/{ids[1]}").json()
    assert art["events"][0]["source"]["code"] == "FRAGOV"
    assert_error(client.post("/v1/articles", json={"articles": []}, headers=auth),
                 422, "invalid_request")
    many = {"articles": [{"text": f"t{i}"} for i in range(101)]}
    assert_error(client.post("/v1/articles", json=many, headers=auth), 413, "payload_too_large")


def test_api_unknown_route_and_method(client: httpx.Client) -> None:
    assert_error(client.get("/v2/nothing"), 404, "not_found")
    assert_error(client.delete("/v1/events"), 405, "method_not_allowed")


def test_api_no_cors_by_default(client: httpx.Client) -> None:
    res = client.get("/v1/overview", headers={"Origin": "https://elsewhere.invalid"})
    assert "access-control-allow-origin" not in res.headers


def test_api_openapi_lists_endpoints(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/v1/code", "/v1/articles", "/v1/events", "/v1/events/{event_id}",
              "/v1/articles/{article_id}", "/v1/series", "/v1/actors", "/v1/network"):
        assert p in paths


@pytest.mark.parametrize(("settings", "status", "code"), [
    ({}, 403, "writes_disabled"),
    ({"allow_anonymous_writes": True}, 200, ""),
    ({"read_only": True, "allow_anonymous_writes": True}, 403, "read_only"),
])
def test_api_write_modes(tmp_path: Path, settings: dict[str, Any], status: int,
                         code: str) -> None:
    db = make_db(tmp_path / "modes.duckdb")
    app = create_app(ServerSettings(db_path=str(db), **settings),
                     coder_factory=StubCoder)  # type: ignore[arg-type,return-value]
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as c:
        res = c.post("/v1/articles", json={"articles": [{"id": "m", "text": "Talks began."}]})
        if status == 200:
            assert res.status_code == 200 and res.json()["report"]["articles_new"] == 1
        else:
            assert_error(res, status, code)
        assert c.get("/v1/events").status_code == 200


def test_api_internal_errors_are_opaque(tmp_path: Path) -> None:
    class Broken(StubCoder):
        def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
                 ) -> Iterator[tuple[Article, list[Event]]]:
            raise RuntimeError("secret detail at /srv/internal/path.py line 3")

    db = make_db(tmp_path / "broken.duckdb")
    app = create_app(ServerSettings(db_path=str(db)), coder_factory=Broken)  # type: ignore[arg-type]
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as c:
        res = c.post("/v1/code", json={"text": "Anything."})
        assert_error(res, 500, "internal")
        assert "secret" not in res.text
        assert c.get("/healthz").status_code == 200


def test_api_read_cache_etag_and_304(tmp_path: Path) -> None:
    db = make_db(tmp_path / "c.duckdb")
    app = create_app(ServerSettings(db_path=str(db), token=TOKEN),
                     coder_factory=StubCoder)  # type: ignore[arg-type,return-value]
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        params = {"modality": "all", "total": "true"}
        first = c.get("/v1/events", params=params)
        again = c.get("/v1/events", params=params)
        assert first.status_code == again.status_code == 200
        assert first.content == again.content and first.json()["total"] == 9
        etag = first.headers["etag"]
        assert etag == again.headers["etag"] and first.headers["cache-control"] == "no-cache"
        same = c.get("/v1/events", params=params, headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.content == b""
        # another query, another body and tag
        other = c.get("/v1/events", params={"modality": "all", "limit": "2"})
        assert other.headers["etag"] != etag
        # errors are not kept (and carry no tag)
        assert c.get("/v1/events", params={"start": "nope"}).status_code == 400
        # a write drops what was kept: the same query now sees the new article
        res = c.post("/v1/articles", headers={"Authorization": f"Bearer {TOKEN}"},
                     json={"articles": [{"id": "fresh-1", "text": "Paris sent envoys.",
                                         "date": "2024-06-01"}]})
        assert res.status_code == 200, res.text
        after = c.get("/v1/events", params=params, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.json()["total"] == 10
        assert after.headers["etag"] != etag


def test_api_read_cache_drops_responses_after_a_write_from_outside_requests() -> None:
    # serve --watch writes from its own thread, through no request: the cache
    # must notice by the store's write count
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from eventwire.api.cache import ResponseCache

    state = {"rows": 1, "writes": 0}
    inner = Starlette(routes=[Route("/v1/n", lambda _r: PlainTextResponse(str(state["rows"])))])
    app = ResponseCache(inner, writes=lambda: state["writes"])
    with TestClient(app) as c:
        assert c.get("/v1/n").text == "1"
        state["rows"] = 2  # changed without telling the cache: the kept answer stands
        assert c.get("/v1/n").text == "1"
        state["writes"] += 1  # a write
        assert c.get("/v1/n").text == "2"
