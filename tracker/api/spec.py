"""The OpenAPI document, made by flask-smorest from the endpoints' schemas."""

from __future__ import annotations

import http

import marshmallow as ma
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from tracker.api import PREFIX
from tracker.errors import PROBLEM_JSON


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(required=True, metadata={"description": "The parameter or field"})
    message = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    """An error as RFC 9457 describes it (tracker.errors.problem makes them)."""

    type = ma.fields.String(required=True, metadata={"example": "about:blank"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))
    id = ma.fields.String(metadata={"description": "The number under which a 500 is logged"})


class TrackerApi(Api):
    """flask-smorest's Api, leaving every error answer to tracker.errors (problem+json)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        """Every error response of the document is problem+json with ProblemSchema."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (problem+json)", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def make_api(app) -> TrackerApi:
    app.config.setdefault("API_TITLE", "Bedarfsregister")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = TrackerApi(
        spec_kwargs={
            "info": {
                "description": "The needs register's items, with the permissions of the "
                "token's owner. Send `Authorization: Bearer <token>`; tokens are made on the "
                "account page. Errors are application/problem+json (RFC 9457)."
            },
            "security": [{"bearer": []}],
        }
    )
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "A personal API token"}
    )
    return api
