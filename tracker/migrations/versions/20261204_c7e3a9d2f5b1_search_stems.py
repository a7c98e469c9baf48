"""the search index holds Snowball stems of folded words, the same on SQLite and PostgreSQL

Revision ID: c7e3a9d2f5b1
Revises: b2e7f1c4d8a6
Create Date: 2026-12-04 10:00:00

The index stores, for each text, the stems that tracker.search.stemmer makes (umlauts and
ß folded to ae, oe, ue and ss, then PyStemmer's German Snowball stemmer), one per word in
the words' order; queries are stemmed the same way.

SQLite: the triggers call ``search_terms(text)``, which every connection of the app has
(tracker.search.index); the tables are filled again.
PostgreSQL cannot run the stemmer: the triggers now empty the vector of a changed row,
and the app fills it before the commit (tracker.search.tsearch.refresh); the companies'
vector is no longer generated. Partial indexes find the emptied rows. The vectors use
the ``simple`` configuration over the stems. This revision computes all of them.

As before, a later revision that rebuilds items, activities or companies with a SQLite
batch operation drops their triggers with the old table: it must create them again.
"""

import sqlalchemy as sa
from alembic import op

from tracker.search.stemmer import terms

revision = "c7e3a9d2f5b1"
down_revision = "b2e7f1c4d8a6"
branch_labels = None
depends_on = None

TEXT_FIELDS = "('title', 'description', 'resolution_note')"


def _activity_text(row: str) -> str:
    return (
        f"trim({row}.body || ' ' || CASE WHEN {row}.field IN {TEXT_FIELDS}"
        f" THEN coalesce({row}.new_value, '') ELSE '' END)"
    )


def _activity_has_text(row: str) -> str:
    return f"({row}.body <> '' OR {row}.field IN {TEXT_FIELDS})"


def _company_name(row: str) -> str:
    return f"coalesce((SELECT name FROM companies WHERE companies.id = {row}.company_id), '')"


def _item_meta(row: str, stemmed: bool) -> str:
    meta = f"replace({row}.reference, '-', ' ') || ' ' || {_company_name(row)}"
    return f"search_terms({meta})" if stemmed else meta


def _sqlite_triggers(stemmed: bool) -> dict[str, str]:
    """The triggers of revision 2e36372559e0; ``stemmed``: storing ``search_terms`` of texts."""

    def s(sql: str) -> str:
        return f"search_terms({sql})" if stemmed else sql

    item_row = f"NEW.id, {s('NEW.title')}, {s('NEW.description')}, {_item_meta('NEW', stemmed)}"
    activity_row = f"NEW.id, NEW.item_id, {s(_activity_text('NEW'))}"
    company_text = "trim(NEW.city || ' ' || NEW.notes)"
    company_row = f"NEW.id, {s('NEW.name')}, {s(company_text)}"
    return {
        "search_items_insert": f"""
            AFTER INSERT ON items BEGIN
                INSERT INTO search_items (rowid, title, body, meta) VALUES ({item_row});
            END""",
        "search_items_update": f"""
            AFTER UPDATE OF title, description, reference, company_id ON items BEGIN
                DELETE FROM search_items WHERE rowid = OLD.id;
                INSERT INTO search_items (rowid, title, body, meta) VALUES ({item_row});
            END""",
        "search_items_delete": """
            AFTER DELETE ON items BEGIN
                DELETE FROM search_items WHERE rowid = OLD.id;
            END""",
        "search_activities_insert": f"""
            AFTER INSERT ON activities WHEN {_activity_has_text("NEW")} BEGIN
                INSERT INTO search_activities (rowid, item_id, body) VALUES ({activity_row});
            END""",
        "search_activities_update": f"""
            AFTER UPDATE OF item_id, field, body, new_value ON activities BEGIN
                DELETE FROM search_activities WHERE rowid = OLD.id;
                INSERT INTO search_activities (rowid, item_id, body)
                SELECT {activity_row} WHERE {_activity_has_text("NEW")};
            END""",
        "search_activities_delete": """
            AFTER DELETE ON activities BEGIN
                DELETE FROM search_activities WHERE rowid = OLD.id;
            END""",
        "search_companies_insert": f"""
            AFTER INSERT ON companies BEGIN
                INSERT INTO search_companies (rowid, title, body) VALUES ({company_row});
            END""",
        "search_companies_update": f"""
            AFTER UPDATE OF name, city, notes ON companies BEGIN
                DELETE FROM search_companies WHERE rowid = OLD.id;
                INSERT INTO search_companies (rowid, title, body) VALUES ({company_row});
            END""",
        "search_companies_rename": f"""
            AFTER UPDATE OF name ON companies WHEN OLD.name IS NOT NEW.name BEGIN
                UPDATE search_items
                SET meta = {s(
                    "replace((SELECT reference FROM items WHERE items.id = search_items.rowid),"
                    " '-', ' ') || ' ' || NEW.name"
                )}
                WHERE rowid IN (SELECT id FROM items WHERE company_id = NEW.id);
            END""",
        "search_companies_delete": """
            AFTER DELETE ON companies BEGIN
                DELETE FROM search_companies WHERE rowid = OLD.id;
            END""",
    }


def _sqlite_fill(stemmed: bool) -> list[str]:
    def s(sql: str) -> str:
        return f"search_terms({sql})" if stemmed else sql

    return [
        "DELETE FROM search_items",
        "DELETE FROM search_activities",
        "DELETE FROM search_companies",
        f"""INSERT INTO search_items (rowid, title, body, meta)
            SELECT items.id, {s("items.title")}, {s("items.description")},
                {_item_meta("items", stemmed)} FROM items""",
        f"""INSERT INTO search_activities (rowid, item_id, body)
            SELECT activities.id, activities.item_id, {s(_activity_text("activities"))}
            FROM activities WHERE {_activity_has_text("activities")}""",
        f"""INSERT INTO search_companies (rowid, title, body)
            SELECT id, {s("name")}, {s("trim(city || ' ' || notes)")} FROM companies""",
        "INSERT INTO search_items (search_items) VALUES ('optimize')",
        "INSERT INTO search_activities (search_activities) VALUES ('optimize')",
        "INSERT INTO search_companies (search_companies) VALUES ('optimize')",
    ]


def _sqlite(stemmed: bool) -> None:
    for name, body in _sqlite_triggers(stemmed).items():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")
    for statement in _sqlite_fill(stemmed):
        op.execute(statement)


POSTGRES_UPGRADE = [
    """CREATE OR REPLACE FUNCTION search_items_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := NULL;
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION search_companies_rename() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE items SET search_vector = NULL WHERE company_id = NEW.id;
        RETURN NULL;
    END $$""",
    "DROP FUNCTION search_item_vector(text, text, text, text)",
    "ALTER TABLE search_activities ALTER COLUMN vector DROP NOT NULL",
    f"""CREATE OR REPLACE FUNCTION search_activities_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM search_activities WHERE activity_id = OLD.id;
        END IF;
        IF {_activity_has_text("NEW")} THEN
            INSERT INTO search_activities (activity_id, item_id, vector)
            VALUES (NEW.id, NEW.item_id, NULL);
        END IF;
        RETURN NULL;
    END $$""",
    "ALTER TABLE companies DROP COLUMN search_vector",
    "ALTER TABLE companies ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION search_companies_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := NULL;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_companies_refresh
        BEFORE INSERT OR UPDATE OF name, city, notes ON companies
        FOR EACH ROW EXECUTE FUNCTION search_companies_refresh()""",
    "CREATE INDEX search_companies_vector ON companies USING gin (search_vector)",
    "UPDATE items SET search_vector = NULL",
    "UPDATE search_activities SET vector = NULL",
    "CREATE INDEX search_items_stale ON items (id) WHERE search_vector IS NULL",
    "CREATE INDEX search_activities_stale ON search_activities (activity_id)"
    " WHERE vector IS NULL",
    "CREATE INDEX search_companies_stale ON companies (id) WHERE search_vector IS NULL",
]

# The stems of every emptied row, as tracker.search.tsearch.refresh fills them.
POSTGRES_STALE = {
    "items": (
        """SELECT items.id, items.title, items.description,
            replace(items.reference, '-', ' ') || ' ' || coalesce(companies.name, '')
        FROM items LEFT JOIN companies ON companies.id = items.company_id
        WHERE items.search_vector IS NULL ORDER BY items.id LIMIT 500""",
        """UPDATE items SET search_vector =
            setweight(to_tsvector('simple'::regconfig, :a), 'A')
            || setweight(to_tsvector('simple'::regconfig, :b), 'B')
            || setweight(to_tsvector('simple'::regconfig, :c), 'C') WHERE id = :id""",
    ),
    "activities": (
        f"""SELECT activities.id, {_activity_text("activities")}
        FROM search_activities JOIN activities ON activities.id = search_activities.activity_id
        WHERE search_activities.vector IS NULL ORDER BY activities.id LIMIT 500""",
        """UPDATE search_activities SET vector = to_tsvector('simple'::regconfig, :a)
        WHERE activity_id = :id""",
    ),
    "companies": (
        """SELECT id, name, city || ' ' || notes FROM companies
        WHERE search_vector IS NULL ORDER BY id LIMIT 500""",
        """UPDATE companies SET search_vector =
            setweight(to_tsvector('simple'::regconfig, :a), 'A')
            || setweight(to_tsvector('simple'::regconfig, :b), 'B') WHERE id = :id""",
    ),
}


def _postgres_fill() -> None:
    bind = op.get_bind()
    for select_sql, update_sql in POSTGRES_STALE.values():
        while rows := bind.execute(sa.text(select_sql)).all():
            bind.execute(
                sa.text(update_sql),
                [
                    {"id": row[0], **{n: terms(v) for n, v in zip("abc", row[1:], strict=False)}}
                    for row in rows
                ],
            )


# Revision 2e36372559e0's objects, for the downgrade.
POSTGRES_DOWNGRADE = [
    "DROP INDEX search_items_stale",
    "DROP INDEX search_activities_stale",
    "DROP INDEX search_companies_stale",
    "DROP TRIGGER search_companies_refresh ON companies",
    "DROP FUNCTION search_companies_refresh()",
    "ALTER TABLE companies DROP COLUMN search_vector",
    """ALTER TABLE companies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, name), 'A')
        || setweight(to_tsvector('german'::regconfig, city || ' ' || notes), 'B')) STORED""",
    "CREATE INDEX search_companies_vector ON companies USING gin (search_vector)",
    """CREATE FUNCTION search_item_vector(title text, description text, reference text,
            company text) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('german'::regconfig, coalesce(description, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig,
                    replace(coalesce(reference, ''), '-', ' ')), 'C')
            || setweight(to_tsvector('german'::regconfig, coalesce(company, '')), 'C')
    $$""",
    """CREATE OR REPLACE FUNCTION search_items_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := search_item_vector(NEW.title, NEW.description, NEW.reference,
            (SELECT name FROM companies WHERE id = NEW.company_id));
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION search_companies_rename() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE items SET search_vector = search_item_vector(title, description, reference,
            NEW.name) WHERE company_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION search_activities_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM search_activities WHERE activity_id = OLD.id;
        END IF;
        IF {_activity_has_text("NEW")} THEN
            INSERT INTO search_activities (activity_id, item_id, vector)
            VALUES (NEW.id, NEW.item_id, to_tsvector('german'::regconfig,
                {_activity_text("NEW")}));
        END IF;
        RETURN NULL;
    END $$""",
    """UPDATE items SET search_vector = search_item_vector(items.title, items.description,
        items.reference, companies.name) FROM companies WHERE companies.id = items.company_id""",
    f"""UPDATE search_activities SET vector = to_tsvector('german'::regconfig,
            {_activity_text("activities")})
        FROM activities WHERE activities.id = search_activities.activity_id""",
    "ALTER TABLE search_activities ALTER COLUMN vector SET NOT NULL",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UPGRADE:
            op.execute(statement)
        _postgres_fill()
    else:
        _sqlite(stemmed=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWNGRADE:
            op.execute(statement)
    else:
        _sqlite(stemmed=False)
