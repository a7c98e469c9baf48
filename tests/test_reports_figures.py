"""The funders' report per network and quarter: figures, boundaries, XLSX and DOCX."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from docx import Document
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import event

from tracker.db import db
from tracker.items.models import Item, ItemKind, ItemStatus
from tracker.reports.figures import Quarter, last_complete_quarter, network_report

Q3 = Quarter(2026, 3)
# The figures of Q3 2026 are looked at during the following quarter.
pytestmark = pytest.mark.time_machine(datetime.fromisoformat("2026-11-24T09:00:00+01:00"))


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def data(make_network, make_user, make_item, make_topic):
    """Alpha received 3 items in Q3 2026 (one handed to Beta) and closed 2."""
    alpha, beta = make_network("Alpha", name="Netzwerk Alpha"), make_network("Beta")
    energy, staff = make_topic("Energie"), make_topic("Fachkräfte")

    def item(kind, reporting, responsible, created, accepted=None, closed=None, topics=()):
        made = make_item(
            kind=kind,
            reporting_network=reporting,
            responsible_network=responsible,
            topics=list(topics),
            title=f"Anliegen vom {created:%d.%m.}",
        )
        made.created_at, made.accepted_at, made.closed_at = created, accepted, closed
        made.status = ItemStatus.DONE if closed else ItemStatus.IN_PROGRESS
        return made

    d = timedelta(days=1)
    item(ItemKind.NEED, alpha, alpha, at(7, 1), at(7, 1) + 2 * d, at(7, 1) + 10 * d, [energy])
    item(ItemKind.REQUEST, alpha, beta, at(8, 1), topics=[energy, staff])
    item(ItemKind.REQUEST, alpha, None, at(9, 15)).status = ItemStatus.NEW
    item(ItemKind.WISH, beta, alpha, at(5, 1), at(5, 1) + 65 * d, at(5, 1) + 95 * d, [staff])
    item(ItemKind.WISH, beta, alpha, at(8, 10), at(8, 10) + 4 * d)
    item(ItemKind.NEED, beta, beta, at(8, 2), at(8, 3), at(8, 4))  # not Alpha's
    item(ItemKind.NEED, alpha, alpha, at(6, 20), at(6, 21))  # before the quarter
    db.session.commit()
    return dict(alpha=alpha, beta=beta, viewer=make_user("observer"))


def test_figures_of_a_hand_made_quarter(data):
    report = network_report(data["alpha"], Q3, data["viewer"], "(ohne)")
    assert (report.received, report.closed, report.accepted, report.handed_off) == (3, 2, 3, 1)
    assert report.median_days_to_acceptance == 4.0  # of 2, 4 and 65 days
    assert report.median_days_to_closing == 52.5  # of 10 and 95 days
    assert round(report.handed_off_share, 3) == 0.333
    assert [(b.label, b.received, b.closed) for b in report.by_kind] == [
        ("Bedarf", 1, 1),
        ("Anfrage", 2, 0),
        ("Wunsch", 0, 1),
    ]
    by_topic = {b.label: (b.received, b.closed) for b in report.by_topic}
    assert by_topic == {"Energie": (2, 1), "Fachkräfte": (1, 1), "(ohne)": (1, 0)}


def test_quarter_boundaries_follow_local_midnight(make_network, make_item, make_user):
    alpha = make_network()
    late, early = make_item(reporting_network=alpha), make_item(reporting_network=alpha)
    late.created_at = datetime(2026, 6, 30, 21, 30, tzinfo=UTC)  # 23:30 in Berlin: Q2
    early.created_at = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 00:30 in Berlin: Q3
    db.session.commit()
    report = network_report(alpha, Q3, make_user("admin"), "-")
    assert [row.item.id for row in report.items] == [early.id]


def test_quarters_parse_and_step():
    assert Quarter.parse("2026-Q3") == Q3 and Quarter.parse("2026-Q5") is None
    assert Quarter.parse("2026-Q1").previous() == Quarter(2025, 4)
    assert (Q3.first_day, Q3.last_day) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_complete_quarter(date(2026, 11, 24)) == Q3
    assert str(Quarter(2027, 1)) == "2027-Q1"


def test_xlsx_holds_figures_and_items(client, login, data, make_user):
    login(make_user("observer", locale="en"))
    refresh()  # the tests share one app context, so forget the language chosen before
    response = client.get(f"/reports/networks/{data['alpha'].id}/2026-Q3.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200 and "Alpha-2026-Q3.xlsx" in disposition
    figures, items = load_workbook(io.BytesIO(response.get_data())).worksheets
    values = {row[0]: row[1] for row in figures.iter_rows(values_only=True) if row and row[0]}
    assert values["Items received (reported by the network)"] == 3
    assert values["Items closed (network responsible)"] == 2
    assert values["Median days from creation to closing"] == 52.5
    assert round(values["Share of received items handed to other networks"], 3) == 0.333
    assert items.max_row == 6 and items.freeze_panes == "A2"


def test_docx_holds_title_period_and_figures(client, login, data):
    login(data["viewer"])
    response = client.get(f"/reports/networks/{data['alpha'].id}/2026-Q3.docx")
    document = Document(io.BytesIO(response.get_data()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Netzwerk Alpha" in text and "01.07.2026" in text and "30.09.2026" in text
    figures = [row.cells[1].text for row in document.tables[0].rows[1:]]
    assert figures == ["3", "2", "3", "1", "33,3\xa0%", "4,0", "52,5"]
    assert len(document.tables) == 4 and len(document.tables[3].rows) == 6


def test_confidential_titles_are_hidden_but_counted(client, login, data, make_item, make_user):
    secret = make_item(
        reporting_network=data["alpha"], title="Geheime Übernahme", confidential=True
    )
    secret.created_at = at(8, 20)
    db.session.commit()
    login(data["viewer"])
    body = client.get(f"/reports/networks/{data['alpha'].id}/2026-Q3.xlsx").get_data()
    cells = [c for row in load_workbook(io.BytesIO(body)).worksheets[1].values for c in row]
    assert "Geheime Übernahme" not in cells and secret.reference in cells
    report = network_report(data["alpha"], Q3, make_user("manager", data["alpha"]), "-")
    assert report.received == 4 and any(row.visible for row in report.items if row.item == secret)


def test_report_page_defaults_to_own_network_and_last_quarter(
    client, login, data, make_user, today
):
    login(make_user("manager", data["alpha"]))
    page = client.get("/reports/").get_data(as_text=True)
    quarter = last_complete_quarter(today)
    assert f'<option selected value="{data["alpha"].id}">' in page
    assert f'<option selected value="{quarter}">' in page
    assert f"/reports/networks/{data['alpha'].id}/{quarter}.docx" in page


def test_report_page_shows_figures_and_refuses_unknown_quarters(client, login, data):
    login(data["viewer"])
    page = client.get(f"/reports/?network={data['alpha'].id}&quarter=2026-Q3").text
    assert "52,5" in page and "33,3" in page
    assert client.get(f"/reports/?network={data['alpha'].id}&quarter=1999-Q1").status_code == 400
    assert client.get(f"/reports/networks/{data['alpha'].id}/2026-Q9.xlsx").status_code == 404


def test_report_runs_a_fixed_number_of_queries(client, login, data, make_item, make_topic):
    login(data["viewer"])
    url = f"/reports/networks/{data['alpha'].id}/2026-Q3.xlsx"

    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        db.session.commit()  # each count opens its own transaction, as a request does
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get(url)
        event.remove(db.engine, "before_cursor_execute", listener)
        return len([s for s in statements if not s.startswith("BEGIN")])

    few, topic = count_queries(), make_topic()
    for n in range(8):
        extra = make_item(reporting_network=data["alpha"], responsible_network=data["beta"])
        extra.created_at, extra.topics = at(7, 10 + n), [topic]
    db.session.commit()
    assert count_queries() == few


def test_imported_items_count_unless_left_out(data, client, login):
    imported = db.session.scalar(
        db.select(Item).where(Item.title == "Anliegen vom 01.08.")
    )  # received by Alpha in Q3, handed to Beta
    imported.import_key, imported.import_file = "nr:4", "altliste.xlsx"
    db.session.commit()
    counted = network_report(data["alpha"], Q3, data["viewer"], "(ohne)")
    left_out = network_report(data["alpha"], Q3, data["viewer"], "(ohne)", without_imported=True)
    assert (counted.received, counted.handed_off) == (3, 1)
    assert (left_out.received, left_out.handed_off) == (2, 0)
    login(data["viewer"])
    page = client.get(f"/reports/?network={data['alpha'].id}&quarter=2026-Q3&without_imported=y")
    assert page.status_code == 200 and "without_imported=y" in page.text
    assert 'name="without_imported"' in page.text and "checked" in page.text

    def words(answer):
        document = Document(io.BytesIO(answer.data))
        cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
        return "\n".join([*(p.text for p in document.paragraphs), *cells])

    alpha = data["alpha"].id
    left_out_file = words(client.get(f"/reports/networks/{alpha}/2026-Q3.docx?without_imported=y"))
    assert "Anliegen vom 01.08." not in left_out_file and "Anliegen vom 15.09." in left_out_file
    assert "Aus einer Registerdatei importierte Anliegen sind nicht enthalten." in left_out_file
    assert "Anliegen vom 01.08." in words(client.get(f"/reports/networks/{alpha}/2026-Q3.docx"))
