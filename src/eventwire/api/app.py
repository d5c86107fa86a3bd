"""FastAPI app: the HTTP API over the query layer, the coder, and the dashboard.

One DuckDB connection per server process. Each request reads through its own
cursor (its own MVCC snapshot), so reads are never blocked by a write and
never see half an article; writes go through one lock. Read responses are
kept until the next write, with ETags (api/cache.py). The coder (spaCy
model, about a second to load) is loaded on first use, once per process.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from .. import __version__, store
from ..config import Config
from ..errors import StoreError
from ..limits import TimeLimitedCoder
from ..pipeline import Coder
from ..records import Article
from ..store.columns import parse_date
from ..store.query import MAX_LIMIT, FilterError, Filters, parse_filters
from .cache import ResponseCache
from .errors import ApiError, Guard, install_error_handlers

WEB_DIR = Path(str(files("eventwire").joinpath("web")))
# The dashboard loads nothing from elsewhere; the policy makes a slip visible.
DASHBOARD_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                 "script-src 'self'; connect-src 'self'; font-src 'self'; "
                 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


# Module level: FastAPI resolves endpoint annotations (strings here) in module globals.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
MinCount = Annotated[int, Query(ge=1)]


@dataclass(frozen=True, slots=True)
class ServerSettings:
    db_path: str
    token: str | None = None
    allow_anonymous_writes: bool = False
    read_only: bool = False
    max_body: int = 1_000_000
    max_articles: int = 100
    cors_origins: tuple[str, ...] = ()
    # Seconds one coding (POST /v1/code, each article of POST /v1/articles) may
    # take; the coder then runs in a child process that is killed on overrun
    # (eventwire.limits). None: in-process coder, no limit.
    code_timeout: float | None = 60.0
    # Seconds a coding request waits for the coder, busy with others, before a 503.
    coder_wait: float = 30.0
    # `eventwire serve --watch`: a watch.loop.WatchSettings; the watcher runs in a
    # thread of this process and writes through this process's connection.
    watch: Any = None


class StoreHandle:
    """The process's one connection; a cursor per request, one writer at a time."""

    def __init__(self, path: str, read_only: bool) -> None:
        self.con = store.connect(path, read_only=read_only)
        self.write_lock = threading.Lock()
        # writes so far by anyone holding write_lock: read responses cached before
        # a write are stale (api/cache.py)
        self.writes = 0

    def wrote(self) -> None:
        self.writes += 1

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def ingest(self, pairs: list[tuple[Article, list[Any]]]) -> store.IngestReport:
        with self.write_lock, self.reader() as cur:
            report = store.ingest(cur, pairs)
            store.sync_merged(cur)  # keep the merged view in step with the events
            self.wrote()
            return report

    def close(self) -> None:
        self.con.close()


CoderLike = Coder | TimeLimitedCoder


class CoderHandle:
    """Loads the coder on first use, once; codes one request at a time.

    A request waits at most `wait` seconds for its turn, then gets a 503, so
    queued codings cannot hold every worker thread (and starve the reads).
    """

    def __init__(self, factory: Callable[[], CoderLike], wait: float = 30.0) -> None:
        self._factory = factory
        self._coder: CoderLike | None = None
        self._lock = threading.Lock()
        self._wait = wait

    @contextmanager
    def use(self) -> Iterator[CoderLike]:
        if not self._lock.acquire(timeout=self._wait):
            raise ApiError(503, "busy", "the coder is busy with other requests; retry later",
                           {"Retry-After": "5"})
        try:
            if self._coder is None:
                self._coder = self._factory()
            yield self._coder
        finally:
            self._lock.release()

    def close(self) -> None:
        if isinstance(self._coder, TimeLimitedCoder):
            self._coder.close()


def _default_coder(timeout: float | None) -> CoderLike:
    if timeout:
        return TimeLimitedCoder(Config(), timeout=timeout)
    from .. import load

    return load()


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200_000)
    date: str | None = Field(default=None, description="report date, YYYY-MM-DD")
    all_modalities: bool = False


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(default=None, max_length=500,
                           description="article id; the content hash is used without one")
    text: str = Field(min_length=1, max_length=500_000)
    date: str | None = Field(default=None, description="report date, YYYY-MM-DD")
    title: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=4000)
    outlet: str | None = Field(default=None, max_length=500)


class ArticlesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleIn] = Field(min_length=1)


def _check_date(value: str | None, field: str) -> None:
    if value is None:
        return
    try:
        day = parse_date(value)
    except StoreError:
        raise ApiError(400, "bad_input", f"{field}: '{value[:40]}' is not a date (YYYY-MM-DD)"
                       ) from None
    if day is not None and not 1000 <= day.year <= 2999:
        # date arithmetic at the calendar's edges overflows (week steps past 9999-12-31)
        raise ApiError(400, "bad_input", f"{field}: '{value[:40]}' is outside 1000-2999")


def create_app(settings: ServerSettings,
               coder_factory: Callable[[], CoderLike] | None = None) -> FastAPI:
    """Build the app; opens the store now so a locked or broken store fails at start."""
    handle = StoreHandle(settings.db_path, settings.read_only)
    coder = CoderHandle(coder_factory or partial(_default_coder, settings.code_timeout),
                        wait=settings.coder_wait)
    watching = _Watching(handle, settings.watch) if settings.watch else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        if watching:
            watching.start()
        yield
        if watching:
            watching.stop()
        handle.close()
        coder.close()

    app = FastAPI(
        title="eventwire", version=__version__, lifespan=lifespan,
        description="Political events (CAMEO + PLOVER) coded from news: query and code.",
    )
    install_error_handlers(app)
    app.add_middleware(ResponseCache, writes=lambda: handle.writes)  # inside Guard: its 413s and 500s are not kept
    app.add_middleware(Guard, max_body=settings.max_body)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])

    def filters_from(request: Request, *own: str) -> Filters:
        params = {k: v for k, v in request.query_params.items() if k not in own}
        for key in request.query_params:
            if len(request.query_params.getlist(key)) > 1:
                raise FilterError("given more than once; use commas for several values",
                                  field=key[:40])
        return parse_filters(params)

    def require_writer(request: Request) -> None:
        if settings.read_only:
            raise ApiError(403, "read_only", "this server was started read-only")
        if settings.token:
            given = request.headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                    credential.strip().encode(), settings.token.encode()):
                raise ApiError(401, "unauthorized", "a valid bearer token is required",
                               {"WWW-Authenticate": "Bearer"})
        elif not settings.allow_anonymous_writes:
            raise ApiError(403, "writes_disabled",
                           "writes are disabled: start the server with --token (or "
                           "EVENTWIRE_TOKEN), or with --allow-anonymous-writes")

    filter_doc = (" Filters (query parameters): " + ", ".join(store.query.FILTER_NAMES)
                  + ". Lists are comma-separated; modality defaults to asserted.")

    @app.get("/v1/events", summary="List events",
             description="Newest first. view=raw (default): one record per mention; "
             "view=merged: one record per real-world event, with mention, article and "
             "outlet counts and the ids of every mention (docs/merge.md)." + filter_doc)
    def list_events(request: Request, limit: Limit = 50, cursor: str | None = None,
                    total: bool = False, view: str = "raw") -> dict[str, Any]:
        f = filters_from(request, "limit", "cursor", "total", "view")
        if view not in ("raw", "merged"):
            raise FilterError("must be raw or merged", field="view")
        page = store.merged_events if view == "merged" else store.events
        with handle.reader() as cur:
            return page(cur, f, limit=limit, cursor=cursor, with_total=total).to_dict()

    @app.get("/v1/merged-events/{merged_id}",
             summary="One merged event with all its mentions")
    def one_merged(merged_id: str) -> dict[str, Any]:
        with handle.reader() as cur:
            found = store.get_merged(cur, merged_id)
        if found is None:
            raise ApiError(404, "not_found", "no merged event with this id")
        return found

    @app.get("/v1/events/{event_id}", summary="One event")
    def one_event(event_id: str) -> dict[str, Any]:
        with handle.reader() as cur:
            found = store.get_event(cur, event_id)
        if found is None:
            raise ApiError(404, "not_found", "no event with this id")
        return found

    @app.get("/v1/articles/{article_id:path}", summary="One article with all its events")
    def one_article(article_id: str) -> dict[str, Any]:
        with handle.reader() as cur:
            cur.execute("BEGIN TRANSACTION")  # article row and events from one snapshot
            try:
                found = store.get_article(cur, article_id)
            finally:
                cur.execute("COMMIT")
        if found is None:
            raise ApiError(404, "not_found", "no article with this id")
        return found

    @app.get("/v1/series", summary="Event counts and Goldstein sums over time",
             description="interval: day|week|month|year; by: none|quad_class|direction|"
                         "plover|cameo_root|modality (direction needs dyad=A,B)." + filter_doc)
    def get_series(request: Request, interval: str = "month", by: str = "none"
                   ) -> dict[str, Any]:
        f = filters_from(request, "interval", "by")
        with handle.reader() as cur:
            rows = store.series(cur, f, interval=interval, by=by)
        return {"interval": interval, "by": by, "items": rows}

    @app.get("/v1/actors", summary="Top actors", description="by: code|country; "
             "role: source|target|either." + filter_doc)
    def get_actors(request: Request, by: str = "code", role: str = "either",
                   limit: Limit = 20) -> dict[str, Any]:
        f = filters_from(request, "by", "role", "limit")
        with handle.reader() as cur:
            return {"items": store.top_actors(cur, f, by=by, role=role, limit=limit)}

    @app.get("/v1/network", summary="Actor network (directed edges with counts)",
             description="by: code|country." + filter_doc)
    def get_network(request: Request, by: str = "country", limit: Limit = 100,
                    min_count: MinCount = 1) -> dict[str, Any]:
        f = filters_from(request, "by", "limit", "min_count")
        with handle.reader() as cur:
            return store.network(cur, f, by=by, limit=limit, min_count=min_count)

    @app.get("/v1/overview", summary="Store totals and filter choices")
    def get_overview() -> dict[str, Any]:
        with handle.reader() as cur:
            return store.overview(cur)

    @app.get("/v1/alerts", summary="Alerts raised by watch rules",
             description="Newest window first. since: windows ending on or after this date; "
                         "rule: new_dyad_conflict|conflict_spike|goldstein_turn|watch "
                         "(docs/watch.md).")
    def get_alerts(since: str | None = None, rule: str | None = None,
                   limit: Limit = 50) -> dict[str, Any]:
        from ..alerts import RULE_NAMES
        from ..store.alerts import list_alerts

        day = None
        if since:
            try:
                day = dt.date.fromisoformat(since.strip())
            except ValueError:
                raise FilterError(f"'{since[:40]}' is not a date (YYYY-MM-DD)",
                                  field="since") from None
        if rule and rule not in (*RULE_NAMES, "watch"):
            raise FilterError("must be one of " + ", ".join((*RULE_NAMES, "watch")),
                              field="rule")
        with handle.reader() as cur:
            found = list_alerts(cur, since=day, rule=rule, limit=limit)
        return {"items": [a.to_dict() for a in found]}

    @app.post("/v1/code", summary="Code text into events (nothing is stored)")
    def code_text(body: CodeRequest) -> dict[str, Any]:
        _check_date(body.date, "date")
        with coder.use() as c:
            evs = c.code(body.text, date=body.date, all_modalities=body.all_modalities)
        return {"events": [e.to_dict() for e in evs]}

    @app.post("/v1/articles", summary="Code and store articles (bearer token)",
              dependencies=[Depends(require_writer)], status_code=200)
    def post_articles(body: ArticlesRequest) -> dict[str, Any]:
        if len(body.articles) > settings.max_articles:
            raise ApiError(413, "payload_too_large",
                           f"at most {settings.max_articles} articles per request")
        arts = []
        for i, a in enumerate(body.articles):
            _check_date(a.date, f"articles.{i}.date")
            arts.append(Article(id=a.id or "", text=a.text, date=a.date, title=a.title,
                                url=a.url, outlet=a.outlet, origin=f"POST /v1/articles #{i}"))
        with coder.use() as c:
            pairs = [(art, list(evs)) for art, evs in c.pipe(arts, all_modalities=True)]
        report = handle.ingest(pairs)
        return {"report": report.to_dict(),
                "articles": [{"id": store.article_key(a), "events": len(e)} for a, e in pairs]}

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # -- dashboard ------------------------------------------------------------
    dashboard_headers = {"Content-Security-Policy": DASHBOARD_CSP,
                         "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return FileResponse(WEB_DIR / "index.html", headers=dashboard_headers)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(WEB_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", _DashboardFiles(directory=WEB_DIR, headers=dashboard_headers),
              name="static")
    return app


class _Watching:
    """`serve --watch`: the watch loop in a thread, writing through the server's
    connection under its write lock (DuckDB allows one writing process)."""

    def __init__(self, handle: StoreHandle, settings: Any) -> None:
        from ..watch.loop import Watcher

        self._stop = threading.Event()
        # built now, so a bad rules file fails at start
        self._watcher = Watcher(handle.con.cursor(), settings, lock=handle.write_lock,
                                on_write=handle.wrote)
        self._thread = threading.Thread(target=self._run, name="eventwire-watch", daemon=True)

    def _run(self) -> None:
        log = logging.getLogger("uvicorn.error")
        self._watcher.run(self._stop, log=lambda line: log.info("watch %s", line))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=120)
        self._watcher.close()


class _DashboardFiles(StaticFiles):
    """Static files with the dashboard's security headers."""

    def __init__(self, *, directory: Path, headers: dict[str, str]) -> None:
        super().__init__(directory=directory)
        self._extra = headers

    async def get_response(self, path: str, scope: Any) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(self._extra)
        return response
