"""Matching a file's names to the register: companies (legal form kept) and unknown values."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from tracker.companies.models import Company, company_key, legal_form, legal_key
from tracker.db import db
from tracker.imports.mapping import normalise
from tracker.imports.rows import value_key
from tracker.networks.models import Network
from tracker.topics.models import Topic

KEY_CHUNK = 500
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.5
FILLER_WORDS = {"netzwerk", "network", "und", "e", "v", "ev", "der", "die", "das", "fuer"}


@dataclass
class CompanyMatch:
    """The companies of a file by legal key, and where each would go."""

    key: str
    name: str  # the file's best spelling
    rows: list[int] = field(default_factory=list)
    existing: Company | None = None  # the register's company of the same key
    candidate: Company | None = None  # a register company that differs in legal form or spelling
    candidate_key: str = ""  # else another company of the file it may be the same as
    use_candidate: bool = False  # the choice: assign to the candidate, or a company of its own

    @property
    def fuzzy(self) -> bool:
        return self.candidate is not None or bool(self.candidate_key)


def best_spelling(names: list[str]) -> str:
    """The spelling to register a company under: written in mixed case, else the most used."""
    counts = Counter(names)
    mixed = [n for n in counts if not (n.islower() or n.isupper())]
    return max(mixed or counts, key=lambda n: (counts[n], -names.index(n)))


def match_companies(names_by_row: list[tuple[int, str]], choices: dict[str, str]) -> dict:
    """Group a file's company names by legal key and find what each is assigned to.

    ``choices`` maps a legal key to "existing" or "new"; without one, a name is assigned to a
    company that differs only in spelling or in a missing legal form, never to one of
    another legal form ("Optik UG" is not "Optik AG").
    """
    spellings: dict[str, list[str]] = {}
    rows: dict[str, list[int]] = {}
    for row, name in names_by_row:
        spellings.setdefault(legal_key(name), []).append(name)
        rows.setdefault(legal_key(name), []).append(row)
    matches = {k: CompanyMatch(k, best_spelling(v), rows[k]) for k, v in spellings.items()}
    by_stem: dict[str, list[CompanyMatch]] = {}
    for match in matches.values():
        by_stem.setdefault(company_key(match.name), []).append(match)
    registered = _companies_by_stem(set(by_stem))
    for stem, alike in by_stem.items():
        for match in alike:
            _place(match, registered.get(stem, []), alike)
        choice = choices.get(match.key)
        if match.fuzzy and choice in ("existing", "new"):
            match.use_candidate = choice == "existing"
    return matches


def _place(match: CompanyMatch, registered: list[Company], alike: list[CompanyMatch]) -> None:
    """Assign ``match`` to a registered company, or to one of the file's names ``alike`` it
    (the same name but for case, accents and legal form)."""
    same = [c for c in registered if legal_key(c.name) == match.key]
    if same:
        match.existing = same[0]
        return
    form = legal_form(match.name)
    if registered:
        match.candidate = registered[0]
        match.use_candidate = not form or not legal_form(registered[0].name)
        return
    others = [m for m in alike if m is not match]
    with_form = [m for m in others if legal_form(m.name)]
    if not form and len(with_form) == 1:  # "MÜLLER SENSORIK" beside "Müller Sensorik GmbH"
        match.candidate_key, match.use_candidate = with_form[0].key, True


def _companies_by_stem(stems: set[str]) -> dict[str, list[Company]]:
    found: dict[str, list[Company]] = {}
    keys = sorted(stems)
    for start in range(0, len(keys), KEY_CHUNK):
        stmt = select(Company).where(Company.name_key.in_(keys[start : start + KEY_CHUNK]))
        for company in db.session.scalars(stmt.order_by(Company.id)):
            found.setdefault(company.name_key, []).append(company)
    return found


def network_names(network: Network) -> list[str]:
    """Every name a network goes by: short name, name, aliases."""
    return [network.short_name, network.name, *network.alias_list]


def _words(text: str) -> set[str]:
    return set(normalise(text.replace("&", " und ")).split()) - FILLER_WORDS


def _score(text: str, name: str) -> float:
    ratio = difflib.SequenceMatcher(None, value_key(text), value_key(name)).ratio()
    mine, theirs = _words(text), _words(name)
    overlap = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0
    return max(ratio, overlap)


def suggest(text: str, candidates: list[Network] | list[Topic]) -> list:
    """The few networks or topics ``text`` most likely means, best first."""
    scored = []
    for candidate in candidates:
        names = network_names(candidate) if isinstance(candidate, Network) else [candidate.name]
        score = max(_score(text, name) for name in names)
        if score >= SUGGESTION_CUTOFF:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    return [candidate for _score, candidate in scored[:SUGGESTIONS]]
