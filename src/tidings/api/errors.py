"""API errors: one JSON shape, ``{"error": {"code": "E5xx", "status": 400, "message": ...}}``.

Messages name the bad value (``unknown type 'PARTY'``) so a client can see its mistake, but
a 100 KB parameter must not come back whole: :func:`cut_echoes` shortens every quoted value
longer than :data:`MAX_ECHO` characters and caps the whole message at :data:`MAX_MESSAGE`;
every ApiError's message goes through it.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


#: quoted values longer than this many characters are cut
MAX_ECHO = 80
#: no error message is longer than this many characters
MAX_MESSAGE = 600

_QUOTE = re.compile("['\"]")


def _cut(quoted: str) -> str:
    if len(quoted) <= MAX_ECHO:
        return quoted
    return f"{quoted[:MAX_ECHO - 1]}…{quoted[0]} ({len(quoted) - 2} characters)"


def cut_echoes(message: str) -> str:
    """Return ``message`` with long quoted values cut and at most MAX_MESSAGE characters.

    A quoted value is what repr() writes: '...' or "..." with backslash escapes. One pass,
    linear in the message (a quote left open ends the scan)."""
    if len(message) <= MAX_ECHO:
        return message
    parts: list[str] = []
    i, n = 0, len(message)
    while i < n:
        m = _QUOTE.search(message, i)
        if m is None:
            parts.append(message[i:])
            break
        j = m.start()
        parts.append(message[i:j])
        k = j + 1
        while k < n and message[k] != message[j]:
            k += 2 if message[k] == "\\" else 1
        if k >= n:  # never closed: not a quoted value
            parts.append(message[j:])
            break
        parts.append(_cut(message[j:k + 1]))
        i = k + 1
    message = "".join(parts)
    if len(message) > MAX_MESSAGE:
        message = f"{message[:MAX_MESSAGE - 1]}… ({len(message)} characters)"
    return message


class ApiError(Exception):
    """An error answered as JSON with an HTTP status and a coded message (long echoed values
    cut, :func:`cut_echoes`)."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        message = cut_echoes(message)
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"error": {"code": code, "status": status, "message": message}}


def bad(message: str) -> ApiError:
    """A 400 for an invalid filter or parameter value (E501)."""
    return ApiError(400, "E501", f"E501 {message}")


def install_errors(app: FastAPI) -> None:
    """Answer API errors, HTTP errors and invalid parameters as coded JSON."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.code, exc.message),
                            status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "E504" if exc.status_code == 404 else f"E{exc.status_code}"
        return JSONResponse(error_body(exc.status_code, code, f"{code} {exc.detail}"),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errs = exc.errors()
        first = errs[0] if errs else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        msg = f"E501 {where}: {first.get('msg', 'invalid value')}"
        body = error_body(422, "E501", msg)
        body["detail"] = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"),
                           "type": e.get("type")} for e in errs]
        return JSONResponse(body, status_code=422)
