"""A whole bulk load: indexes built once at its end, stems and search vectors per table.

``bulk_load`` drops the secondary indexes of the large tables and builds them again at its
end (sorting once is much faster than keeping 15 indexes per row), computes the search's
stems once per distinct line of text, and on PostgreSQL fills the search vectors in one
statement per table instead of the commit's row by row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Connection,
    bindparam,
    text,
)

from tracker.caching import mark_changed
from tracker.db import db
from tracker.search import stemmer


class Stems:
    """``tracker.search.stemmer.terms`` for many texts that share most of their lines.

    A line's stems do not depend on the lines around it (words never span a line break),
    so each distinct line is stemmed once and each distinct word too; the result is the
    same as ``terms(text)``. Folding with str.replace is several times faster than the
    stemmer's str.translate, and gives the same text.
    """

    LINES = 200_000  # distinct lines remembered

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}
        self.words: dict[str, str] = {}

    def terms(self, value: str | None) -> str:
        if not value:
            return ""
        if "\n" not in value:
            return self._line(value)
        return " ".join(filter(None, map(self._line, value.split("\n"))))

    def _line(self, line: str) -> str:
        known = self.lines.get(line)
        if known is not None:
            return known
        folded = unicodedata.normalize("NFC", line).lower()
        for letter, spelling in FOLDS:
            if letter in folded:
                folded = folded.replace(letter, spelling)
        words = self.words
        result = " ".join(
            [words.get(word) or self._stem(word) for word in stemmer._TOKEN.findall(folded)]
        )
        if len(self.lines) < self.LINES:
            self.lines[line] = result
        return result

    def _stem(self, word: str) -> str:
        self.words[word] = stem = stemmer.stem_words([word])[0]
        return stem


FOLDS = tuple((chr(letter), spelling) for letter, spelling in stemmer.FOLD.items())

# The secondary indexes dropped during a load and built again after it.
DEFERRED_INDEXES = ("items", "activities", "item_topics", "search_activities")
SQLITE_CACHE_KIB = 256 * 1024  # page cache of the loading connection
PG_SORT_MEMORY = "256MB"  # for building the indexes again (the server's default is 64MB)


@contextmanager
def bulk_load() -> Iterator[None]:
    """Load many rows in the session's transaction: indexes after the load, stems cached.

    The caller commits; the commit raises the data revision (``mark_changed``). On error
    the transaction's rollback restores the dropped indexes with everything else.
    """
    mark_changed(db.session)
    connection = db.session.connection()
    stems = Stems()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        raw = connection.connection.driver_connection
        cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        raw.create_function("search_terms", 1, stems.terms, deterministic=True)
    postgresql = connection.dialect.name == "postgresql"
    try:
        indexes = _drop_indexes(connection, DEFERRED_INDEXES)
        if postgresql:
            connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{PG_SORT_MEMORY}'")
            indexes += _drop_foreign_keys(connection, DEFERRED_INDEXES)
            connection.exec_driver_sql(f"ALTER TABLE activities DISABLE TRIGGER {PG_TRIGGER}")
        yield
        if postgresql:
            connection.exec_driver_sql(f"ALTER TABLE activities ENABLE TRIGGER {PG_TRIGGER}")
            connection.exec_driver_sql(SEARCH_ACTIVITIES)
            fill_vectors(connection, stems)
        for statement in indexes:
            connection.exec_driver_sql(statement)
        mark_changed(db.session)
    finally:
        if sqlite:
            raw.create_function("search_terms", 1, stemmer.terms, deterministic=True)
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache_size)}")


def _drop_indexes(connection: Connection, tables: Iterable[str]) -> list[str]:
    """Drop the secondary indexes of ``tables``; return the statements that create them."""
    names = list(tables)
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN :tables ORDER BY name"
            ).bindparams(bindparam("tables", expanding=True)),
            {"tables": names},
        ).all()
    elif connection.dialect.name == "postgresql":
        # Not those of primary keys and unique constraints, which the constraints own.
        rows = connection.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' "
                "|| quote_ident(i.indexname))::regclass) ORDER BY i.indexname"
            ),
            {"tables": names},
        ).all()
    else:
        return []
    preparer = connection.dialect.identifier_preparer
    for name, _ in rows:
        connection.exec_driver_sql(f"DROP INDEX {preparer.quote(name)}")
    return [statement for _, statement in rows]


def _drop_foreign_keys(connection: Connection, tables: Iterable[str]) -> list[str]:
    """Drop PostgreSQL's foreign keys of ``tables``; return the statements that add them.

    Adding a key checks all rows in one join; during COPY each row is checked alone.
    """
    rows = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = current_schema()::regnamespace "
            "AND conrelid::regclass::text = ANY(:tables) ORDER BY 1, 2"
        ),
        {"tables": list(tables)},
    ).all()
    quote = connection.dialect.identifier_preparer.quote
    for table, name, _ in rows:
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    return [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition in rows
    ]


# The row trigger that gives each activity with text its search row; during a load the rows
# are added in one statement (the trigger's condition, tracker.search.tsearch's table).
PG_TRIGGER = "search_activities_insert"
SEARCH_ACTIVITIES = """INSERT INTO search_activities (activity_id, item_id, vector)
    SELECT a.id, a.item_id, NULL FROM activities a
    WHERE (a.body <> '' OR a.field IN ('title', 'description', 'resolution_note'))
    AND NOT EXISTS (SELECT 1 FROM search_activities s WHERE s.activity_id = a.id)
    ORDER BY a.id"""


# Each vector as tracker.search.tsearch fills it, from texts stemmed in Python.
_VECTOR_TEXTS = {
    "items": """SELECT items.id, items.title, items.description,
            replace(items.reference, '-', ' ') || ' ' || coalesce(companies.name, '')
        FROM items LEFT JOIN companies ON companies.id = items.company_id
        WHERE items.search_vector IS NULL AND items.id > :after ORDER BY items.id LIMIT :batch""",
    "search_activities": """SELECT activities.id, trim(activities.body || ' ' || CASE
            WHEN activities.field IN ('title', 'description', 'resolution_note')
            THEN coalesce(activities.new_value, '') ELSE '' END)
        FROM search_activities JOIN activities ON activities.id = search_activities.activity_id
        WHERE search_activities.vector IS NULL AND activities.id > :after
        ORDER BY activities.id LIMIT :batch""",
    "companies": """SELECT id, name, city || ' ' || notes FROM companies
        WHERE search_vector IS NULL AND id > :after ORDER BY id LIMIT :batch""",
}
_VECTOR_FILL = {
    "items": """UPDATE items SET search_vector =
            setweight(to_tsvector('simple'::regconfig, s.a), 'A')
            || setweight(to_tsvector('simple'::regconfig, s.b), 'B')
            || setweight(to_tsvector('simple'::regconfig, s.c), 'C')
        FROM demo_stems s WHERE items.id = s.id""",
    "search_activities": """UPDATE search_activities
        SET vector = to_tsvector('simple'::regconfig, s.a)
        FROM demo_stems s WHERE search_activities.activity_id = s.id""",
    "companies": """UPDATE companies SET search_vector =
            setweight(to_tsvector('simple'::regconfig, s.a), 'A')
            || setweight(to_tsvector('simple'::regconfig, s.b), 'B')
        FROM demo_stems s WHERE companies.id = s.id""",
}
VECTOR_BATCH = 20_000


def fill_vectors(connection: Connection, stems: Stems) -> None:
    """Fill PostgreSQL's emptied search vectors: stems by COPY, one UPDATE per table.

    The commit's ``tsearch.refresh`` then finds nothing left to do; it would write the
    vectors row by row.
    """
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_stems (id integer PRIMARY KEY, a text, b text, c text)"
            " ON COMMIT DROP"
        )
        for table, select_texts in _VECTOR_TEXTS.items():
            cursor.execute("TRUNCATE demo_stems")
            after = 0
            while True:  # no other statement may run while a COPY is open: batch by batch
                rows = connection.execute(
                    text(select_texts), {"after": after, "batch": VECTOR_BATCH}
                ).all()
                with cursor.copy("COPY demo_stems (id, a, b, c) FROM STDIN") as copy:
                    for row in rows:
                        texts = [stems.terms(value) for value in row[1:]]
                        copy.write_row([row[0], *texts, *[None] * (3 - len(texts))])
                if len(rows) < VECTOR_BATCH:
                    break
                after = rows[-1][0]
            cursor.execute("ANALYZE demo_stems")
            cursor.execute(_VECTOR_FILL[table])
        cursor.execute("DROP TABLE demo_stems")
    finally:
        cursor.close()
