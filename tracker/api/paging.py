"""Lists of the API in pages: the page parameters, and the links between the pages."""

from __future__ import annotations

from math import ceil

import marshmallow as ma
from flask import request, url_for

from tracker.api.fields import ApiSchema

PER_PAGE_MAX = 100


class PageQuerySchema(ApiSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=PER_PAGE_MAX)
    )


class ListPage:
    """One page of a list already loaded, with the attributes of Flask-SQLAlchemy's pages."""

    def __init__(self, rows: list, page: int, per_page: int) -> None:
        self.total, self.page = len(rows), page
        self.pages = ceil(self.total / per_page)
        self.items = rows[(page - 1) * per_page : page * per_page]
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1


def page_headers(endpoint: str, page) -> dict[str, str]:
    """RFC 8288 links to the first, previous, next and last page, and the total count.

    ``page`` is a Flask-SQLAlchemy pagination (or anything with its attributes).
    """
    args = request.args.to_dict()

    def to(number: int) -> str:
        return url_for(endpoint, **{**request.view_args, **args, "page": number}, _external=True)

    links = [f'<{to(1)}>; rel="first"', f'<{to(max(page.pages, 1))}>; rel="last"']
    if page.has_prev:
        links.append(f'<{to(page.prev_num)}>; rel="prev"')
    if page.has_next:
        links.append(f'<{to(page.next_num)}>; rel="next"')
    return {"Link": ", ".join(links), "X-Total-Count": str(page.total)}
