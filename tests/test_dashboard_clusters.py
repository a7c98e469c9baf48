"""Demand clusters: topics and wording raised by several companies across several networks."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.dashboard.clusters import Thresholds, topic_clusters
from tracker.dashboard.periods import Period
from tracker.dashboard.word_clusters import wording_clusters
from tracker.db import db


def at(today, days_ago: int) -> datetime:
    noon = datetime.combine(today - timedelta(days=days_ago), time(12), ZoneInfo("Europe/Berlin"))
    return noon.astimezone(UTC)


@pytest.fixture
def world(make_network, make_user, make_company, make_topic, make_item, today):
    a, b, c = make_network("Alpha"), make_network("Beta"), make_network("Gamma")
    x, y, z = make_company("Xylon GmbH"), make_company("Ypsilon AG"), make_company("Zeta KG")
    hidden = make_company("Verschwiegen GmbH")
    funding, ai, energy = make_topic("Förderung"), make_topic("KI"), make_topic("Energie")

    def item(title, company, network, topics, days=5, **values):
        made = make_item(
            title=title, company=company, reporting_network=network, topics=topics, **values
        )
        made.created_at = at(today, days)
        db.session.commit()
        return made

    item("Zuschuss für Digitalisierung", x, a, [funding])
    item("Förderprogramm Energieberatung", y, a, [funding])
    secret = item("Geheimes Förderprojekt", hidden, b, [funding], confidential=True)
    item("KI-Pilot in der Fertigung", x, a, [ai])
    item("KI für die Qualitätsprüfung", x, b, [ai])
    item("Wasserstoff-Elektrolyseur gesucht", x, a, [energy])
    item("Förderung einer Wasserstofftankstelle", y, b, [funding])
    item("Wasserstoff im Fuhrpark", z, c, [])
    item("Alter Zuschuss", z, c, [funding], days=120)
    item("Quantenkryptografie für Banken", x, b, [ai], confidential=True)
    item("Quantenkryptografie im Mittelstand", z, c, [energy], confidential=True)
    return dict(
        a=a, b=b, funding=funding, ai=ai, secret=secret,
        manager_a=make_user("manager", a), manager_b=make_user("manager", b),
        admin=make_user("admin"),
    )  # fmt: skip


def clusters_of(world, today, days=90, **limits):
    period = Period.last_days(days, today)
    return {c.label: c for c in topic_clusters(period, Thresholds(**limits), world["admin"])}


def test_three_companies_in_two_networks_make_a_cluster(world, today):
    funding = clusters_of(world, today)["Förderung"]
    assert (funding.items, funding.companies, funding.networks) == (4, 3, 2)
    assert [(n.short_name, k) for n, k in funding.by_network] == [("Alpha", 2), ("Beta", 2)]


def test_one_company_twice_is_no_cluster(world, today):
    assert "KI" not in clusters_of(world, today)
    assert clusters_of(world, today, companies=1)["KI"].networks == 2


def test_thresholds_and_period_are_adjustable(world, today):
    assert "Förderung" not in clusters_of(world, today, networks=3)
    assert clusters_of(world, today, days=365, networks=3)["Förderung"].companies == 4


def test_similar_wording_across_topics_is_a_cluster(world, today):
    period = Period.last_days(90, today)
    words, truncated = wording_clusters(period, Thresholds(), world["admin"])
    found = {c.label: c for c in words}
    hydrogen = found["Wasserstoff"]
    assert (hydrogen.items, hydrogen.companies, hydrogen.networks) == (3, 3, 3)
    assert hydrogen.topics == ["Energie", "Förderung"] and not truncated


def test_wording_of_a_single_topic_is_left_to_the_topic_cluster(world, today):
    words, _ = wording_clusters(Period.last_days(90, today), Thresholds(1, 1), world["admin"])
    labels = {c.label for c in words}
    assert "Wasserstoff" in labels
    assert "KI" not in labels and "Förder…" not in labels


def test_wording_ignores_stop_words_and_request_phrases(world, today):
    words, _ = wording_clusters(Period.last_days(90, today), Thresholds(1, 1), world["admin"])
    labels = {c.label.lower() for c in words}
    assert not labels & {"für", "gesucht", "der", "die"}


def page(client, login, user, **args):
    login(user)
    return client.get("/overview/clusters", query_string=args).get_data(as_text=True)


def test_confidential_items_count_but_show_no_content_elsewhere(client, login, world):
    html = page(client, login, world["manager_a"])
    assert "Geheimes Förderprojekt" not in html and "Verschwiegen" not in html
    assert world["secret"].reference not in html  # counted, not even its reference shown
    assert 'class="cluster-item confidential"' in html


def test_words_of_unreadable_titles_name_no_cluster(world, today):
    period = Period.last_days(90, today)
    labels = {c.label for c in wording_clusters(period, Thresholds(), world["manager_a"])[0]}
    assert "Wasserstoff" in labels and "Quantenkryptografie" not in labels
    labels = {c.label for c in wording_clusters(period, Thresholds(), world["admin"])[0]}
    assert "Quantenkryptografie" in labels


def test_a_probed_word_of_confidential_titles_makes_no_cluster(
    client, login, world, make_company, make_item, today
):
    # Manager A types the word of two confidential titles (of networks B and C) into an
    # own item: the word must not become a cluster naming their networks and references.
    probe = make_item(
        actor=world["manager_a"], title="Quantenkryptografie-Audit", company=make_company()
    )
    probe.created_at = at(today, 2)
    db.session.commit()
    period = Period.last_days(90, today)
    found = {c.key: c for c in wording_clusters(period, Thresholds(), world["manager_a"])[0]}
    assert not [key for key in found if key.startswith("quanten")]
    html = page(client, login, world["manager_a"])
    assert "Quantenkryptografie" not in html.split('id="h-words"')[1]


def test_confidential_items_show_to_their_network(client, login, world):
    html = page(client, login, world["manager_b"])
    assert "Geheimes Förderprojekt" in html and "Verschwiegen GmbH" in html


def test_cluster_figures_link_to_the_register(client, login, world, today):
    html = page(client, login, world["admin"])
    first = today - timedelta(days=89)
    expected = (
        f'href="/items/?status=all&amp;topic={world["funding"].id}'
        f'&amp;created_from={first}&amp;created_to={today}"'
    )
    assert expected in html
    assert f'{expected.rstrip(chr(34))}&amp;reporting={world["a"].id}"' in html


def test_custom_period_and_bad_input(client, login, world, today):
    old = (today - timedelta(days=130)).isoformat()
    html = page(client, login, world["admin"], date_from=old, companies=3, networks=3)
    assert "Förderung" in html.split('id="h-words"')[0]
    html = page(client, login, world["admin"], date_from="2026-05-01", date_to="2026-01-01")
    assert "is-invalid" in html
    login(world["admin"])
    response = client.get("/overview/clusters?days=abc&companies=x&date_to=nie")
    assert response.status_code == 200
