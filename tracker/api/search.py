"""The full-text search, as the search page runs it: the same service and confidentiality.

``tracker.search.services.search`` counts the hits per kind (items, activity, companies),
ranks one page of the kind asked for and leaves out what the token's owner may not see:
no hit, count or snippet of a confidential item they may not see, nor of a hidden company.
Text that cannot be searched is answered 422 with the search page's message at ``q``.
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from tracker import limits
from tracker.api import PREFIX
from tracker.api.fields import field_problem
from tracker.api.paging import PageQuerySchema, page_headers
from tracker.i18n import _
from tracker.search import services
from tracker.search.results import ACTIVITIES, ITEMS, KINDS

bp = Blueprint("api_search", __name__, url_prefix=PREFIX, description="Full-text search")


class SearchQuerySchema(PageQuerySchema):
    q = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2 * limits.SEARCH),
        metadata={"description": 'Words as on the search page: OR, -word, "quoted words"'},
    )
    kind = ma.fields.String(
        load_default="",
        validate=ma.validate.OneOf(["", *KINDS]),
        metadata={"description": "The kind of hits; by default the first kind with hits"},
    )


class HitSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    id = ma.fields.Integer(required=True, metadata={"description": "The record's id"})
    title = ma.fields.String(required=True)
    title_html = ma.fields.String(required=True, metadata={"description": "Hits in <mark>"})
    snippet = ma.fields.String(required=True)
    snippet_html = ma.fields.String(required=True, metadata={"description": "Hits in <mark>"})
    item = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "The item's reference"}
    )
    url = ma.fields.String(required=True, metadata={"description": "The page of the hit"})


class CountsSchema(ma.Schema):
    items = ma.fields.Integer(required=True)
    activities = ma.fields.Integer(required=True)
    companies = ma.fields.Integer(required=True)


class ResultsSchema(ma.Schema):
    q = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    counts = ma.fields.Nested(
        CountsSchema,
        required=True,
        metadata={"description": f"Hits per kind, counted up to {services.COUNT_CAP + 1}"},
    )
    capped = ma.fields.Boolean(required=True, metadata={"description": "More hits than counted"})
    hits = ma.fields.List(ma.fields.Nested(HitSchema), required=True)


def _hit(kind: str, hit) -> dict:
    record = hit.record
    if kind == ITEMS:
        item, title = record, record.title
        url = url_for("items.detail", item_id=record.id, _external=True)
    elif kind == ACTIVITIES:
        item, title = record.item, record.item.title
        url = url_for("items.detail", item_id=record.item_id, _external=True) + "#timeline"
    else:
        item, title = None, record.name
        url = url_for("companies.detail", company_id=record.id, _external=True)
    return {
        "kind": kind,
        "id": record.id,
        "title": title,
        "title_html": str(hit.title),
        "snippet": hit.snippet.striptags(),
        "snippet_html": str(hit.snippet),
        "item": item.reference if item is not None else None,
        "url": url,
    }


@bp.route("/search")
@bp.arguments(SearchQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ResultsSchema, description="Counts per kind and one page of hits")
def search(q: str, kind: str, page: int, per_page: int):
    """Search items, their activity and companies, as the search page does."""
    results = services.search(current_user, q, kind=kind, page=page, per_page=per_page)
    if results.error or results.page is None:
        return field_problem("q", results.error or _("Please check the marked fields."))
    found = results.page
    body = {
        "q": results.text,
        "kind": results.kind,
        "counts": results.counts,
        "capped": found.capped,
        "hits": [_hit(results.kind, hit) for hit in found.items],
    }
    headers = page_headers("api_search.search", found)
    headers["X-Total-Count"] = str(min(found.total, found.cap))
    return body, 200, headers
