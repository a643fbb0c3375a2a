"""API errors: one JSON shape, ``{"error": {"code": "E5xx", "status": 400, "message": ...}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """An error answered as JSON with an HTTP status and a coded message."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
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
