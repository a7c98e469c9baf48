"""Every page and every form error in German: no English text of the catalogue shows.

Each GET route of the authorization matrix is opened, and each of its POST routes sent
(with the matrix's data, mostly incomplete, so forms come back with their errors), as the
coordination office and as a manager, in German. The visible text of every HTML answer is
checked against the English messages that have a German translation: any such message
showing means a text was not translated where it is shown (a template outside the
extraction, a text built without gettext, a translation missing).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .matrix import ROWS

CATALOGUE = Path(__file__).resolve().parents[2] / "tracker/translations/de/LC_MESSAGES/messages.po"
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def english_messages() -> list[str]:
    """English texts of three words or more that German shows differently, without
    placeholders (their filled-in form is checked through the fixed parts)."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            for part in _PLACEHOLDER.split(msgid):
                part = part.strip(" .,:;()–-")
                if len(part.split()) >= 3:
                    found.add(part)
    return sorted(found, key=len, reverse=True)


ENGLISH = english_messages()


def visible_text(body: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", body)).split())


def _answers(client, world, row):
    path = world.format(row.path)
    headers = {"Accept-Language": "de"}
    if row.method == "GET":
        return client.get(path, headers=headers)
    data = {k: world.format(v) if isinstance(v, str) else v for k, v in row.data.items()}
    return client.post(path, data=data, headers=headers)


PAGES = [row for row in ROWS if not row.fetch and "logout" not in row.endpoint]


@pytest.mark.parametrize("principal", ["admin", "manager_a"])
def test_no_english_text_on_german_pages_and_form_errors(world, client_as, principal):
    english = []
    for row in PAGES:
        client = client_as(principal)  # a fresh session: one row's state does not carry over
        answer = _answers(client, world, row)
        if "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        text = visible_text(answer.get_data(as_text=True))
        english += [f"{row.id}: {m!r}" for m in ENGLISH if m in text]
    assert english == []
