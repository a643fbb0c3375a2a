"""``POST /api/articles``: ingest one article through the single writer, behind a bearer
token (off unless the operator sets one), with a bounded body."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...errors import InputError
from ..bodies import check_json_content_type, load_json
from ..errors import ApiError

router = APIRouter()


class ArticleIn(BaseModel):
    """An article to ingest: its text and publication date, optional metadata."""

    text: str = Field(..., min_length=1, description="Article text (paragraphs by blank lines)")
    published: str = Field(..., description="Publication date, YYYY-MM-DD")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200, description="Outlet, e.g. AP")
    url: str | None = Field(None, max_length=2000)


@router.post("/api/articles", tags=["articles"], status_code=201,
             responses={401: {"description": "Missing or wrong bearer token"},
                        403: {"description": "Ingest is disabled on this server"},
                        413: {"description": "Body or text too large"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ArticleIn.model_json_schema()}}}})
async def post_article(request: Request) -> JSONResponse:
    """Ingest one article (JSON: text, published, title, source, url): extract its events
    and store them. Needs ``Authorization: Bearer <token>``; off unless the operator set
    a token. Idempotent: posting the same text again stores nothing new."""
    app = request.app
    settings = app.state.settings
    _authorise(request, settings.token)
    check_json_content_type(request.headers.get("content-type"))
    body = await _read_body(request, settings.max_body)
    article = _parse_article(body)
    result = await app.state.writer.ingest(article)
    app.state.pool.forget()
    status = 201 if result.get("status") in ("stored", "updated") else 200
    result["url"] = f"/api/articles/{result['id']}"
    return JSONResponse(result, status_code=status)


def _authorise(request: Request, token: str | None) -> None:
    """Raise 403 when writes (ingest, review) are off, 401 when the bearer token is missing
    or wrong."""
    if token is None:
        raise ApiError(403, "E510", "E510 writes are disabled on this server: start it with"
                       " TIDINGS_API_TOKEN set (or --token) to enable POST /api/articles and"
                       " reviews")
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="tidings"'}
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "E511", "E511 missing bearer token: send Authorization: Bearer"
                       " <token>", headers=challenge)
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "E511", "E511 wrong bearer token",
                       headers={"WWW-Authenticate": 'Bearer realm="tidings",'
                                ' error="invalid_token"'})


async def _read_body(request: Request, limit: int) -> bytes:
    """Read the request body, refusing (413) more than ``limit`` bytes without reading them."""
    declared = request.headers.get("content-length")
    too_big = ApiError(413, "E512", f"E512 request body over {limit} bytes: send a smaller"
                       " article (the operator sets the limit with TIDINGS_API_MAX_BODY)")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_big
        except ValueError:
            raise ApiError(400, "E513", "E513 bad Content-Length") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_article(body: bytes) -> Any:
    """Return the Article of a JSON body; raise 400/413/422 ApiErrors for bad ones."""
    from pydantic import ValidationError

    from ...readers import parse_date, read_text
    from ...settings import max_text_chars

    data = load_json(body)  # 400 for text that is not JSON or nests too deep (bodies.py)
    try:
        art = ArticleIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise ApiError(422, "E513", f"E513 {where or 'body'}: {first.get('msg')}") from None
    if len(art.text) > max_text_chars():
        raise ApiError(413, "E512", f"E512 article text over {max_text_chars()} characters")
    try:
        published = parse_date(art.published, "<api>")
        return read_text(art.text, published, title=art.title, source=art.source,
                         url=art.url, origin="api")
    except InputError as exc:
        raise ApiError(400, "E513", f"E513 {exc}") from None
