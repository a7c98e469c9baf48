"""The funders' report for the whole initiative: all networks together and side by side."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import event

from tracker.db import db
from tracker.items.models import ItemKind, ItemStatus
from tracker.reports.figures import Quarter, initiative_report, network_report

Q3 = Quarter(2026, 3)
COUNTS = ("received", "closed", "accepted", "handed_off")
pytestmark = pytest.mark.time_machine(datetime.fromisoformat("2026-11-24T09:00:00+01:00"))


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


@pytest.fixture
def data(make_network, make_user, make_item):
    """Alpha and Beta work in Q3 2026 (with hand-offs both ways); Gamma has nothing."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    gamma = make_network("Gamma", name="Netzwerk Gamma")

    def item(reporting, responsible, created, accepted=None, closed=None, **values):
        made = make_item(
            kind=values.pop("kind", ItemKind.REQUEST),
            reporting_network=reporting,
            responsible_network=responsible,
            title=values.pop("title", f"Anliegen vom {created:%d.%m.}"),
            **values,
        )
        made.created_at, made.accepted_at, made.closed_at = created, accepted, closed
        made.status = ItemStatus.DONE if closed else ItemStatus.IN_PROGRESS
        return made

    d = timedelta(days=1)
    item(alpha, alpha, at(7, 1), at(7, 3), at(7, 11), kind=ItemKind.NEED)  # 2 and 10 days
    item(alpha, beta, at(8, 1), at(8, 5), at(8, 21))  # Alpha receives, Beta closes: 4, 20
    item(alpha, None, at(9, 15)).status = ItemStatus.NEW
    item(beta, alpha, at(5, 1), at(5, 1) + 65 * d, at(5, 1) + 95 * d)  # created before Q3
    item(beta, beta, at(8, 2), at(8, 3), title="Geheime Übernahme", confidential=True)
    declined = item(alpha, None, at(8, 9), closed=at(8, 10))  # closed by no network
    declined.status = ItemStatus.DECLINED
    item(alpha, alpha, at(6, 20), at(6, 21))  # before the quarter, nothing in it
    db.session.commit()
    return dict(alpha=alpha, beta=beta, gamma=gamma, admin=make_user("admin"))


def test_networks_add_up_to_the_initiative_total(data):
    report = initiative_report(Q3, data["admin"], "-")
    assert [r.network.short_name for r in report.networks] == ["Alpha", "Beta", "Gamma"]
    total = tuple(getattr(report.total, name) for name in COUNTS)
    assert total == (5, 3, 4, 1)
    for name in COUNTS:
        assert sum(getattr(r, name) for r in report.networks) == getattr(report.total, name)
    assert report.networks[2].items == [] and report.networks[2].handed_off_share is None


def test_side_by_side_rows_are_each_networks_own_report(data):
    report = initiative_report(Q3, data["admin"], "-")
    for row in report.networks:
        alone = network_report(row.network, Q3, data["admin"], "-")
        assert [r.item.id for r in row.items] == [r.item.id for r in alone.items]
        assert row.median_days_to_closing == alone.median_days_to_closing
        assert [(t.label, t.received) for t in row.by_kind] == [
            (t.label, t.received) for t in alone.by_kind
        ]


def test_total_share_and_medians_are_taken_over_all_items(data):
    total = initiative_report(Q3, data["admin"], "-").total
    assert round(total.handed_off_share, 3) == 0.2  # 1 of 5 received
    assert total.median_days_to_acceptance == 3.0  # of 2, 4, 65 days and 1 day
    assert total.median_days_to_closing == 20.0  # of 10, 20 and 95 days


@pytest.mark.parametrize("role", ["observer", "manager", "admin"])
def test_every_role_sees_the_same_side_by_side_figures(client, login, make_user, data, role):
    """DESIGN.md section 7: everyone sees all networks' figures; confidential items count."""
    login(make_user(role, data["alpha"] if role == "manager" else None))
    page = client.get("/reports/?network=all&quarter=2026-Q3").text
    table = page[page.index('id="side-by-side"') :].split("</table>")[0]
    beta = table[table.index(">Beta</a>") :].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in beta.split('text-nowrap">')[1:5]] == [
        "1",
        "1",
        "2",
        "0",
    ]
    assert "Gesamt" in table and "Geheime Übernahme" not in page


def test_office_and_observers_start_with_all_networks(client, login, make_user, data):
    login(make_user("observer"))
    page = client.get("/reports/").text
    assert '<option selected value="all">' in page and 'id="side-by-side"' in page
    assert "/reports/initiative/2026-Q3.xlsx" in page


def test_a_network_report_links_to_the_side_by_side_view(client, login, make_user, data):
    login(make_user("manager", data["alpha"]))
    page = client.get("/reports/").text
    assert 'id="side-by-side"' not in page
    assert 'href="/reports/?network=all&amp;quarter=2026-Q3"' in page


def test_xlsx_has_the_networks_sheet_with_a_total_row(client, login, make_user, data):
    login(make_user("observer"))
    response = client.get("/reports/initiative/2026-Q3.xlsx")
    assert "alle-Netzwerke-2026-Q3.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Kennzahlen", "Netzwerke", "Anliegen"]
    rows = list(book["Netzwerke"].iter_rows(values_only=True))
    assert [row[:6] for row in rows[1:]] == [
        ("Alpha", "Testnetzwerk Alpha", 4, 2, 2, 1),
        ("Beta", "Testnetzwerk Beta", 1, 1, 2, 0),
        ("Gamma", "Netzwerk Gamma", 0, 0, 0, 0),
        ("Gesamt", None, 5, 3, 4, 1),
    ]
    assert book["Netzwerke"]["G5"].number_format == "0.0%" and book["Netzwerke"]["A5"].font.b
    titles = [row[1] for row in book["Anliegen"].iter_rows(values_only=True)]
    assert "Geheime Übernahme" not in titles and len(titles) == 7  # header and 6 items


def test_docx_has_the_networks_side_by_side(client, login, make_user, data):
    login(make_user("admin"))
    document = Document(io.BytesIO(client.get("/reports/initiative/2026-Q3.docx").get_data()))
    assert "Bericht für Fördermittelgeber: alle Netzwerke" in document.paragraphs[0].text
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells][:3] == ["Netzwerk", "Eingegangen", "Abgeschlossen"]
    assert [c.text for c in table.rows[-1].cells][:5] == ["Gesamt", "5", "3", "4", "1"]
    assert len(table.rows) == 5 and table.rows[-1].cells[0].paragraphs[0].runs[0].bold


def test_unknown_quarters_are_refused(client, login, make_user, data):
    login(make_user("admin"))
    assert client.get("/reports/initiative/2026-Q9.xlsx").status_code == 404
    assert client.get("/reports/?network=all&quarter=1999-Q1").status_code == 400


def test_initiative_report_runs_a_fixed_number_of_queries(
    client, login, make_user, make_item, make_topic, data
):
    login(make_user("observer"))

    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        db.session.commit()  # each count opens its own transaction, as a request does
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get("/reports/initiative/2026-Q3.xlsx")
        event.remove(db.engine, "before_cursor_execute", listener)
        return len([s for s in statements if not s.startswith("BEGIN")])

    few, topic = count_queries(), make_topic()
    for n in range(6):
        extra = make_item(reporting_network=data["gamma"], responsible_network=data["beta"])
        extra.created_at, extra.topics = at(7, 10 + n), [topic]
    db.session.commit()
    assert count_queries() == few
