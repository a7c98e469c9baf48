"""The import in batches: each batch commits on its own; the web import runs in a thread
behind a progress page; the web's row limit."""

import io

import pytest
from conftest import _make_app
from flask_babel import ngettext
from imports_register import register_csv
from sqlalchemy import create_engine, func, select, text

from tracker import events
from tracker.db import db, unit_of_work
from tracker.i18n import _
from tracker.imports import jobs, planning, services
from tracker.imports.mapping import guess_mapping
from tracker.items import services as items
from tracker.items.models import Item


@pytest.fixture
def office(make_network, make_topic, make_user):
    nets = make_network("NetzA"), make_network("NetzB")
    for name in ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende"):
        make_topic(name)
    return dict(home=nets[1], admin=make_user("admin"))


def _table(count: int):
    return planning.read_upload(register_csv(count), "register.csv").table


def _count(connection) -> int:
    return connection.execute(text("SELECT count(*) FROM items")).scalar_one()


def test_every_batch_commits_and_the_progress_is_told(office):
    table, told = _table(7), []
    seen = []  # what another connection sees after each batch

    def progress(done, total, problems):
        told.append((done, total, problems))
        with db.engines[None].connect() as other:
            seen.append(_count(other))

    options = dict(mapping=guess_mapping(table.headers), network=office["home"])
    plan = services.run_import(
        table, actor=office["admin"], chunk_rows=3, progress=progress, **options
    )
    assert len(plan.created) == 7 and plan.problems == [] and not plan.failed
    assert told == [(0, 7, 0), (3, 7, 0), (6, 7, 0), (7, 7, 0)]
    assert seen == [0, 3, 6, 7]


def _numbers(found) -> list[int]:
    return sorted(int(item.reference.split("-")[1]) for item in found)


def test_a_row_refused_while_writing_is_reported_and_the_rest_of_its_batch_kept(office, make_item):
    """A batch is written at once; when one row is refused there (its key was imported by
    someone else meanwhile), the batch is carried out again row by row: that row is
    reported, the others are kept, and the reference numbers have no gaps."""
    table = _table(7)
    mapping = guess_mapping(table.headers)
    keys = [v.key for v in planning.plan_import(table, mapping, network=office["home"]).rows]
    meanwhile = []

    def import_row_4_elsewhere(done, _total, _problems):
        if done == 0:  # after the plan, before the first batch is written
            with unit_of_work():
                item = make_item(title="Schon da")
                item.import_key = keys[2]
            meanwhile.append(item)

    plan = services.run_import(
        table, mapping=mapping, network=office["home"], actor=office["admin"],
        chunk_rows=5, progress=import_row_4_elsewhere,
    )  # fmt: skip
    assert [(p.row, p.message) for p in plan.problems] == [
        (4, _("This row was imported meanwhile."))
    ]
    assert [i.import_row for i in plan.created] == [2, 3, 5, 6, 7, 8]
    assert _numbers(plan.created) == [2, 3, 4, 5, 6, 7]  # after the one made meanwhile
    assert db.session.scalar(select(func.count(Item.id))) == 7
    # the last batch took a block of five numbers for three rows and gave two back
    later = make_item(title="Danach")
    assert _numbers([later]) == [8]


def test_every_created_item_is_announced_once_after_it_is_saved(office):
    told = []

    def listener(item, **_details):
        told.append((item.id, item.reference, item.version))

    events.item_created.connect(listener)
    try:
        table = _table(12)
        plan = services.run_import(
            table, mapping=guess_mapping(table.headers), network=office["home"],
            actor=office["admin"], chunk_rows=5,
        )  # fmt: skip
    finally:
        events.item_created.disconnect(listener)
    assert len(plan.created) == 12
    assert sorted(told) == sorted((i.id, i.reference, 1) for i in plan.created)
    assert all(item_id is not None for item_id, _ref, _version in told)
    # written once, in their final state: the version a re-import compares with
    assert {(i.version, i.import_version) for i in plan.created} == {(1, 1)}


def test_reference_block_hands_out_in_order_and_gives_back_the_rest(office):
    with unit_of_work():
        block = items.ReferenceBlock(10)
        taken = [block.take() for _n in range(3)]
        block.close()
        following = items.next_reference(int(taken[0][:4]))
    assert [r[5:] for r in taken] == ["0001", "0002", "0003"]
    assert following[5:] == "0004"


def test_a_failed_batch_keeps_the_earlier_ones_and_reports_its_rows(app, office, tmp_path):
    """The second batch cannot get the lock (another writer holds it too long): it is rolled
    back and named row by row; the first stays; the file imported again imports the rest."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    postgres = url.startswith("postgresql")
    if postgres:  # the lock_timeout variant below works, but leaves a connection unclosed
        pytest.skip("the failed batch is provoked on SQLite (a writer holding the lock)")
    waiting = (
        {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c lock_timeout=200"}}}
        if postgres
        else {"SQLITE_BUSY_TIMEOUT_MS": 200}
    )
    impatient = _make_app(url, tmp_path / "impatient", **waiting)
    other_engine = create_engine(url)  # another writer, on a connection of its own
    holder = other_engine.raw_connection()
    table = _table(6)

    def take_the_lock_after_the_first_batch(done, _total, _problems):
        if done == 2:
            cursor = holder.cursor()
            if postgres:
                cursor.execute("LOCK TABLE items IN EXCLUSIVE MODE")
            else:
                cursor.execute("BEGIN IMMEDIATE")

    try:
        with impatient.app_context():
            from tracker.auth.models import User
            from tracker.networks.models import Network

            plan = services.run_import(
                table,
                mapping=guess_mapping(table.headers),
                network=db.session.get(Network, office["home"].id),
                actor=db.session.get(User, office["admin"].id),
                chunk_rows=2,
                progress=take_the_lock_after_the_first_batch,
            )
            rows = [(p.row, p.message) for p in plan.problems]
            db.session.remove()
    finally:
        holder.rollback()
        holder.close()
        other_engine.dispose()
        with impatient.app_context():
            for engine in db.engines.values():
                engine.dispose()
    assert plan.failed and [i.import_row for i in plan.created] == [2, 3]
    failed = _("This row was not imported: its batch of rows failed.")
    not_run = _("This row was not imported: an earlier batch failed.")
    assert rows == [(4, failed), (5, failed), (6, not_run), (7, not_run)]
    db.session.rollback()
    assert db.session.scalar(select(func.count(Item.id))) == 2

    again = services.run_import(
        table, mapping=guess_mapping(table.headers), network=office["home"], actor=office["admin"]
    )
    assert [i.import_row for i in again.created] == [4, 5, 6, 7]
    assert [row for row, _item in again.already_imported] == [2, 3]


def _upload(client, data: bytes):
    network = db.session.scalar(select(db.metadata.tables["networks"].c.id).limit(1))
    return client.post(
        "/import/",
        data={"file": (io.BytesIO(data), "register.csv"), "network": network},
        content_type="multipart/form-data",
    )


def _form(page: str, network_id: int) -> dict:
    import html
    import re

    form = {"network": network_id, "filename": "register.csv"}
    payload = re.search(r'name="payload" type="hidden" value="([^"]*)"', page)[1]
    form["payload"] = html.unescape(payload)
    guessed = r'id="columns-(\d+)".*?<option selected value="(\w*)">'
    for index, name in re.findall(guessed, page, re.S):
        form[f"columns-{index}"] = name
    return form


def test_web_import_answers_at_once_and_shows_progress_then_the_result(
    client, login, office, make_user
):
    login(office["admin"])
    form = _form(_upload(client, register_csv(30)).text, office["home"].id)
    started = client.post("/import/run", data=form)
    assert started.status_code == 303
    address = started.headers["Location"]
    token = address.rsplit("/", 1)[1]
    job = jobs.wait(token)
    assert job.finished and job.error == ""
    status = client.get(f"{address}/status")
    assert status.json == {"done": 30, "total": 30, "problems": 0, "finished": True, "error": ""}
    db.session.rollback()
    done = client.get(address)
    assert done.status_code == 200 and "/items/" in done.text
    assert db.session.scalar(select(func.count(Item.id))) == 30

    other = make_user("admin")  # the office: any of its members may follow the import
    client.post("/logout")
    login(other)
    assert client.get(f"{address}/status").status_code == 200
    client.post("/logout")
    login(make_user("manager"))
    assert client.get(f"{address}/status").status_code == 403
    assert client.get(address).status_code == 403


def test_progress_page_while_running_has_an_accessible_bar_and_reloads_itself(
    client, login, office
):
    login(office["admin"])
    job = jobs.Job("t" * 22, office["admin"].id, 3000, "register.csv", planning.read_upload(
        register_csv(3), "register.csv"
    ), done=1500, problems=2)  # fmt: skip
    jobs._jobs[job.token] = job
    try:
        page = client.get(f"/import/run/{job.token}").text
        status = client.get(f"/import/run/{job.token}/status").json
    finally:
        del jobs._jobs[job.token]
    assert 'role="progressbar"' in page and 'aria-valuenow="1500"' in page
    assert 'aria-valuemax="3000"' in page
    assert _("%(done)d of %(total)d rows", done=1500, total=3000) in page
    assert 'http-equiv="refresh"' in page and f'href="/import/run/{job.token}"' in page
    assert status == {"done": 1500, "total": 3000, "problems": 2, "finished": False, "error": ""}


def test_unknown_import_is_not_found(client, login, office):
    login(office["admin"])
    assert client.get("/import/run/nothing").status_code == 404
    assert client.get("/import/run/nothing/status").status_code == 404
    assert client.get("/import/run/" + "x" * 300).status_code == 404


def test_web_limit_is_configurable_and_ten_thousand_by_default(app, client, login, office):
    assert app.config["IMPORT_WEB_MAX_ROWS"] >= 10_000
    login(office["admin"])
    app.config["IMPORT_WEB_MAX_ROWS"] = 20
    response = _upload(client, register_csv(21))
    message = "The file has more than %(limit)d rows. Please split it, or import it on the "
    assert response.status_code == 400
    assert _(message + "command line.", limit=20) in response.text.replace("&#39;", "'")
    assert _upload(client, register_csv(20)).status_code == 200


def test_another_app_process_shows_the_progress_and_the_result(client, login, office):
    """The progress page's requests may reach a process that did not start the import
    (several gunicorn workers): it answers from the run's row, not with 404."""
    login(office["admin"])
    form = _form(_upload(client, register_csv(12)).text, office["home"].id)
    address = client.post("/import/run", data=form).headers["Location"]
    token = address.rsplit("/", 1)[1]
    job = jobs.wait(token)
    assert job.finished and job.error == ""
    created = sorted(item.reference for item in job.plan.created)
    del jobs._jobs[token]  # as in a process that never had it
    status = client.get(f"{address}/status")
    assert status.json == {"done": 12, "total": 12, "problems": 0, "finished": True, "error": ""}
    page = client.get(address)
    assert page.status_code == 200
    imported = ngettext("%(num)d item was imported.", "%(num)d items were imported.", 12)
    assert imported in page.text
    assert all(reference in page.text for reference in created)
    client.post("/logout")
    assert client.get(f"{address}/status").status_code in (302, 401)


def test_a_running_import_of_another_process_shows_its_progress(client, login, office):
    from tracker.imports.models import ImportRun

    with unit_of_work():
        db.session.add(ImportRun(token="r" * 22, user_id=office["admin"].id, filename="a.csv",
                                 total=3000, done=1500, problems=2))  # fmt: skip
    login(office["admin"])
    assert client.get("/import/run/" + "r" * 22 + "/status").json == {
        "done": 1500, "total": 3000, "problems": 2, "finished": False, "error": ""
    }  # fmt: skip
    page = client.get("/import/run/" + "r" * 22)
    assert page.status_code == 200 and 'aria-valuenow="1500"' in page.text
