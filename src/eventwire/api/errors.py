"""One error shape for every failure: {"error": {"code": ..., "message": ...}}.

Messages say what the client did wrong; server-side details (file paths,
SQL, tracebacks) go to the log only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import EventwireError, InputError, StoreError, StoreLockedError
from ..store.query import FilterError

log = logging.getLogger("eventwire.api")

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
                 415: "unsupported_media_type", 422: "invalid_request",
                 429: "too_many_requests", 503: "unavailable"}


class ApiError(Exception):
    """Raised by endpoints for an expected client-visible failure."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _describe_validation(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    for err in errors:
        if err.get("type") == "json_invalid":
            return 400, "malformed_json", "the request body is not valid JSON"
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return 422, "invalid_request", "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message,
                              getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, message = _describe_validation(exc)
        return error_response(status, code, message)

    @app.exception_handler(FilterError)
    async def _filter(_: Request, exc: FilterError) -> JSONResponse:
        return error_response(400, "bad_filter", str(exc))

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return error_response(400, "bad_input", str(exc))

    @app.exception_handler(StoreLockedError)
    async def _locked(_: Request, exc: StoreLockedError) -> JSONResponse:
        log.warning("store locked: %s", exc)
        return error_response(503, "store_locked", "the store is locked by another writer; retry")

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return error_response(500, "store_error", "the store could not complete the request")

    @app.exception_handler(EventwireError)
    async def _eventwire(_: Request, exc: EventwireError) -> JSONResponse:
        log.error("eventwire error: %s", exc)
        return error_response(503, "unavailable", "the coder is not available on this server")

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=exc)
        return error_response(500, "internal", "internal server error")


class _TooLarge(Exception):
    pass


class Guard:
    """Outermost app middleware: body size limit and a last-resort 500.

    Bodies over `max_body` bytes get 413, whether declared in Content-Length
    or only found while streaming. An unexpected exception becomes the JSON
    500 here, inside the app, so the server logs it and keeps the connection
    healthy instead of resetting it.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._send_json(send, 413, "payload_too_large",
                                  f"request body over {self.max_body} bytes")
            return
        received = 0
        started = False
        exceeded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                # The framework answers a failed body read with its own 400; say 413.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._send_json(send, 413, "payload_too_large",
                                          f"request body over {self.max_body} bytes")
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLarge:
            pass
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                started = True
                await self._send_json(send, 500, "internal", "internal server error")
            return
        if exceeded and not started:
            await self._send_json(send, 413, "payload_too_large",
                                  f"request body over {self.max_body} bytes")

    @staticmethod
    async def _send_json(send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(code, message)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
