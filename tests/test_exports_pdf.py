"""PDF exports: text, page layout, a renderer that loads nothing but bundled files, limits."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import current_app, render_template
from flask_babel import force_locale

from tracker.db import db
from tracker.exports import pdf, pdf_layout, pdf_slots
from tracker.meetings.documents import build_document
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, Task

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
UMLAUTS = "Förderung für Wärmepumpen – Rückfragen"
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsverfahren" * 2


def pdf_text(body: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode()


def page_count(body: bytes) -> int:
    return pdf_text(body).count("\f")


def render(meeting, viewer, kind="minutes", locale="de", renderer=pdf.render) -> bytes:
    """The export as the app makes it: laid out in a child process unless told otherwise."""
    with current_app.test_request_context(), force_locale(locale):
        doc = build_document(meeting, viewer=viewer, kind=kind)
        return renderer(render_template("exports/meeting.html", doc=doc))


@pytest.fixture
def meeting(make_meeting, make_item, make_network, make_user):
    """An umlaut title, a very long word, a decision with a task, and free topics to 120."""
    network = make_network("Nord")
    meeting = make_meeting(starts_at=START)
    owner = make_user("manager", network=network, name="Jens Körner")
    first = AgendaEntry(
        meeting=meeting,
        position=1,
        kind=EntryKind.ITEM,
        reason=EntryReason.NEW,
        item=make_item(title=UMLAUTS, responsible_network=network),
        network_id=network.id,
        discussed=True,
        decision="Antrag stellen",
    )
    long = AgendaEntry(
        meeting=meeting, position=2, kind=EntryKind.FREE, reason=EntryReason.MANUAL, title=LONG_WORD
    )
    db.session.add_all([first, long])
    db.session.add(
        Task(
            meeting=meeting,
            entry=first,
            title="Förderbank anrufen",
            owner=owner,
            due_date=date(2026, 12, 3),
        )
    )
    db.session.add_all(
        AgendaEntry(
            meeting=meeting,
            position=n,
            kind=EntryKind.FREE,
            reason=EntryReason.MANUAL,
            title=f"Thema Nummer {n}",
            note="Kurz besprochen.",
        )
        for n in range(3, 121)
    )
    db.session.commit()
    return meeting


def test_german_minutes_pdf_has_tops_umlauts_and_decisions(meeting, make_user):
    body = render(meeting, make_user("admin"))
    text = pdf_text(body)
    assert body.startswith(b"%PDF")
    assert "TOP 1" in text and "TOP 120" in text and UMLAUTS in text
    assert "Beschluss" in text and "Förderbank anrufen" in text and "03.12.2026" in text
    assert "ENTWURF" in text and "Seite 1 von " in text  # the flag is set in capitals


def test_english_minutes_pdf_has_english_headings(meeting, make_user):
    text = pdf_text(render(meeting, make_user("admin"), locale="en"))
    assert "Item 1" in text and "Decision" in text and "Responsible" in text
    assert "Beschluss" not in text and "Page 1 of" in text


def test_long_word_wraps_inside_the_page(meeting, make_user):
    # In this process, so that the patched fetcher sees every URL.
    text = pdf_text(render(meeting, make_user("admin"), kind="agenda", renderer=pdf_layout.render))
    assert LONG_WORD in "".join(text.split())
    assert max(len(line) for line in text.splitlines()) < 130


def test_agenda_of_120_entries_fills_a_few_pages(meeting, make_user):
    body = render(meeting, make_user("admin"), kind="agenda")
    assert 3 <= page_count(body) <= 8
    assert f"Seite {page_count(body)} von {page_count(body)}" in pdf_text(body)


def test_fetcher_serves_static_files_and_data_urls(app):
    fetcher = pdf_layout.StaticOnlyFetcher(app.static_folder)
    css = Path(app.static_folder, "css", "print.css")
    response = fetcher.fetch(css.as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/tracker.png",
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses_network_and_foreign_files(app, url):
    with pytest.raises(ValueError, match="refused"):
        pdf_layout.StaticOnlyFetcher(app.static_folder).fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_static(app):
    escape = Path(app.static_folder).as_uri() + "/../tracker/config.py"
    with pytest.raises(ValueError, match="refused"):
        pdf_layout.StaticOnlyFetcher(app.static_folder).fetch(escape)


def test_user_text_cannot_make_the_renderer_fetch(make_meeting, make_user, monkeypatch):
    fetched = []
    original = pdf_layout.StaticOnlyFetcher.fetch
    monkeypatch.setattr(
        pdf_layout.StaticOnlyFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original(self, url, headers),
    )
    meeting = make_meeting(starts_at=START)
    title = '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
    db.session.add(
        AgendaEntry(
            meeting=meeting, position=1, kind=EntryKind.FREE, reason=EntryReason.MANUAL, title=title
        )
    )
    db.session.commit()
    # In this process, so that the patched fetcher sees every URL.
    text = pdf_text(render(meeting, make_user("admin"), kind="agenda", renderer=pdf_layout.render))
    assert 'src="http://127.0.0.1:9/x.png"' in "".join(text.split("\n"))
    assert [url.rsplit("/", 2)[-2:] for url in fetched] == [["css", "print.css"]]


def test_injected_markup_still_fetches_nothing_outside_static(app, caplog):
    html = '<p>x</p><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
    body = pdf_layout.render(html, static_folder=app.static_folder)
    assert body.startswith(b"%PDF")
    assert "refused to load 'http://127.0.0.1:9/x.png'" in caplog.text
    assert "refused to load 'file:///etc/passwd'" in caplog.text


LAYOUT_IN_A_CHILD = """
import sys
from tracker import create_app
from tracker.exports import pdf
from tracker.meetings import export_views
app = create_app()
body = pdf.render("<p>Kind</p>", static_folder=app.static_folder)
sys.stdout.buffer.write(body)
sys.stderr.write("weasyprint imported: %s" % ("weasyprint" in sys.modules))
"""


def test_the_app_process_never_imports_weasyprint(tmp_path):
    """The app's workers stay small: WeasyPrint lives only in the renderer's processes."""
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(tmp_path)}
    env.pop("TRACKER_DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", LAYOUT_IN_A_CHILD], capture_output=True, env=env, check=True
    )
    assert pdf_text(run.stdout).strip() == "Kind"
    assert run.stderr.decode().endswith("weasyprint imported: False")


BIG_HTML = "".join(f"<h2>TOP {n}</h2><p>{UMLAUTS} " * 40 + "</p>" for n in range(2000))


def child_pids() -> set[int]:
    """This process's child processes, zombies included (they are not reaped yet)."""
    tasks = Path("/proc/self/task").iterdir()
    return {int(pid) for task in tasks for pid in (task / "children").read_text().split()}


def test_renderer_warnings_reach_the_app_log(caplog):
    body = pdf.render('<p>x</p><img src="http://127.0.0.1:9/x.png">')
    assert body.startswith(b"%PDF")
    assert "refused to load 'http://127.0.0.1:9/x.png'" in caplog.text


def test_renderer_past_its_deadline_is_killed_and_reaped():
    before, started = child_pids(), time.monotonic()
    with pytest.raises(pdf.PdfTimeout, match=r"limit 0\.5 s"):
        pdf.render(BIG_HTML, timeout=0.5)
    assert time.monotonic() - started < 5
    assert child_pids() - before == set()


def test_renderer_beyond_its_memory_fails_without_leftovers():
    before = child_pids()
    with pytest.raises(pdf.PdfError, match="renderer exited with") as raised:
        pdf.render("<p>x</p>", memory_mb=40)  # fails in Python or in GLib, as it happens
    assert not isinstance(raised.value, pdf.PdfTimeout)
    assert child_pids() - before == set()


def test_renderer_ends_on_sigterm_although_the_worker_only_notes_it():
    """gunicorn's sync worker answers SIGTERM by setting a flag; its children must not."""
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        child = pdf._start(pdf.STATIC_FOLDER, 30, pdf.MEMORY_MB)
        cmdline = Path(f"/proc/{child.pid}/cmdline")
        while b"pdf_layout" not in cmdline.read_bytes():  # started the script, not just forked
            time.sleep(0.01)
        child.terminate()
        assert child.wait(timeout=10) == -signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)
        pdf._end(child)


@pytest.mark.slow
def test_renderer_whose_parent_is_gone_ends_by_its_own_alarm():
    script = [sys.executable, "-I", str(pdf.LAYOUT_SCRIPT), str(pdf.STATIC_FOLDER), "0.1", "0"]
    child = subprocess.Popen(script, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:  # stdin stays open: the child waits for HTML as behind a parent that hangs
        assert child.wait(timeout=60) == -signal.SIGALRM
    finally:
        child.kill()
        child.wait()
        child.stdin.close()


def test_slots_are_shared_and_given_back(tmp_path):
    with (
        pdf_slots.render_slot(tmp_path, user="1", slots=2, wait=0),
        pdf_slots.render_slot(tmp_path, user="2", slots=2, wait=0),
        pytest.raises(pdf_slots.PdfBusy),
        pdf_slots.render_slot(tmp_path, user="3", slots=2, wait=0.2),
    ):
        pass
    with pdf_slots.render_slot(tmp_path, user="3", slots=2, wait=0):
        pass


def test_a_user_renders_one_pdf_at_a_time(tmp_path):
    with (
        pdf_slots.render_slot(tmp_path, user="1", slots=4, wait=0),
        pytest.raises(pdf_slots.PdfBusy),
        pdf_slots.render_slot(tmp_path, user="1", slots=4, wait=0.1),
    ):
        pass


def agenda_pdf(client, login, meeting, user):
    login(user)
    return client.get(f"/meetings/{meeting.id}/agenda.pdf")


def test_agenda_pdf_past_its_deadline_answers_a_clear_503(app, client, login, meeting, make_user):
    app.config["PDF_TIMEOUT"] = 0.5
    before = child_pids()
    response = agenda_pdf(client, login, meeting, make_user("admin"))
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "Das PDF konnte nicht rechtzeitig erstellt werden" in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert child_pids() - before == set()


def test_agenda_pdf_without_a_free_slot_answers_503_at_once(app, client, login, meeting, make_user):
    app.config.update(PDF_CONCURRENCY=1, PDF_QUEUE_SECONDS=0.2)
    with pdf_slots.render_slot(Path(app.instance_path, "pdf-locks"), user="x", slots=1, wait=0):
        started = time.monotonic()
        response = agenda_pdf(client, login, meeting, make_user("admin"))
    assert response.status_code == 503 and time.monotonic() - started < 3
    assert "Gerade werden andere PDFs erstellt" in response.text
    assert response.headers["Retry-After"] == "5"
