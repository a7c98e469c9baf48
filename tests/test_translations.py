"""Every user-visible string has a German translation, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the code and templates now, extracted like `make extract-messages`."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "N_", "--ignore-dirs", ".*", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


@pytest.fixture(scope="module")
def german():
    with (ROOT / "tracker/translations/de/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle)


def _key(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_message_has_a_german_translation(extracted, german):
    missing = []
    for message in extracted:
        translated = german.get(message.id)
        strings = translated.string if translated else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not translated or translated.fuzzy or not all(strings):
            missing.append(_key(message))
    assert missing == [], f"{len(missing)} messages lack a German translation: {missing[:20]}"


def test_translations_keep_placeholders(german):
    wrong = []
    for message in german:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        if any(set(PLACEHOLDER.findall(s)) - expected for s in strings):
            wrong.append(_key(message))
    assert wrong == []


def test_german_page_is_german(client):
    page = client.get("/login", headers={"Accept-Language": "de"}).text
    assert "Anmelden" in page and "Passwort" in page
