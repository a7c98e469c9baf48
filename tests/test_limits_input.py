"""Typed text is bounded and cleaned: in the forms, and again on the models for API, import, CLI."""

from __future__ import annotations

import pytest

from tracker import limits
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.items import services as items
from tracker.items.models import Item

PASTED = "Partner\x0bfür\x00 KI-Pilot\tgesucht"
CLEAN = "Partnerfür KI-Pilot\tgesucht"


def _new_item(client, **values):
    data = {"title": "T", "kind": "need", "company_name": "Optik AG", "priority": "normal"}
    return client.post("/items/new", data={**data, "source": "phone", **values})


def test_form_post_with_control_characters_stores_clean_text(client, login, make_user):
    login(make_user("manager"))
    response = _new_item(client, title=PASTED, description="Zeile\x0b1\r\nZeile 2\x00")
    assert response.status_code == 302
    item = db.session.scalar(db.select(Item))
    assert item.title == CLEAN and item.description == "Zeile1\r\nZeile 2"


def test_too_long_description_comes_back_with_input_and_error(client, login, make_user):
    login(make_user("manager"))
    text = "x" * (limits.DESCRIPTION + 1)
    response = _new_item(client, title="Behalten", description=text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Behalten" in page and text in page
    assert db.session.scalar(db.select(Item)) is None


def test_service_cleans_control_characters(make_item):
    assert make_item(title=PASTED).title == CLEAN


@pytest.mark.parametrize(
    ("field", "limit"), [("title", limits.TITLE), ("description", limits.DESCRIPTION)]
)
def test_service_refuses_text_above_its_limit(make_item, field, limit):
    item = make_item()
    with pytest.raises(ValidationFailed) as error:
        items.update_item(
            item, actor=item.created_by, expected_version=None, **{field: "x" * (limit + 1)}
        )
    assert error.value.field == field


def test_service_refuses_too_long_comment(make_item):
    item = make_item()
    with pytest.raises(ValidationFailed):
        items.add_comment(item, actor=item.created_by, body="x" * (limits.COMMENT + 1))


def test_every_limit_fits_its_column(app):
    for (model, name), limit in limits.column_limits().items():
        length = getattr(model, name).property.columns[0].type.length
        assert length is None or limit <= length, f"{model.__name__}.{name}"
