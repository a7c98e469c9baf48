"""The API's documentation page: Swagger UI from static/vendor reading /api/v1/openapi.json."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.api import PREFIX

bp = Blueprint("api_docs_page", __name__, url_prefix=PREFIX)


@bp.get("/docs")
def docs():
    """The OpenAPI document, readable and tryable (with a token) in the browser; no login."""
    return render_template("api/docs.html")
