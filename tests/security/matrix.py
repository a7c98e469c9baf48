"""The authorization matrix: every route of the app × every principal → the expected answer.

Answer classes:
- "login": sent to the login form (302 to /login?next=...); 401 on background routes (fetch);
- "out":   logged out: 302 to /login without a target;
- "403", "404": refused, or the object does not exist for this principal;
- "ok":    allowed: 2xx, a 3xx not to /login, or 400/409/422 (allowed, input rejected).

A deactivated user (logged in, then deactivated) must be treated like an anonymous one, so
that column is derived from the anonymous one. Paths and form values are templates filled
from the world's ids (tests/security/conftest.py). Mutating requests run in the order of
PRINCIPALS, so the allowed principals come last; later cells see what earlier ones changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The order of the requests on each route: mutating allowed principals come last.
PRINCIPALS = ("anonymous", "deactivated", "observer", "manager_b", "manager_a", "admin")

# The endpoints that are not part of the matrix, on purpose: static files.
EXCLUDED_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def _expect(anonymous: str, observer: str, manager_b: str, manager_a: str, admin: str) -> dict:
    return {
        "anonymous": anonymous,
        "deactivated": anonymous,
        "observer": observer,
        "manager_b": manager_b,
        "manager_a": manager_a,
        "admin": admin,
    }


PUBLIC = _expect("ok", "ok", "ok", "ok", "ok")
LOGGED_IN = _expect("login", "ok", "ok", "ok", "ok")
EDITORS = _expect("login", "403", "ok", "ok", "ok")  # managers and admins, not observers
RUNNERS = EDITORS  # who prepares agendas and works in live mode
# Who closes a meeting, reorders its agenda, sets its current entry: the office, unless it
# handed the meeting to someone (tracker/meetings/permissions.py).
MODERATOR = _expect("login", "403", "403", "403", "ok")
A_EDITS = _expect("login", "403", "403", "ok", "ok")  # items of network A, tasks of A's manager
SECRET = _expect("login", "404", "404", "ok", "ok")  # the confidential item of network A
OWN_VIEW = _expect("login", "404", "404", "ok", "404")  # manager A's private saved view
# Deleting manager A's shared view: only its owner may; the admin, asking last, finds it gone.
OWNER_ONLY = _expect("login", "403", "403", "ok", "404")
# Changing what only network A and admins may see (a contact or company known only from a
# confidential item, that item's agenda entry, its outcome, item and tasks): observers are
# refused before any lookup, the manager of another network finds nothing.
HIDDEN_EDIT = _expect("login", "403", "404", "ok", "ok")
ADMINS = _expect("login", "403", "403", "403", "ok")
MISSING = _expect("login", "404", "404", "404", "404")
ADMIN_MISSING = _expect("login", "403", "403", "403", "404")  # admins' pages: none such
MISSING_EDIT = _expect("login", "403", "404", "404", "404")
LOGOUT = _expect("out", "out", "out", "out", "out")
LOGOUT_ALL = _expect("login", "out", "out", "out", "out")
NOWHERE = _expect("404", "404", "404", "404", "404")
PENDING = _expect("login", "login", "login", "login", "login")  # no password checked just now


@dataclass(frozen=True)
class Row:
    """One route (endpoint, method) with one choice of URL parameters."""

    endpoint: str
    method: str
    path: str
    expect: dict
    data: dict = field(default_factory=dict)
    fetch: bool = False  # sent like the page's scripts send it (X-Requested-With: fetch)
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def get(endpoint: str, path: str, expect: dict, **extra) -> Row:
    return Row(endpoint, "GET", path, expect, **extra)


def post(endpoint: str, path: str, expect: dict, data: dict | None = None, **extra) -> Row:
    return Row(endpoint, "POST", path, expect, data or {}, **extra)


AUTH = [
    get("auth.login", "/login", PUBLIC),
    post("auth.login", "/login", PUBLIC),
    post("auth.logout", "/logout", LOGOUT),
    post("auth.set_language", "/language", PUBLIC, {"locale": "de"}),
    get("auth.account", "/account", LOGGED_IN),
    post("auth.account", "/account", LOGGED_IN),
    post("auth.logout_everywhere", "/account/logout-everywhere", LOGOUT_ALL),
    get("auth.forgot_password", "/password/forgot", PUBLIC),
    post("auth.forgot_password", "/password/forgot", PUBLIC),
    get("auth.reset_password", "/password/reset/{reset_token}", PUBLIC),
    post("auth.reset_password", "/password/reset/{reset_token}", PUBLIC),
    # The second step of a login needs the marker of a password just checked: without it
    # the anonymous are sent back to the login form, the logged-in to the start page.
    get("auth.second_factor", "/login/factor", _expect("out", "ok", "ok", "ok", "ok")),
    post("auth.second_factor", "/login/factor", _expect("out", "ok", "ok", "ok", "ok")),
    get("auth.factor_setup", "/login/setup", _expect("out", "ok", "ok", "ok", "ok")),
    post("auth.factor_setup", "/login/setup", _expect("out", "ok", "ok", "ok", "ok")),
    post("auth.passkey_factor_options", "/login/factor/passkey/options", PENDING, fetch=True),
    post("auth.passkey_factor", "/login/factor/passkey", PENDING, fetch=True),
    post("auth.passkey_login_options", "/login/passkey/options", PUBLIC, fetch=True),
    post("auth.passkey_login", "/login/passkey", PUBLIC, fetch=True),
    post("auth.totp_start", "/account/totp/start", LOGGED_IN),
    get("auth.totp_setup", "/account/totp", LOGGED_IN),
    post("auth.totp_setup", "/account/totp", LOGGED_IN, {"code": "123456"}),
    post("auth.totp_remove", "/account/totp/remove", LOGGED_IN),
    post("auth.recovery_codes", "/account/recovery-codes", LOGGED_IN),
    post("auth.passkey_register_options", "/account/passkeys/options", LOGGED_IN, fetch=True),
    post("auth.passkey_register", "/account/passkeys", LOGGED_IN, fetch=True),
    post("auth.passkey_remove", "/account/passkeys/999999/remove", LOGGED_IN),
    get("health.healthz", "/healthz", PUBLIC),
    get("privacy.index", "/privacy/", PUBLIC),
]

DASHBOARD = [
    get("dashboard.index", "/", LOGGED_IN),
    get("dashboard.overview", "/overview", LOGGED_IN),
    get("dashboard.clusters", "/overview/clusters", LOGGED_IN),
    get("search.index", "/search/?q=Sensorik", LOGGED_IN),
]

ITEMS = [
    get("items.index", "/items/", LOGGED_IN),
    get("items.new", "/items/new", EDITORS),
    post("items.new", "/items/new", EDITORS, {"title": ""}),
    get("items.detail", "/items/{item}", LOGGED_IN),
    get("items.detail", "/items/{secret}", SECRET),
    get("items.detail", "/items/999999", MISSING),
    get("items.edit", "/items/{item}/edit", A_EDITS),
    get("items.edit", "/items/{secret}/edit", SECRET),
    post("items.edit", "/items/{item}/edit", A_EDITS, {"title": ""}),
    post("items.edit", "/items/{secret}/edit", SECRET, {"title": ""}),
    get("items.duplicates", "/items/duplicates?title=Sensorik", LOGGED_IN, fetch=True),
    post("items.act", "/items/{item}/actions/complete", A_EDITS, {"note": "erledigt"}),
    post("items.act", "/items/{secret}/actions/complete", SECRET, {"note": "erledigt"}),
    post("items.hand_off", "/items/{item}/handoff", A_EDITS, {"network": "{network_b}"}),
    post("items.hand_off", "/items/{secret}/handoff", SECRET, {"network": "{network_b}"}),
    post("items.comment", "/items/{item}/comments", EDITORS, {"body": "Hallo"}),
    post("items.comment", "/items/{secret}/comments", SECRET, {"body": "Hallo"}),
    # a bulk change with nothing ticked: 400 for who may change items (the item pages'
    # checks decide per item: tests/test_items_bulk.py)
    post("items.bulk_change", "/items/bulk", EDITORS, {"change": "follow_up"}),
    get("items.mention_suggestions", "/items/{item}/mentions?q=a", EDITORS, fetch=True),
    get("items.mention_suggestions", "/items/{secret}/mentions?q=a", SECRET, fetch=True),
    get("items.mention_suggestions", "/items/999999/mentions?q=a", MISSING, fetch=True),
    post("items.follow", "/items/{item}/follow", LOGGED_IN, {"follow": "1"}),
    post("items.follow", "/items/{secret}/follow", SECRET, {"follow": "1"}),
    post("items.follow", "/items/999999/follow", MISSING, {"follow": "1"}),
    # linking: who may edit the item (to an item they may see; a bad number comes back)
    post("items.add_relation", "/items/{item}/relations", A_EDITS, {"reference": "x"}),
    post("items.add_relation", "/items/{secret}/relations", SECRET, {"reference": "x"}),
    post("items.remove_relation", "/items/{item}/relations/999999/remove", MISSING),
    post("items.remove_relation", "/items/{secret}/relations/999999/remove", MISSING),
]

COMPANIES = [
    get("companies.index", "/companies/", LOGGED_IN),
    get("companies.suggest", "/companies/suggest?q=Fir", LOGGED_IN, fetch=True),
    get("companies.detail", "/companies/{company}", LOGGED_IN),
    get("companies.detail", "/companies/999999", MISSING),
    get("companies.new", "/companies/new", EDITORS),
    post("companies.new", "/companies/new", EDITORS, {"name": ""}),
    get("companies.edit", "/companies/{company}/edit", EDITORS),
    post("companies.edit", "/companies/{company}/edit", EDITORS, {"name": ""}),
    post("companies.add_contact", "/companies/{company}/contacts", EDITORS, {"name": ""}),
    get("companies.edit_contact", "/companies/contacts/{visible_contact}/edit", EDITORS),
    post(
        "companies.edit_contact",
        "/companies/contacts/{visible_contact}/edit",
        EDITORS,
        {"name": ""},
    ),
    get("companies.edit_contact", "/companies/contacts/999999/edit", MISSING_EDIT),
    # Hidden: the contact known only from the confidential item, the company known only
    # from the other one, and that company's contact.
    get("companies.edit_contact", "/companies/contacts/{contact}/edit", HIDDEN_EDIT),
    post("companies.edit_contact", "/companies/contacts/{contact}/edit", HIDDEN_EDIT, {"name": ""}),
    get(
        "companies.edit_contact",
        "/companies/contacts/{hidden_company_contact}/edit",
        HIDDEN_EDIT,
    ),
    post(
        "companies.edit_contact",
        "/companies/contacts/{hidden_company_contact}/edit",
        HIDDEN_EDIT,
        {"name": ""},
    ),
    get("companies.detail", "/companies/{hidden_company}", SECRET),
    get("companies.edit", "/companies/{hidden_company}/edit", HIDDEN_EDIT),
    post("companies.edit", "/companies/{hidden_company}/edit", HIDDEN_EDIT, {"name": ""}),
    post(
        "companies.add_contact",
        "/companies/{hidden_company}/contacts",
        HIDDEN_EDIT,
        {"name": ""},
    ),
    get("networks.index", "/networks/", LOGGED_IN),
    get("networks.detail", "/networks/{network_a}", LOGGED_IN),
]

ADMIN = [
    get("admin.user_list", "/admin/users", ADMINS),
    get("admin.user_new", "/admin/users/new", ADMINS),
    post("admin.user_new", "/admin/users/new", ADMINS, {"email": ""}),
    get("admin.user_edit", "/admin/users/{observer_id}", ADMINS),
    post("admin.user_edit", "/admin/users/{observer_id}", ADMINS, {"email": ""}),
    post("admin.user_reset_factors", "/admin/users/{deactivated_id}/factors/reset", ADMINS),
    post(
        "admin.factor_policy", "/admin/users/factor-policy", ADMINS, {"required_for_managers": ""}
    ),
    get("admin.network_list", "/admin/networks", ADMINS),
    get("admin.network_edit", "/admin/networks/new", ADMINS),
    post("admin.network_edit", "/admin/networks/new", ADMINS, {"name": ""}),
    get("admin.network_edit", "/admin/networks/{network_b}", ADMINS),
    post("admin.network_edit", "/admin/networks/{network_b}", ADMINS, {"name": ""}),
    get("admin.topic_list", "/admin/topics", ADMINS),
    get("admin.topic_edit", "/admin/topics/new", ADMINS),
    post("admin.topic_edit", "/admin/topics/new", ADMINS, {"name": ""}),
    get("admin.topic_edit", "/admin/topics/{topic}", ADMINS),
    post("admin.topic_edit", "/admin/topics/{topic}", ADMINS, {"name": ""}),
    get("admin.audit_log", "/admin/audit", ADMINS),
    get("imports.upload", "/import/", ADMINS),
    post("imports.upload_post", "/import/", ADMINS),
    post("imports.mapping", "/import/mapping", ADMINS),
    post("imports.check", "/import/check", ADMINS),
    post("imports.run", "/import/run", ADMINS),
    # A running import is followed by the office only; a token that is not one is not found.
    get("imports.progress", "/import/run/no-such-import", ADMIN_MISSING),
    get("imports.progress_status", "/import/run/no-such-import/status", ADMIN_MISSING),
    get("privacy.export_contact", "/privacy/contacts/{contact}.json", ADMINS),
    post("privacy.erase_contact", "/privacy/contacts/{contact}/erase", ADMINS),
]

MEETINGS = [
    get("meetings.index", "/meetings/", LOGGED_IN),
    get("meetings.detail", "/meetings/{meeting}", LOGGED_IN),
    get("meetings.detail", "/meetings/999999", MISSING),
    post("meetings.prepare", "/meetings/{meeting}/prepare", RUNNERS),
    post("meetings.add_topic", "/meetings/{meeting}/topics", RUNNERS, {"title": "Sonstiges"}),
    post("meetings.add_item", "/meetings/{meeting}/items", RUNNERS, {"reference": "{reference}"}),
    post("meetings.move_entry", "/meetings/entries/{entry}/move/up", MODERATOR),
    post("meetings.remove_entry", "/meetings/entries/{entry}/remove", RUNNERS),
    post("meetings.restore_entry", "/meetings/entries/{entry}/restore", RUNNERS),
    post("meetings.move_entry", "/meetings/entries/{secret_entry}/move/up", MODERATOR),
    post(
        "meetings.remove_entry",
        "/meetings/entries/{secret_entry}/remove",
        HIDDEN_EDIT,
    ),
    post(
        "meetings.restore_entry",
        "/meetings/entries/{secret_entry}/restore",
        HIDDEN_EDIT,
    ),
    post("meetings.move", "/meetings/{meeting}/move", ADMINS, {"starts_at": "2030-01-10T10:00"}),
    post("meetings.cancel", "/meetings/{meeting}/cancel", ADMINS),
    get("meetings.send_agenda", "/meetings/{meeting}/agenda-mail", ADMINS),
    post("meetings.send_agenda", "/meetings/{meeting}/agenda-mail", ADMINS),
    get("meetings.send_agenda", "/meetings/999999/agenda-mail", ADMIN_MISSING),
    # The attendance link is the authority: no login; a token that is not one is not found.
    get("meetings.attendance_reply", "/meetings/attendance/not-a-token", NOWHERE),
    post("meetings.attendance_reply", "/meetings/attendance/not-a-token", NOWHERE),
    get("meetings.informed", "/meetings/series/{series}/informed", ADMINS),
    post("meetings.informed", "/meetings/series/{series}/informed", ADMINS, {"email": ""}),
    post(
        "meetings.informed_remove",
        "/meetings/series/{series}/informed/999999/remove",
        ADMIN_MISSING,
    ),
    get("meetings.series_edit", "/meetings/series/new", ADMINS),
    post("meetings.series_edit", "/meetings/series/new", ADMINS, {"name": ""}),
    get("meetings.series_edit", "/meetings/series/{series}", ADMINS),
    post("meetings.series_edit", "/meetings/series/{series}", ADMINS, {"name": ""}),
    get("meetings.live", "/meetings/{meeting}/live", LOGGED_IN),
    get("meetings.live_fragment", "/meetings/{meeting}/live/fragment", LOGGED_IN, fetch=True),
    post("meetings.start", "/meetings/{meeting}/start", RUNNERS),
    post("meetings.close", "/meetings/{meeting}/close", MODERATOR),
    post(
        "meetings.entry_outcome",
        "/meetings/entries/{entry}/outcome",
        RUNNERS,
        {"note": "besprochen"},
        fetch=True,
    ),
    post(
        "meetings.entry_outcome",
        "/meetings/entries/{secret_entry}/outcome",
        HIDDEN_EDIT,
        {"note": "besprochen"},
        fetch=True,
    ),
    post(
        "meetings.entry_item",
        "/meetings/entries/{entry}/item",
        A_EDITS,
        {"follow_up_date": "2030-01-01"},
        fetch=True,
    ),
    post(
        "meetings.entry_item",
        "/meetings/entries/{secret_entry}/item",
        HIDDEN_EDIT,
        {"follow_up_date": "2030-01-01"},
        fetch=True,
    ),
    post(
        "meetings.attendance",
        "/meetings/{meeting}/attendance",
        A_EDITS,  # a network sets its own attendance, the moderator anyone's
        {"network": "{network_a}", "present": "y"},
        fetch=True,
    ),
    post(
        "meetings.add_task",
        "/meetings/entries/{entry}/tasks",
        RUNNERS,
        {"title": "Anrufen", "owner": "{manager_a_id}"},
        fetch=True,
    ),
    post(
        "meetings.add_task",
        "/meetings/entries/{secret_entry}/tasks",
        HIDDEN_EDIT,
        {"title": "Anrufen", "owner": "{manager_a_id}"},
        fetch=True,
    ),
    post(
        "meetings.quick_add",
        "/meetings/{meeting}/quick-add",
        RUNNERS,
        {"title": "Neu im Termin", "company_name": "Firma Gamma", "kind": "request"},
        fetch=True,
    ),
    get("meetings.my_tasks", "/meetings/tasks", LOGGED_IN),
    post("meetings.task_done", "/meetings/tasks/{task}/done", A_EDITS, fetch=True),
    post("meetings.task_due", "/meetings/tasks/{task}/due", A_EDITS, {"due_date": "2030-02-01"}),
    post("meetings.task_done", "/meetings/tasks/{secret_task}/done", A_EDITS, fetch=True),
    post(
        "meetings.task_due",
        "/meetings/tasks/{secret_task}/due",
        A_EDITS,
        {"due_date": "2030-02-01"},
    ),
    get("meeting_exports.document", "/meetings/{meeting}/agenda.md", LOGGED_IN),
    get("meeting_exports.document", "/meetings/{meeting}/minutes.md", LOGGED_IN),
    get("meeting_exports.document", "/meetings/{meeting}/agenda.docx", LOGGED_IN),
    get("meeting_exports.document", "/meetings/{meeting}/minutes.pdf", LOGGED_IN),
    get("meeting_exports.document", "/meetings/999999/agenda.md", MISSING),
    get("meeting_exports.invitation", "/meetings/{meeting}/invitation.ics", LOGGED_IN),
    get("meetings.decisions_page", "/meetings/series/{series}/decisions", LOGGED_IN),
    get("meetings.decisions_page", "/meetings/series/999999/decisions", MISSING),
    get("meetings.decisions_xlsx", "/meetings/series/{series}/decisions.xlsx", LOGGED_IN),
    get("meetings.decisions_xlsx", "/meetings/series/999999/decisions.xlsx", MISSING),
    get("meeting_exports.series_feed", "/meetings/series/{series}/feed.ics", LOGGED_IN),
    get(
        "meeting_exports.series_subscribed_feed", "/meetings/series/feed/{series_token}.ics", PUBLIC
    ),  # fmt: skip
    get("meeting_exports.series_subscribed_feed", "/meetings/series/feed/not-a-token.ics", NOWHERE),
    get("meeting_exports.series_subscription", "/meetings/series/{series}/subscription", LOGGED_IN),
    post("meeting_exports.series_subscription", "/meetings/series/{series}/subscription", ADMINS),
]

REPORTS = [
    get("reports.register_export", "/reports/register.csv", LOGGED_IN),
    get("reports.register_export", "/reports/register.xlsx", LOGGED_IN),
    get(
        "reports.register_export",
        "/reports/register.csv?columns=contact&columns=description",
        LOGGED_IN,
    ),  # fmt: skip
    get("reports.views", "/reports/views", LOGGED_IN),
    post("reports.save_view", "/reports/views", LOGGED_IN, {"name": "Sicht", "query": "q=x"}),
    get("reports.open_view", "/reports/views/{view}", OWN_VIEW),
    post("reports.delete_view", "/reports/views/{view}/delete", OWN_VIEW),
    get("reports.open_view", "/reports/views/{shared_view}", LOGGED_IN),
    post("reports.delete_view", "/reports/views/{shared_view}/delete", OWNER_ONLY),
    get("reports.open_view", "/reports/views/999999", MISSING),
    get("reports.index", "/reports/", LOGGED_IN),
    get("reports.index", "/reports/?network={network_a}&quarter=2026-Q1", LOGGED_IN),
    get("reports.report_file", "/reports/networks/{network_a}/2026-Q1.xlsx", LOGGED_IN),
    get("reports.report_file", "/reports/networks/{network_a}/2026-Q1.docx", LOGGED_IN),
    get("reports.index", "/reports/?network=all&quarter=2026-Q1", LOGGED_IN),
    get("reports.initiative_file", "/reports/initiative/2026-Q1.xlsx", LOGGED_IN),
    get("reports.initiative_file", "/reports/initiative/2026-Q1.docx", LOGGED_IN),
    get("reports.initiative_file", "/reports/initiative/2026-Q9.xlsx", MISSING),
    get("reports.calendar", "/reports/calendar", LOGGED_IN),
    post("reports.renew_calendar", "/reports/calendar", LOGGED_IN),
    post("reports.revoke_calendar", "/reports/calendar/revoke", LOGGED_IN),
    get("reports.calendar_feed", "/reports/calendar/{calendar_token}.ics", PUBLIC),
    get("reports.calendar_feed", "/reports/calendar/not-a-token.ics", NOWHERE),
]

MAIL = [
    get("mail.outbox", "/admin/mail", ADMINS),
    get("mail.outbox", "/admin/mail?status=failed", ADMINS),
    post("mail.resend", "/admin/mail/999999/resend", ADMIN_MISSING),
    post("mail.resend_failed", "/admin/mail/resend-failed", ADMINS),
    get("mail.preferences_page", "/account/mail", LOGGED_IN),
    post("mail.preferences_page", "/account/mail", LOGGED_IN, {"commented": "off"}),
    # The link in the mail is the authority: no login; a token that is not one is not found.
    get("mail.unsubscribe_page", "/mail/unsubscribe/{unsubscribe_token}", PUBLIC),
    post("mail.unsubscribe_page", "/mail/unsubscribe/{unsubscribe_token}", PUBLIC),
    get("mail.unsubscribe_page", "/mail/unsubscribe/not-a-token", NOWHERE),
    post("mail.unsubscribe_page", "/mail/unsubscribe/not-a-token", NOWHERE),
]

# The API takes personal tokens only: a session cookie opens none of it, for anyone
# (tests/test_api_tokens.py asks with each kind of user's token).
TOKEN_ONLY = _expect("401", "401", "401", "401", "401")
API = [
    get("api-docs.openapi_json", "/api/v1/openapi.json", PUBLIC),
    get("api_docs_page.docs", "/api/v1/docs", PUBLIC),
    get("api_items.list_items", "/api/v1/items", TOKEN_ONLY),
    get("api_items.get_item", "/api/v1/items/{reference}", TOKEN_ONLY),
    get("api_items.get_item", "/api/v1/items/{secret_reference}", TOKEN_ONLY),
    post("api_items.create_item", "/api/v1/items", TOKEN_ONLY, {"title": "x"}),
    get("api_directory.list_networks", "/api/v1/networks", TOKEN_ONLY),
    get("api_directory.list_topics", "/api/v1/topics", TOKEN_ONLY),
    get("api_directory.my_tasks", "/api/v1/tasks/mine", TOKEN_ONLY),
    post("api_items.act", "/api/v1/items/{reference}/actions/accept", TOKEN_ONLY),
    post("api_items.hand_off", "/api/v1/items/{secret_reference}/hand-off", TOKEN_ONLY),
    get("api_tokens.own_tokens", "/account/tokens", LOGGED_IN),
    post("api_tokens.own_tokens", "/account/tokens", LOGGED_IN, {"name": ""}),
    post("api_tokens.revoke_own", "/account/tokens/999999/revoke", MISSING),
    get("api_tokens.all_tokens", "/admin/tokens", ADMINS),
    post("api_tokens.revoke_any", "/admin/tokens/999999/revoke", ADMIN_MISSING),
]

# The API's resources beyond the items' first endpoints (issue 17): tokens only, as above;
# what each principal's token gets is in tests/test_api_*.py.
API_RESOURCES = [
    Row("api_items.update_item", "PATCH", "/api/v1/items/{reference}", TOKEN_ONLY),
    Row("api_items.update_item", "PATCH", "/api/v1/items/{secret_reference}", TOKEN_ONLY),
    get("api_items.list_comments", "/api/v1/items/{secret_reference}/comments", TOKEN_ONLY),
    post("api_items.create_comment", "/api/v1/items/{reference}/comments", TOKEN_ONLY),
    get("api_companies.list_companies", "/api/v1/companies", TOKEN_ONLY),
    get("api_companies.get_company", "/api/v1/companies/{hidden_company}", TOKEN_ONLY),
    get("api_companies.list_contacts", "/api/v1/companies/{company}/contacts", TOKEN_ONLY),
    get("api_companies.get_contact", "/api/v1/contacts/{contact}", TOKEN_ONLY),
    get("api_meetings.list_meetings", "/api/v1/meetings", TOKEN_ONLY),
    get("api_meetings.get_meeting", "/api/v1/meetings/{meeting}", TOKEN_ONLY),
    get("api_meetings.get_entry", "/api/v1/agenda-entries/{secret_entry}", TOKEN_ONLY),
    Row("api_meetings.record_outcome", "PATCH", "/api/v1/agenda-entries/{entry}", TOKEN_ONLY),
    Row(
        "api_meetings.record_outcome",
        "PATCH",
        "/api/v1/agenda-entries/{secret_entry}",
        TOKEN_ONLY,
    ),
    post("api_meetings.create_task", "/api/v1/agenda-entries/{secret_entry}/tasks", TOKEN_ONLY),
    get("api_meetings.get_task", "/api/v1/tasks/{secret_task}", TOKEN_ONLY),
    Row("api_meetings.change_task", "PATCH", "/api/v1/tasks/{task}", TOKEN_ONLY),
    get("api_search.search", "/api/v1/search?q=Geheimprojekt", TOKEN_ONLY),
    get("api_users.list_users", "/api/v1/users", TOKEN_ONLY),
    get("api_users.get_user", "/api/v1/users/{manager_a_id}", TOKEN_ONLY),
    get("api_figures.overview_figures", "/api/v1/figures/overview", TOKEN_ONLY),
    get("api_figures.report_figures", "/api/v1/figures/report?quarter={quarter}", TOKEN_ONLY),
]

# Webhooks: the office's pages alone; an endpoint that does not exist is not found.
WEBHOOKS = [
    get("webhooks.endpoint_list", "/admin/webhooks", ADMINS),
    get("webhooks.endpoint_new", "/admin/webhooks/new", ADMINS),
    post("webhooks.endpoint_new", "/admin/webhooks/new", ADMINS, {"url": ""}),
    get("webhooks.endpoint_edit", "/admin/webhooks/{webhook}", ADMINS),
    post("webhooks.endpoint_edit", "/admin/webhooks/{webhook}", ADMINS, {"events": ""}),
    get("webhooks.endpoint_log", "/admin/webhooks/{webhook}/deliveries", ADMINS),
    get("webhooks.endpoint_log", "/admin/webhooks/{webhook}/deliveries?status=failed", ADMINS),
    post("webhooks.endpoint_test", "/admin/webhooks/{webhook}/test", ADMINS),
    post("webhooks.endpoint_delete", "/admin/webhooks/{webhook}/delete", ADMINS),
    get("webhooks.endpoint_edit", "/admin/webhooks/999999", ADMIN_MISSING),
    post("webhooks.endpoint_edit", "/admin/webhooks/999999", ADMIN_MISSING, {"events": ""}),
    get("webhooks.endpoint_log", "/admin/webhooks/999999/deliveries", ADMIN_MISSING),
    post("webhooks.endpoint_test", "/admin/webhooks/999999/test", ADMIN_MISSING),
    post("webhooks.endpoint_delete", "/admin/webhooks/999999/delete", ADMIN_MISSING),
    post(
        "webhooks.endpoint_resend",
        "/admin/webhooks/{webhook}/deliveries/999999/resend",
        ADMIN_MISSING,
    ),
    post(
        "webhooks.endpoint_resend",
        "/admin/webhooks/999999/deliveries/{webhook_delivery}/resend",
        ADMIN_MISSING,
    ),
    post(  # queued still: the office is told it is on its way (409)
        "webhooks.endpoint_resend",
        "/admin/webhooks/{webhook}/deliveries/{webhook_delivery}/resend",
        ADMINS,
    ),
]

# The two copies of a meeting's documents (?variant=): the distribution copy (no confidential
# item for anyone) and the internal one; an unknown copy is refused (422); the agenda mail
# with the copy the office chose.
MINUTES_COPIES = [
    get(
        "meeting_exports.document",
        "/meetings/{meeting}/minutes.pdf?variant=distribution",
        LOGGED_IN,
    ),
    get("meeting_exports.document", "/meetings/{meeting}/minutes.docx?variant=internal", LOGGED_IN),
    get(
        "meeting_exports.document", "/meetings/{meeting}/minutes.md?variant=distribution", LOGGED_IN
    ),
    get(
        "meeting_exports.document", "/meetings/{meeting}/agenda.md?variant=distribution", LOGGED_IN
    ),
    get("meeting_exports.document", "/meetings/{meeting}/minutes.md?variant=alles", LOGGED_IN),
    get("meeting_exports.document", "/meetings/999999/minutes.md?variant=internal", MISSING),
    post(
        "meetings.send_agenda",
        "/meetings/{meeting}/agenda-mail",
        ADMINS,
        {"variant": "distribution"},
    ),
    # Sending a closed meeting's minutes again; the world's meeting is open: refused (409).
    get("meetings.send_minutes", "/meetings/{meeting}/minutes-mail", ADMINS),
    post(
        "meetings.send_minutes", "/meetings/{meeting}/minutes-mail", ADMINS, {"variant": "internal"}
    ),
    get("meetings.send_minutes", "/meetings/999999/minutes-mail", ADMIN_MISSING),
]

# The live page's steering: the current entry, the hand-over, each person's own note, an
# entry opened on its line (a confidential item's shows only that it is one).
LIVE_STEERING = [
    get("meetings.entry_live", "/meetings/entries/{entry}/live", LOGGED_IN, fetch=True),
    get("meetings.entry_live", "/meetings/entries/{secret_entry}/live", LOGGED_IN, fetch=True),
    get("meetings.entry_live", "/meetings/entries/999999/live", MISSING, fetch=True),
    post(
        "meetings.entry_note",
        "/meetings/entries/{entry}/note",
        RUNNERS,
        {"note": "Eigene Notiz", "version": "0"},
        fetch=True,
    ),
    post(
        "meetings.entry_note",
        "/meetings/entries/{secret_entry}/note",
        HIDDEN_EDIT,
        {"note": "Eigene Notiz", "version": "0"},
        fetch=True,
    ),
    post("meetings.entry_note", "/meetings/entries/999999/note", MISSING, {"note": "x"}),
    post("meetings.set_current", "/meetings/{meeting}/current", MODERATOR, {"entry": "{entry}"}),
    post(
        "meetings.set_current",
        "/meetings/{meeting}/current",
        MODERATOR,
        {"entry": "{secret_entry}"},
        fetch=True,
    ),
    post("meetings.set_current", "/meetings/999999/current", MISSING, {"entry": "{entry}"}),
    post("meetings.hand_over", "/meetings/{meeting}/moderator", MODERATOR, {"moderator": ""}),
    post("meetings.hand_over", "/meetings/999999/moderator", MISSING, {"moderator": ""}),
]

ROWS: list[Row] = [
    *AUTH,
    *DASHBOARD,
    *ITEMS,
    *COMPANIES,
    *ADMIN,
    *MEETINGS,
    *REPORTS,
    *MAIL,
    *API,
    *API_RESOURCES,
    *WEBHOOKS,
    *MINUTES_COPIES,
    *LIVE_STEERING,
]

assert all(set(row.expect) == set(PRINCIPALS) for row in ROWS)
