"""Whatever users type comes back escaped: every page, with a script probe in every text field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest

from tracker.audit import services as audit
from tracker.auth import services as users
from tracker.companies import services as companies
from tracker.db import db
from tracker.imports import jobs
from tracker.imports.reader import pack
from tracker.items import lifecycle, saved_views
from tracker.items import services as items
from tracker.meetings import agenda, live
from tracker.meetings import series as series_services
from tracker.meetings.models import Meeting
from tracker.networks import services as networks
from tracker.networks.models import Network
from tracker.topics import services as topics

from .matrix import ROWS

SHORT = "\"'><svg onload=alert(1)>"
LINKS = '\n\n[x](javascript:alert(1)) <a href="javascript:alert(2)">y</a>'
ODD_URL = "https://example.org/" + SHORT
# Markup that runs script if it reaches a page unescaped; the label names the field.
RAW = re.compile(
    r"<script>alert\(|<img src=x onerror=|<svg onload=|href=[\"']?\s*javascript:", re.IGNORECASE
)


def probe(label: str) -> str:
    return f'<script>alert("{label}")</script><img src=x onerror=alert(1)>{SHORT}'


def _register(world, admin, manager_a) -> None:
    r, a = world.records, world.records["item"].reporting_network
    items.update_item(
        r["item"],
        actor=admin,
        expected_version=None,
        title=probe("title"),
        description=probe("description") + LINKS,
        topics=[r["topic"]],
    )
    items.add_comment(r["item"], actor=admin, body=probe("comment") + LINKS)
    closed = items.create_item(
        actor=manager_a,
        title=probe("closed"),
        company=r["company"],
        reporting_network=a,
        responsible_network=a,
        kind=r["item"].kind,
    )
    lifecycle.perform(
        closed, "complete", actor=manager_a, expected_version=None, note=probe("resolution")
    )
    twin = items.create_item(
        actor=admin,
        title=probe("twin"),
        company=r["secret_other"].company,
        reporting_network=world.users["manager_b"].network,
        kind=r["item"].kind,
    )
    lifecycle.hand_off(twin, a, actor=admin, expected_version=None, note=probe("handoff"))


def _master_data(world, admin) -> None:
    r = world.records
    companies.update_company(
        r["company"],
        actor=admin,
        expected_version=None,
        name=probe("company"),
        city=SHORT,
        website=ODD_URL,
        notes=probe("company notes") + LINKS,
    )
    companies.save_contact(
        r["company"],
        actor=admin,
        contact=r["contact"],
        expected_version=None,
        name=probe("contact"),
        function=probe("function"),
        email=SHORT,
        phone=SHORT,
    )
    networks.save_network(
        actor=admin,
        network=r["item"].reporting_network,
        expected_version=None,
        name=probe("network"),
        short_name=SHORT,
        description=probe("network text") + LINKS,
        website=ODD_URL,
    )
    topics.save_topic(actor=admin, name=probe("topic"), topic=r["topic"])
    users.update_user(
        world.users["manager_a"], actor=admin, expected_version=None, name=probe("user")
    )
    saved_views.save_view(owner=admin, name=probe("view"), query="q=" + probe("query"), shared=True)
    audit.record("probe", actor=admin, subject=probe("audit"), note=probe("audit details"))


def _meetings(world, admin, manager_a, today) -> None:
    r = world.records
    series_services.save_series(
        actor=admin,
        series=r["series"],
        expected_version=None,
        name=probe("series"),
        standing_topics_start=probe("standing"),
        standing_topics_end=probe("standing end"),
        video_link=ODD_URL,
    )
    old = Meeting(
        series=r["series"],
        starts_at=datetime.now(UTC) - timedelta(days=7),
        duration_minutes=90,
    )
    db.session.add(old)
    db.session.flush()
    for meeting in (old, r["meeting"]):
        agenda.prepare_agenda(meeting, actor=admin)
        agenda.add_free_topic(meeting, probe("free topic"), actor=admin)
        entry = agenda.add_item_entry(meeting, r["item"], actor=admin)
        live.update_entry(
            entry,
            actor=admin,
            expected_version=None,
            discussed=False,
            note=probe("note") + LINKS,
            decision=probe("decision"),
        )
        live.add_task(
            meeting, actor=admin, title=probe("task"), owner=manager_a, due_date=today, entry=entry
        )
    live.close_meeting(old, actor=admin)
    db.session.flush()
    world.ids["old_meeting"] = old.id


@pytest.fixture
def probed(world, today):
    """The world with a script probe in every text a user can type."""
    admin, manager_a = world.users["admin"], world.users["manager_a"]
    _register(world, admin, manager_a)
    _master_data(world, admin)
    _meetings(world, admin, manager_a, today)
    db.session.commit()
    return world


def assert_escaped(response, where: str) -> None:
    """HTML answers hold no live markup from the probe; other answers are not HTML."""
    if response.mimetype != "text/html":
        assert "html" not in response.mimetype, f"{where}: {response.mimetype}"
        return
    text = response.get_data(as_text=True)
    found = [text[max(m.start() - 60, 0) : m.end() + 20] for m in RAW.finditer(text)]
    assert not found, f"{where} shows unescaped input:\n" + "\n".join(found)


Q = quote(probe("reflected"))
EXTRA_PAGES = [
    "/meetings/{old_meeting}",
    "/meetings/{old_meeting}/live",
    "/meetings/{old_meeting}/live/fragment",
    "/meetings/{old_meeting}/minutes.md",
    "/meetings/{old_meeting}/invitation.ics",
    "/search/?q=alert",
    "/search/?q=alert&kind=activities",
    "/search/?q=alert&kind=companies",
    "/search/?q=script+onerror",
    "/items/?q=alert&status=all",
    "/items/?status=all",
    "/items/duplicates?title=alert+script&company_name=alert",
    "/companies/?q=script",
    "/companies/suggest?q=%3Cscript",
    "/overview/clusters?companies=1&networks=1",
    "/reports/register.csv?status=all",
    "/reports/?network={network_a}&quarter={quarter}",
    "/admin/audit?event=probe",
    f"/search/?q={Q}",
    f"/items/?q={Q}",
    f"/companies/?q={Q}",
    f"/reports/views?query=q%3D{Q}",
    f"/admin/audit?event={Q}",
    f"/login?next={Q}",
    f"/overview/clusters?days={Q}&companies={Q}&date_from={Q}",
    f"/no-such-page/{Q}",
]
PAGES = [row.path for row in ROWS if row.method == "GET" and row.expect["admin"] == "ok"]


@pytest.mark.parametrize("path", PAGES + EXTRA_PAGES)
def test_page_shows_typed_markup_as_text(probed, client_as, path):
    url = probed.format(path)
    for principal in ("admin", "manager_a"):
        assert_escaped(client_as(principal).get(url), f"{principal} {url}")


def test_probe_reaches_the_page_escaped(probed, client_as):
    text = client_as("admin").get(probed.format("/items/{item}")).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in text


MARKDOWN_PAGES = ["/items/{item}", "/companies/{company}", "/networks/{network_a}"]


@pytest.mark.parametrize("path", [*MARKDOWN_PAGES, "/meetings/{old_meeting}"])
def test_markdown_keeps_links_but_drops_javascript_targets(probed, client_as, path):
    text = client_as("admin").get(probed.format(path)).get_data(as_text=True)
    assert '<a rel="noopener noreferrer">x</a>' in text  # rendered as a link, without href
    assert '<a rel="noopener noreferrer">y</a>' not in text  # raw HTML is left out
    assert not re.search(r"href=[\"']?\s*javascript:", text, re.IGNORECASE)


SERIES = {"weekday": "3", "start_time": "10:00", "duration_minutes": "90"}


def _network_b(world):
    return db.session.get(Network, world.ids["network_b"]).website


# (form, its data without the address, the address field, where the app keeps it)
ADDRESS_FORMS = {
    "company-new": ("/companies/new", {"name": "Neue Firma"}, "website", None),
    "company-edit": (
        "/companies/{company}/edit",
        {"name": "Firma Alpha"},
        "website",
        lambda w: w.records["company"].website,
    ),
    "series": (
        "/meetings/series/{series}",
        {"name": "Runde", "timezone": "Europe/Berlin", **SERIES},
        "video_link",
        lambda w: w.records["series"].video_link,
    ),
    "network": (
        "/admin/networks/{network_b}",
        {"name": "Netzwerk B", "short_name": "B", "roll_call_position": "2"},
        "website",
        _network_b,
    ),
}
ADDRESS_CASES = [
    pytest.param(*ADDRESS_FORMS[form], address, id=f"{form}-{address}", marks=marks)
    for form, address, marks in [
        ("company-new", "javascript:alert(1)", []),
        ("company-new", "javascript://x.org/%0Aalert(1)", []),
        ("company-edit", "javascript:alert(1)", []),
        ("company-edit", "JavaScript://x.org/%0Aalert(1)", []),
        ("series", "javascript:alert(1)", []),
        ("network", "javascript:alert(1)", []),
    ]
]


@pytest.mark.parametrize(("path", "data", "field", "stored", "address"), ADDRESS_CASES)
def test_web_address_must_be_http_or_https(world, client_as, path, data, field, stored, address):
    response = client_as("admin").post(world.format(path), data={**data, field: address})
    db.session.expire_all()
    assert response.status_code == 400, f"{address!r} accepted ({response.status_code})"
    assert "http" in response.get_data(as_text=True).split("invalid-feedback", 1)[-1][:400]
    if stored is not None:
        assert "javascript" not in stored(world).lower()


def test_import_pages_show_the_file_as_text(world, client_as):
    client = client_as("admin")
    content = f"Titel;Unternehmen;{probe('header')}\n{probe('row')};{probe('firm')};x\n"
    upload = {
        "file": (BytesIO(content.encode("utf-8")), "liste.csv"),
        "network": world.ids["network_a"],
    }
    assert_escaped(client.post("/import/", data=upload), "mapping")
    form = {
        "payload": pack(content.encode("utf-8")),
        "filename": "liste.csv",
        "network": world.ids["network_a"],
        "columns-0": "title",
        "columns-1": "company",
        "columns-2": "",
        "default_kind": "request",
    }
    for step in ("/import/mapping", "/import/check"):
        response = client.post(step, data=form)
        assert response.status_code == 200, (step, response.status_code)
        assert_escaped(response, step)
    started = client.post("/import/run", data=form)  # the import runs in a thread
    assert started.status_code == 303, started.status_code
    jobs.wait(started.headers["Location"].rsplit("/", 1)[1])
    assert_escaped(client.get(started.headers["Location"]), "/import/run")
