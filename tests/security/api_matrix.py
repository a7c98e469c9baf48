"""The API's authorization matrix: every /api/v1 route × every principal, each with a
personal token of their own (the observer's reads only) → the expected answer.

Answer classes: "401" (no token, or one of a deactivated user), "403", "404", and "ok"
(2xx or 304, or allowed and refused for its input or version: 400, 409, 412, 422, 428).
Writes send a wrong If-Match, so that an allowed one is refused (412) and changes nothing
for the principals after it; the token of who may not change the record hears 403 (or 404)
first, whatever its If-Match. Creating writes into a hidden record send a valid body.
Paths are templates filled from the security world's ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRINCIPALS = ("anonymous", "deactivated", "observer", "manager_b", "manager_a", "admin")


def _expect(anonymous, observer, manager_b, manager_a, admin) -> dict:
    return dict(anonymous=anonymous, deactivated=anonymous, observer=observer,
                manager_b=manager_b, manager_a=manager_a, admin=admin)  # fmt: skip


READ = _expect("401", "ok", "ok", "ok", "ok")
READ_SECRET = _expect("401", "404", "404", "ok", "ok")  # what only network A and the office see
NONE_SUCH = _expect("401", "404", "404", "404", "404")
WRITE = _expect("401", "403", "ok", "ok", "ok")  # the observer's token reads only
WRITE_A = _expect("401", "403", "403", "ok", "ok")  # network A's records: B may read, not change
WRITE_SECRET = _expect("401", "403", "404", "ok", "ok")


@dataclass(frozen=True)
class ApiRow:
    method: str
    path: str
    expect: dict
    json: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def get(path: str, expect: dict) -> ApiRow:
    return ApiRow("GET", path, expect)


def write(method: str, path: str, expect: dict, json: dict | None = None) -> ApiRow:
    return ApiRow(method, path, expect, json or {})


ROWS = [
    get("/api/v1/items", READ),
    get("/api/v1/items?status=all&q=Geheimprojekt", READ),
    get("/api/v1/items/{reference}", READ),
    get("/api/v1/items/{secret_reference}", READ_SECRET),
    get("/api/v1/items/2099-9999", NONE_SUCH),
    write("POST", "/api/v1/items", WRITE, {"title": ""}),
    write("PATCH", "/api/v1/items/{reference}", WRITE_A, {"title": "Neu"}),
    write("PATCH", "/api/v1/items/{secret_reference}", WRITE_SECRET, {"title": "Neu"}),
    write("POST", "/api/v1/items/{reference}/actions/complete", WRITE_A, {"note": "erledigt"}),
    write(
        "POST",
        "/api/v1/items/{secret_reference}/actions/complete",
        WRITE_SECRET,
        {"note": "erledigt"},
    ),  # fmt: skip
    write("POST", "/api/v1/items/{reference}/hand-off", WRITE_A, {"network": "{network_b}"}),
    write(
        "POST",
        "/api/v1/items/{secret_reference}/hand-off",
        WRITE_SECRET,
        {"network": "{network_b}"},
    ),  # fmt: skip
    get("/api/v1/items/{reference}/comments", READ),
    get("/api/v1/items/{secret_reference}/comments", READ_SECRET),
    write("POST", "/api/v1/items/{reference}/comments", WRITE, {"body": ""}),
    write("POST", "/api/v1/items/{secret_reference}/comments", WRITE_SECRET, {"body": "Hallo"}),
    get("/api/v1/companies", READ),
    get("/api/v1/companies/{company}", READ),
    get("/api/v1/companies/{hidden_company}", READ_SECRET),
    get("/api/v1/companies/999999", NONE_SUCH),
    get("/api/v1/companies/{company}/contacts", READ),
    get("/api/v1/contacts/{contact}", READ_SECRET),
    get("/api/v1/contacts/999999", NONE_SUCH),
    get("/api/v1/meetings", READ),
    get("/api/v1/meetings/{meeting}", READ),
    get("/api/v1/meetings/999999", NONE_SUCH),
    get("/api/v1/agenda-entries/{entry}", READ),
    get("/api/v1/agenda-entries/{secret_entry}", READ),  # its place, as "Vertrauliches Anliegen"
    write("PATCH", "/api/v1/agenda-entries/{entry}", WRITE, {"decision": "x"}),
    write("PATCH", "/api/v1/agenda-entries/{secret_entry}", WRITE_SECRET, {"decision": "x"}),
    write("POST", "/api/v1/agenda-entries/{entry}/tasks", WRITE, {"title": ""}),
    write(
        "POST",
        "/api/v1/agenda-entries/{secret_entry}/tasks",
        WRITE_SECRET,
        {"title": "Anrufen", "owner": "{manager_a_id}"},
    ),
    get("/api/v1/tasks/{task}", READ),
    get("/api/v1/tasks/{secret_task}", READ_SECRET),
    write("PATCH", "/api/v1/tasks/{task}", WRITE_A, {"done": True}),
    write("PATCH", "/api/v1/tasks/{secret_task}", WRITE_SECRET, {"done": True}),
    get("/api/v1/tasks/mine", READ),
    get("/api/v1/search?q=Geheimprojekt", READ),
    get("/api/v1/users", READ),
    get("/api/v1/users/{manager_a_id}", READ),
    get("/api/v1/users/999999", NONE_SUCH),
    get("/api/v1/networks", READ),
    get("/api/v1/topics", READ),
    get("/api/v1/figures/overview", READ),
    get("/api/v1/figures/report?quarter={quarter}", READ),
]

# Public: the document and its page, for everyone, with or without a token.
PUBLIC_PATHS = ("/api/v1/openapi.json", "/api/v1/docs")
