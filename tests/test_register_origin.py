"""The register shows or leaves out the items imported from an office's register."""

from __future__ import annotations

from tracker.db import db


def _items(make_item, make_user):
    manager = make_user()
    typed = make_item(actor=manager, title="Im Register erfasst")
    imported = make_item(actor=manager, title="Aus der Excel-Liste")
    imported.import_key, imported.import_file, imported.import_row = "nr:17", "liste.xlsx", 17
    db.session.commit()
    return manager, typed, imported


def test_the_register_filters_by_origin(client, login, make_item, make_user):
    manager, typed, imported = _items(make_item, make_user)
    login(manager)
    both = client.get("/items/?status=all").text
    assert typed.title in both and imported.title in both
    only = client.get("/items/?status=all&origin=imported").text
    assert imported.title in only and typed.title not in only
    without = client.get("/items/?status=all&origin=entered").text
    assert typed.title in without and imported.title not in without
    assert 'name="origin"' in without and '<option selected value="entered">' in without


def test_an_unknown_origin_is_ignored(client, login, make_item, make_user):
    manager, typed, imported = _items(make_item, make_user)
    login(manager)
    page = client.get("/items/?status=all&origin=nirgends")
    assert page.status_code == 200
    assert typed.title in page.text and imported.title in page.text


def test_the_export_follows_the_origin_filter(client, login, make_item, make_user):
    manager, typed, imported = _items(make_item, make_user)
    login(manager)
    answer = client.get("/reports/register.csv?status=all&origin=entered")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and typed.title in text and imported.title not in text
