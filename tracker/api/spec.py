"""The OpenAPI document, made by flask-smorest from the endpoints' schemas."""

from __future__ import annotations

from flask_smorest import Api

from tracker.api import PREFIX


class TrackerApi(Api):
    """flask-smorest's Api, leaving every error answer to tracker.errors (problem+json)."""

    def _register_error_handlers(self):
        pass


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
