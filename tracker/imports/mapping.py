"""Which file column feeds which item field: guesses from (misspelt) headers, and checks."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from tracker.i18n import _, _l
from tracker.imports.reader import Cell, Row, Sheet

FIELDS = {
    "running_number": _l("Running number"),
    "title": _l("Title"),
    "company": _l("Company"),
    "contact": _l("Contact"),
    "contact_email": _l("Contact's e-mail"),
    "contact_phone": _l("Contact's phone"),
    "kind": _l("Kind"),
    "description": _l("Description"),
    "topics": _l("Topics"),
    "priority": _l("Priority"),
    "status": _l("Status"),
    "reporting_network": _l("Reporting network"),
    "responsible_network": _l("Responsible network"),
    "source": _l("Source"),
    "follow_up_date": _l("Follow-up date"),
    "recorded_on": _l("Originally recorded on"),
    "accepted_on": _l("Accepted on"),
    "closed_on": _l("Closed on"),
    "resolution_note": _l("Resolution note"),
    "confidential": _l("Confidential"),
}
REQUIRED = ("title", "company")

# Header spellings, already normalised (see ``normalise``): German first, then English.
SYNONYMS = {
    "running_number": "nr nummer lfdnr laufendenr laufendenummer lfd id no number runningnumber",
    "title": "titel anliegen betreff bedarf anfrage gegenstand bezeichnung kurztitel "
    "title subject concern",
    "company": "unternehmen firma firmenname unternehmensname betrieb organisation "
    "company organization",
    "contact": "ansprechpartner ansprechpartnerin ansprechperson kontakt kontaktperson "
    "contact contactperson",
    "contact_email": "email mail emailadresse mailadresse emailansprechpartner emailaddress",
    "contact_phone": "telefon telefonnummer telefonnr tel telnr rufnummer mobil handy phone "
    "phonenumber",
    "kind": "art typ anliegenart artdesanliegens kind type",
    "description": "beschreibung details erlaeuterung bemerkung bemerkungen notiz notizen "
    "kommentar inhalt description notes",
    "topics": "thema themen themenfeld themenfelder schlagwort schlagworte topic topics tags",
    "priority": "prioritaet prio dringlichkeit wichtigkeit priority",
    "status": "status stand bearbeitungsstand bearbeitungsstatus state",
    "reporting_network": "netzwerk meldendesnetzwerk gemeldetvon eingebrachtvon "
    "network reportingnetwork reportedby",
    "responsible_network": "zustaendig zustaendigesnetzwerk zustaendigkeit verantwortlich "
    "responsible responsiblenetwork",
    "source": "quelle kanal eingangskanal source channel",
    "follow_up_date": "wiedervorlage wv wiedervorlageam frist faellig faelligam "
    "followup followupdate due duedate",
    "recorded_on": "datum erfasst erfasstam eingang eingangsdatum erstelltam angelegtam "
    "gemeldetam date created createdat createdon recordedon",
    "accepted_on": "angenommenam uebernommenam annahme annahmedatum uebernahmedatum "
    "acceptedon acceptedat",
    "closed_on": "erledigtam abgeschlossenam geschlossenam abschluss abschlussdatum "
    "erledigungsdatum closedon closedat completedon doneon",
    "resolution_note": "ergebnis abschlussvermerk erledigungsvermerk loesung "
    "resolution resolutionnote outcome",
    "confidential": "vertraulich confidential",
}
_INDEX = {word: name for name, words in SYNONYMS.items() for word in words.split()}
# In a header of several known words these decide first: "Ansprechpartner E-Mail" is the
# contact's e-mail, "Datum Abschluss" the closing date, "Nr. Telefon" a phone number.
SPECIFIC = ("contact_email", "contact_phone", "closed_on", "accepted_on")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
FUZZY_CUTOFF = 0.8
FUZZY_MIN_LENGTH = 6
HEADER_SEARCH_ROWS = 10


def normalise(text: str) -> str:
    """Fold a header or value for comparison: case, umlauts, accents, spaces, punctuation."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def _compact(header: str) -> str:
    words = normalise(header).split()
    if len(words) > 1 and words[-1] in ("in", "innen"):  # Ansprechpartner·in, Partner/innen
        words = words[:-1]
    return "".join(words)


def _words(header: str) -> list[str]:
    words = normalise(header).split()
    pairs = ["".join(words[i : i + 2]) for i in range(len(words) - 1)]  # "E Mail", "erledigt am"
    return words + pairs


def guess_field(header: str) -> tuple[str | None, float]:
    """Return the field a header most likely means and how sure the guess is (0 to 1)."""
    key = _compact(header)
    if key in _INDEX:
        return _INDEX[key], 1.0
    words = sorted((w for w in _words(header) if w in _INDEX), key=len, reverse=True)
    words.sort(key=lambda w: _INDEX[w] not in SPECIFIC)
    if words:  # "Titel des Anliegens", "Wiedervorlage Datum": the longest known word decides
        return _INDEX[words[0]], 0.9
    if len(key) < FUZZY_MIN_LENGTH:  # "Stadt" is not a misspelt "Stand"
        return None, 0.0
    best = difflib.get_close_matches(key, _INDEX, n=1, cutoff=FUZZY_CUTOFF)
    if not best:
        return None, 0.0
    return _INDEX[best[0]], difflib.SequenceMatcher(None, key, best[0]).ratio()


def guess_mapping(headers: list[str]) -> dict[int, str]:
    """Map column indexes to fields; each field goes to its most certain column."""
    guesses = [
        (score, -index, index, name)
        for index, h in enumerate(headers)
        for name, score in [guess_field(h)]
        if name
    ]
    mapping: dict[int, str] = {}
    for _score, _neg, index, name in sorted(guesses, reverse=True):
        if name not in mapping.values():
            mapping[index] = name
    return dict(sorted(mapping.items()))


@dataclass
class Table:
    """A sheet split into its header and the data rows below it."""

    headers: list[str]
    rows: list[Row]
    header_row: int

    def label(self, index: int) -> str:
        """Name a column for people: its header, else its letter as a spreadsheet shows it."""
        header = self.headers[index] if index < len(self.headers) else ""
        return header or _("Column %(letter)s", letter=column_letter(index))


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(cell: Cell) -> str:
    """Show a cell as text: dates as dd.mm.yyyy, whole numbers without decimals."""
    if hasattr(cell, "strftime"):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def split_table(sheet: Sheet) -> Table:
    """Find the header row (the one most headers are recognised in) and the rows below it."""
    filled = [(pos, row) for pos, row in enumerate(sheet.rows) if any(map(cell_text, row[1]))]
    candidates = filled[:HEADER_SEARCH_ROWS]
    scores = [len(guess_mapping([cell_text(c) for c in row[1]])) for _pos, row in candidates]
    best = scores.index(max(scores)) if scores and max(scores) >= 2 else 0
    pos, (number, cells) = candidates[best]
    headers = [cell_text(c) for c in cells]
    width = max([len(headers)] + [len(r[1]) for r in sheet.rows[pos + 1 :]])
    headers += [""] * (width - len(headers))
    return Table(headers=headers, rows=sheet.rows[pos + 1 :], header_row=number)


def mapping_from_names(headers: list[str], names: dict[str, str | None]) -> dict[int, str]:
    """Apply ``{"Header": "field"}`` (None or "" ignores the column) on top of the guesses."""
    mapping = guess_mapping(headers)
    for header, name in names.items():
        index = _find_header(headers, header)
        if index is None:
            raise ValueError(f"no column {header!r} in the file")
        if not isinstance(name, str | None) or (name and name not in FIELDS):
            raise ValueError(f"unknown field {name!r}; fields: {', '.join(FIELDS)}")
        mapping = {i: f for i, f in mapping.items() if i != index and f != name}
        if name:
            mapping[index] = name
    return dict(sorted(mapping.items()))


def _find_header(headers: list[str], header: str) -> int | None:
    for same in (str.__eq__, lambda a, b: normalise(a) == normalise(b)):
        for index, candidate in enumerate(headers):
            if same(candidate, header):
                return index
    return None


def check_mapping(mapping: dict[int, str], default_kind: bool = False) -> list[str]:
    """Return what is wrong with a mapping: missing required fields, fields used twice."""
    used = Counter(mapping.values())
    errors = [
        _("Please choose a column for “%(field)s”.", field=FIELDS[name])
        for name in REQUIRED
        if not used[name]
    ]
    if not used["kind"] and not default_kind:
        errors.append(_("Please choose a column for the kind, or one kind for all rows."))
    errors += [
        _("Only one column can be imported as “%(field)s”.", field=FIELDS[name])
        for name, count in used.items()
        if count > 1
    ]
    return errors


def preview(table: Table, count: int = 5) -> list[tuple[int, list[str]]]:
    """The first ``count`` filled rows as text, padded to the table's width."""
    width = len(table.headers)
    rows = []
    for number, cells in table.rows:
        texts = [cell_text(c) for c in cells][:width]
        if any(texts):
            rows.append((number, texts + [""] * (width - len(texts))))
        if len(rows) == count:
            break
    return rows
