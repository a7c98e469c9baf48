"""The import pages: upload → mapping → dry run → import, for the coordination office only."""

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.i18n import _, ngettext
from tracker.imports import jobs
from tracker.imports.reader import pack
from tracker.items.models import Item

MESSY = Path(__file__).parent / "data" / "imports" / "register-messy-cp1252.csv"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
FIELDS = "company contact title kind topics status follow_up_date reporting_network "
FIELDS += "responsible_network priority recorded_on description"
MESSY_MAPPING = {f"columns-{i}": name for i, name in enumerate(FIELDS.split())}


@pytest.fixture
def admin(login, make_user, make_network, make_topic):
    make_network("NetzA"), make_network("NetzB")
    for name in ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende"):
        make_topic(name)
    user = make_user("admin")
    login(user)
    return user


def _network_id(short_name: str) -> int:
    from tracker.networks.models import Network

    return db.session.scalar(select(Network.id).where(Network.short_name == short_name))


def _upload(client, data: bytes, filename: str = "register.csv"):
    return client.post(
        "/import/",
        data={"file": (io.BytesIO(data), filename), "network": _network_id("NetzB")},
        content_type="multipart/form-data",
    )


def _hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)[1])


def _text(response) -> str:
    """The page as a reader sees it; messages are compared in the page's own language."""
    return html.unescape(response.text)


def _items() -> int:
    return db.session.scalar(select(func.count(Item.id)))


def _run(client, form: dict):
    """Confirm the import: it answers at once with the progress page's address; wait for the
    import's thread to end and return the result page."""
    started = client.post("/import/run", data=form)
    assert started.status_code == 303, started.status_code
    address = started.headers["Location"]
    jobs.wait(address.rsplit("/", 1)[1])
    db.session.rollback()  # the test's own reading transaction ends: it sees the import
    return client.get(address)


def test_upload_shows_the_mapping_with_guesses_and_a_preview(client, admin):
    page = _upload(client, MESSY.read_bytes()).text
    assert '<option selected value="company">' in page.split('id="columns-0"')[1][:2000]
    assert "Untrnehmen" in page and "Qualitätsprüfung" in page  # decoded from Windows-1252
    assert "cp1252" in page and _("header in row %(row)d", row=1) in page


def test_full_flow_checks_first_then_imports_the_valid_rows(client, admin):
    payload = _hidden(_upload(client, MESSY.read_bytes()).text, "payload")
    form = dict(MESSY_MAPPING, payload=payload, filename="x.csv", network=_network_id("NetzB"))
    check = client.post("/import/check", data=form)
    assert check.status_code == 200 and _items() == 0
    page = _text(check)
    assert ngettext("Import %(num)d item", "Import %(num)d items", 6) in page
    assert _("row %(row)d = row %(first)d", row=9, first=2) in page  # repeated, imported once
    assert "NetzX" in page.split('id="unknown"')[1]  # the unknown network, with a choice
    assert page.count("<tr><td>8</td><td>") == 2  # status and follow-up date of row 8
    done = _run(client, form)
    assert done.status_code == 200 and _items() == 6
    assert ngettext("%(num)d item was imported.", "%(num)d items were imported.", 6) in _text(done)
    first = db.session.scalar(select(Item).order_by(Item.id))
    assert f'href="/items/{first.id}"' in done.text
    again = _text(_run(client, form))
    assert ngettext("%(num)d item was imported.", "%(num)d items were imported.", 0) in again
    assert _items() == 6


def test_change_the_columns_keeps_the_mapping_that_was_checked(client, admin):
    form = dict(MESSY_MAPPING, payload=pack(MESSY.read_bytes()), network=_network_id("NetzA"))
    form["columns-11"] = ""
    page = client.post("/import/mapping", data=form).text
    assert '<option selected value="">' in page.split('id="columns-11"')[1][:300]
    assert '<option selected value="description">' not in page


def test_check_without_title_column_shows_the_mapping_error(client, admin):
    form = dict(MESSY_MAPPING, payload=pack(MESSY.read_bytes()), network=_network_id("NetzA"))
    form["columns-2"] = ""
    response = client.post("/import/check", data=form)
    assert response.status_code == 400
    assert _("Please choose a column for “%(field)s”.", field=_("Title")) in _text(response)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (PNG, "bild.png", "This is not a CSV or XLSX file."),
        (PNG, "getarnt.csv", "This is not a CSV or XLSX file."),
        (b"", "leer.csv", "The file is empty."),
        (b"", "", "Please choose a file."),
        (b"\r\n\r\n", "leer.csv", "The file is empty."),
        (b"PK\x03\x04garbage", "kaputt.xlsx", "This is not a readable XLSX file."),
    ],
)
def test_bad_upload_gives_a_form_error_not_a_500(client, admin, data, filename, message):
    response = _upload(client, data, filename)
    assert response.status_code == 400
    assert _(message) in _text(response) and 'name="file"' in response.text


def test_lost_payload_starts_again_with_a_message(client, admin):
    response = client.post("/import/check", data={"payload": "kaputt", **MESSY_MAPPING})
    assert response.status_code == 400
    assert _("The uploaded file was lost. Please upload it again.") in _text(response)
    assert 'name="file"' in response.text


@pytest.mark.parametrize("role", ["manager", "observer"])
@pytest.mark.parametrize(("method", "path"), [("get", "/import/"), ("post", "/import/run")])
def test_non_admins_get_403(client, login, make_user, role, method, path):
    login(make_user(role))
    assert getattr(client, method)(path).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    assert client.get("/import/").status_code == 302


def test_forms_need_the_csrf_token(app, client, admin):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/import/check", data={"payload": pack(MESSY.read_bytes())})
    assert response.status_code == 400 and _items() == 0
    assert 'name="csrf_token"' in client.get("/import/").text


def test_too_many_rows_for_the_web_point_to_the_command_line(client, admin, monkeypatch):
    monkeypatch.setitem(client.application.config, "IMPORT_WEB_MAX_ROWS", 5)
    response = _upload(client, MESSY.read_bytes())
    message = "The file has more than %(limit)d rows. Please split it, or import it on the "
    assert response.status_code == 400
    assert _(message + "command line.", limit=5) in _text(response)


def test_item_page_names_the_file_and_row_it_was_imported_from(client, admin):
    form = dict(MESSY_MAPPING, payload=pack(MESSY.read_bytes()), network=_network_id("NetzB"))
    _run(client, dict(form, filename="Register.csv"))
    item = db.session.scalar(select(Item).where(Item.import_row == 4))
    page = _text(client.get(f"/items/{item.id}"))
    assert _("imported from %(file)s, row %(row)d", file="Register.csv", row=4) in page


def test_network_aliases_are_edited_by_the_office(client, admin):
    from tracker.networks.models import Network

    network = db.session.get(Network, _network_id("NetzA"))
    data = {"name": network.name, "short_name": "NetzA", "version": network.version}
    data |= {"aliases": " Energie-Netzwerk \r\n\r\nH2  Wartburg", "roll_call_position": 1}
    assert client.post(f"/admin/networks/{network.id}", data=data).status_code == 302
    db.session.refresh(network)
    assert network.alias_list == ["Energie-Netzwerk", "H2 Wartburg"]
    assert "Energie-Netzwerk" in client.get(f"/admin/networks/{network.id}").text


def test_choices_of_the_dry_run_are_applied_when_checking_again(client, admin):
    form = dict(MESSY_MAPPING, payload=pack(MESSY.read_bytes()), network=_network_id("NetzB"))
    first = _text(client.post("/import/check", data=form))
    assert 'name="network-value:netzx"' in first
    assert _("Unknown network: %(value)s.", value="NetzX") in first
    form["network-value:netzx"] = str(_network_id("NetzA"))
    again = _text(client.post("/import/check", data=form))
    assert _("Unknown network: %(value)s.", value="NetzX") not in again
    assert ngettext("Import %(num)d item", "Import %(num)d items", 7) in again


def test_upload_without_a_chosen_network_asks_for_one(client, admin):
    page = client.get("/import/").get_data(as_text=True)
    first = re.search(r'<select[^>]*name="network"[^>]*>\s*<option([^>]*)>([^<]*)</option>', page)
    assert first and 'value="0"' in first[1] and first[2] == "— bitte wählen —"
    assert not re.search(r'<option selected value="[1-9]', page)  # no network chosen for one
    answer = client.post(
        "/import/",
        data={"file": (io.BytesIO(b"Titel;Unternehmen\nA;B\n"), "r.csv"), "network": "0"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert "Bitte wählen Sie das meldende Netzwerk aus." in answer.get_data(as_text=True)
