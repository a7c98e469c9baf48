"""The live entry's forms render what their form classes say: names, labels, limits, choices."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.db import db
from tracker.form_copies import copies_of
from tracker.forms_support import options
from tracker.meetings import agenda, services
from tracker.meetings.forms import EntryForm, EntryItemForm, NoteForm, TaskForm

FORMS = {
    "entry-outcome": EntryForm,
    "entry-note-form": NoteForm,
    "entry-item": EntryItemForm,
    "entry-task": TaskForm,
}


class Forms(HTMLParser):
    """The entry forms of a page: each one's controls (tag, attributes, options) and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.labels: dict[str, str] = {}
        self._form: dict | None = None
        self._label: str | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        kind = next((k for k in FORMS if k in (attrs.get("class") or "").split()), None)
        if tag == "form" and kind:
            self._form = {"kind": kind, "controls": []}
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select", "button") and self._form and "name" in attrs:
            control = {"tag": tag, **attrs, "options": []}
            self._form["controls"].append(control)
            self._select = control if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select["options"].append([attrs.get("value"), ""])
        elif tag == "label":
            self._label = attrs["for"]
            self.labels[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label":
            self._label = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data
        elif self._select is not None and self._select["options"]:
            self._select["options"][-1][1] += data


@pytest.fixture
def page(client, login, make_network, make_user, make_series, make_item):
    """The live page of an open meeting with items of two networks, as a manager sees it."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    manager = make_user("manager", alpha, name="Anna Alpha")
    make_user("manager", beta, name="Bert Beta")
    meeting = services.upcoming(make_series())
    items = [
        make_item(
            actor=manager, title=f"Anliegen {network.short_name}", responsible_network=network
        )
        for network in (alpha, beta)
    ]
    agenda.prepare_agenda(meeting, actor=manager)
    db.session.commit()
    login(manager)
    parsed = Forms()
    opened = ",".join(str(e.id) for e in meeting.entries if e.item_id in {i.id for i in items})
    parsed.feed(client.get(f"/meetings/{meeting.id}/live?open={opened}").text)
    parsed.networks = [[str(network.id), network.short_name] for network in (alpha, beta)]
    return parsed


def _max_length(field) -> int | None:
    return next((v.max for v in field.validators if isinstance(v, Length)), None)


def _required(field) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in field.validators)


@pytest.mark.parametrize("kind", FORMS)
def test_entry_form_renders_each_field_of_its_class_and_no_other(app, page, kind):
    rendered = [form for form in page.forms if form["kind"] == kind]
    assert rendered
    with app.test_request_context():
        fields = {field.name for field in FORMS[kind](meta={"csrf": False})}
    for form in rendered:
        assert {c["name"] for c in form["controls"]} == fields | {"csrf_token"}


@pytest.mark.parametrize("kind", FORMS)
def test_entry_form_limits_and_labels_are_its_class_fields(app, page, kind):
    with app.test_request_context():  # German, as the page is
        fields = {field.name: field for field in FORMS[kind](meta={"csrf": False})}
        labels = {name: str(field.label.text) for name, field in fields.items()}
    for form in (form for form in page.forms if form["kind"] == kind):
        for control in form["controls"]:
            if control["tag"] == "button" or control.get("type") == "hidden":
                continue
            field = fields[control["name"]]
            maxlength = control.get("maxlength")
            assert (int(maxlength) if maxlength else None) == _max_length(field), control["id"]
            assert ("required" in control) == _required(field), control["id"]
            assert page.labels[control["id"]].strip() == labels[field.name]


def test_entry_item_form_offers_the_choices_the_view_accepts(page):
    forms = [form for form in page.forms if form["kind"] == "entry-item"]
    assert len(forms) == 2
    for form in forms:
        selects = {
            c["name"]: [[value, label.strip()] for value, label in c["options"]]
            for c in form["controls"]
            if c["tag"] == "select"
        }
        assert selects["responsible_network"][1:] == page.networks
        assert [label for _value, label in selects["assignee"]][1:] in (
            ["Anna Alpha"],
            ["Bert Beta"],
        )
        assert selects["responsible_network"][0] == selects["assignee"][0] == ["", "—"]


def test_entry_field_copies_escape_their_values_and_select_their_choice(app):
    with app.test_request_context():
        item = EntryItemForm(formdata=None, meta={"csrf": False})
        item.responsible_network.choices = options([(None, "—"), (7, "Nord"), (8, "Süd")])
        fields = copies_of(item)
        outcome = copies_of(EntryForm(formdata=None, meta={"csrf": False}))
        own = copies_of(NoteForm(formdata=None, meta={"csrf": False}))
    typed = '</textarea><script>alert("x")</script>'
    note = own.note("note-1", typed)
    assert "<script>" not in note and "&lt;/textarea&gt;&lt;script&gt;" in note
    assert 'value="&#34;&gt;"' in fields.note("in-1", '">')
    assert 'value="2026-03-01"' in fields.follow_up_date("fu-1", date(2026, 3, 1))
    chosen = fields.responsible_network("rn-1", 8)
    assert chosen.count("selected") == 1 and '<option selected value="8">Süd' in chosen
    assert "selected" not in fields.responsible_network("rn-2", 9)
    assert "checked" in outcome.discussed("d-1", True)
    assert "checked" not in outcome.discussed("d-2", False)
