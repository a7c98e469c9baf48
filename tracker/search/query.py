"""Turn what a user typed into the query languages of FTS5 and PostgreSQL.

The syntax: words are all required (AND); ``OR`` (or ``ODER``) in capitals between two
words or phrases finds either; ``-word`` or ``-"a phrase"`` leaves out what contains it;
``"quoted words"`` must stand next to each other in this order. A word is folded and
stemmed as the index is (tracker.search.stemmer); a single word whose stem has
``MIN_STEM`` letters or more is searched as a prefix of its stem, so that compounds are
found ("Förderung" finds "Fördermittel"); a quoted word is searched as its stem only.
A word of several parts ("2026-0042", "E-Mail") is a phrase.

Only stems (letters and digits) reach the database's query parser, so nothing typed can
change the query's syntax. What cannot be searched raises ``QueryError`` with a message
for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tracker import limits
from tracker.i18n import _l
from tracker.search.stemmer import FOLD as _FOLD
from tracker.search.stemmer import MIN_STEM, stems
from tracker.words import STOPWORDS

MAX_TERMS = 10  # words and phrases, excluded ones included
OPERATORS = frozenset(["OR", "ODER"])

# A quoted phrase (the closing quote may be missing), or a run of anything else.
_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
# "ae", "oe", "ue" (not after q) as the stemmer reads them: umlauts, which its stems lack.
_UMLAUT_SPELLING = re.compile(r"(?<![aeiouyq])([aou])e")
_QUOTES = str.maketrans(dict.fromkeys("„“”«»", '"'))  # typographic quotes count as "



class QueryError(ValueError):
    """What the user typed cannot be searched; ``message`` says why."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Term:
    """A word or phrase: the stems of its words, in order; ``exact``: typed in quotes.

    ``word`` is the single unquoted word as typed, folded: when its stem is too short to
    be a prefix ("Laser" → ``las``), the word itself is one ("Lasertechnik").
    """

    stems: tuple[str, ...]
    exact: bool = False
    word: str = ""

    @property
    def stem(self) -> str:
        return self.stems[0]

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Stems that begin with one of these match too (single unquoted words only)."""
        if len(self.stems) != 1 or self.exact:
            return ()
        if len(self.stem) >= MIN_STEM:
            return (self.stem,)
        if len(self.word) < MIN_STEM:
            return ()
        return tuple(dict.fromkeys([self.word, _UMLAUT_SPELLING.sub(r"\1", self.word)]))

    @property
    def alone(self) -> bool:
        """The stem itself must be matched besides the prefixes (it begins with none)."""
        return not any(self.stem.startswith(prefix) for prefix in self.prefixes)

    def matches(self, stem: str) -> bool:
        """Whether one stem of the index is a hit of this single word."""
        return stem == self.stem or any(stem.startswith(prefix) for prefix in self.prefixes)


@dataclass(frozen=True)
class Query:
    """All of ``groups`` must match (each by one of its terms), none of ``excluded``."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> list[Term]:
        """The terms to find (and mark in snippets)."""
        return [term for group in self.groups for term in group]


@dataclass
class _Piece:
    term: Term | None  # None: the OR operator
    negated: bool = False
    stopword: bool = False


def _pieces(text: str) -> list[_Piece]:
    pieces = []
    for match in _PIECE.finditer(text):
        negated, quoted, word = match.groups()
        if word in OPERATORS:
            pieces.append(_Piece(None))
            continue
        if word is not None:
            negated, quoted = ("-", word[1:]) if word.startswith("-") else ("", word)
        found = tuple(stems(quoted))
        if not found:
            continue  # punctuation only
        exact = word is None  # in quotes
        plain = _WORD.findall(unicodedata.normalize("NFC", quoted).lower())
        stopword = not exact and len(plain) == 1 and plain[0] in STOPWORDS
        word = plain[0].translate(_FOLD) if len(plain) == 1 and not exact else ""
        pieces.append(_Piece(Term(found, exact, word), bool(negated), stopword))
    return pieces


def _groups(pieces: list[_Piece]) -> list[list[Term]]:
    """Join the terms around each OR; refuse an OR without a term on either side."""
    groups: list[list[Term]] = []
    joining = False
    for index, piece in enumerate(pieces):
        if piece.term is None:
            after = pieces[index + 1] if index + 1 < len(pieces) else None
            if not groups or joining or after is None or after.term is None:
                raise QueryError(_l("OR must stand between two words or phrases."))
            joining = True
        elif joining:
            groups[-1].append(piece.term)
            joining = False
        else:
            groups.append([piece.term])
    return groups


def parse(text: str) -> Query:
    """Read the query typed; raise ``QueryError`` if it is too long or has nothing to find."""
    if len(text) > limits.SEARCH:
        raise QueryError(
            _l("The search is too long: at most %(limit)d characters.", limit=limits.SEARCH)
        )
    pieces = _pieces(text.translate(_QUOTES))
    if any(p.term is None and _next_to_excluded(pieces, i) for i, p in enumerate(pieces)):
        raise QueryError(_l("An excluded word (-word) cannot be joined with OR."))
    excluded = [p.term for p in pieces if p.negated]
    # A stop word alone is left out; joined by OR it counts.
    kept = [p for i, p in enumerate(pieces) if not p.negated and not _lone_stopword(pieces, i)]
    groups = _groups(kept)
    if len(excluded) + sum(len(group) for group in groups) > MAX_TERMS:
        raise QueryError(
            _l("At most %(count)d words or phrases can be searched at once.", count=MAX_TERMS)
        )
    if not groups:
        if excluded:
            raise QueryError(_l("Add a word to search for: excluded words (-word) only narrow it."))
        raise QueryError(_l("Enter a word to search for; common words such as “und” are left out."))
    unique = [tuple(dict.fromkeys(group)) for group in groups]
    return Query(tuple(dict.fromkeys(unique)), tuple(dict.fromkeys(excluded)))


def _next_to_excluded(pieces: list[_Piece], index: int) -> bool:
    neighbours = pieces[max(index - 1, 0) : index] + pieces[index + 1 : index + 2]
    return any(p.negated for p in neighbours)


def _lone_stopword(pieces: list[_Piece], index: int) -> bool:
    if not pieces[index].stopword:
        return False
    before = pieces[index - 1] if index else None
    after = pieces[index + 1] if index + 1 < len(pieces) else None
    return not any(p is not None and p.term is None for p in (before, after))


def _fts5_terms(term: Term) -> list[str]:
    if len(term.stems) > 1 or not term.prefixes:
        return ['"' + " ".join(term.stems) + '"']
    return [f'"{prefix}"*' for prefix in term.prefixes] + ([f'"{term.stem}"'] * term.alone)


def _fts5_any(terms) -> str:
    return "(" + " OR ".join(part for term in terms for part in _fts5_terms(term)) + ")"


def fts5_expression(query: Query) -> str:
    """The FTS5 MATCH expression: ``("forder"*) AND ("ki" OR "2026 0042") NOT ("handwerk"*)``."""
    expression = " AND ".join(_fts5_any(group) for group in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT {_fts5_any(query.excluded)}"
    return expression


def _tsquery_terms(term: Term) -> list[str]:
    if len(term.stems) > 1 or not term.prefixes:
        return ["(" + " <-> ".join(f"'{stem}'" for stem in term.stems) + ")"]
    return [f"'{prefix}':*" for prefix in term.prefixes] + ([f"'{term.stem}'"] * term.alone)


def _tsquery_any(terms) -> str:
    return "(" + " | ".join(part for term in terms for part in _tsquery_terms(term)) + ")"


def tsquery_expression(query: Query) -> str:
    """The text for ``to_tsquery('simple', ...)``, with the same meaning as the FTS5 one."""
    expression = " & ".join(_tsquery_any(group) for group in query.groups)
    if query.excluded:
        expression += " & !" + _tsquery_any(query.excluded)
    return expression
