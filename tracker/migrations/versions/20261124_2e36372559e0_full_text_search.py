"""full-text search index over items, activities and companies

Revision ID: 2e36372559e0
Revises: 803b39ceb1fa
Create Date: 2026-11-24 01:10:00.000000

SQLite: three FTS5 tables (rowid = the source row's id) kept in sync by triggers.
PostgreSQL, with the ``german`` configuration and GIN indexes: a ``search_vector`` column
on items (kept by a trigger, as it includes the company's name) and on companies
(generated), and a narrow table ``search_activities`` for the activities with text (kept
by a trigger). Everything this revision creates is named ``search_*``, which the
comparison of models and database leaves out (tracker.search.schema).

A later revision that rebuilds items, activities or companies with a SQLite batch
operation drops their triggers with the old table: it must create them again.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2e36372559e0'
down_revision = '803b39ceb1fa'
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"

# Activities with text of their own: comments and reasons (body) and the new value of a
# text field. Status, assignee and date changes carry no words worth finding.
TEXT_FIELDS = "('title', 'description', 'resolution_note')"


def _activity_text(row: str) -> str:
    return (
        f"trim({row}.body || ' ' || CASE WHEN {row}.field IN {TEXT_FIELDS}"
        f" THEN coalesce({row}.new_value, '') ELSE '' END)"
    )


def _activity_has_text(row: str) -> str:
    return f"({row}.body <> '' OR {row}.field IN {TEXT_FIELDS})"


def _item_meta(row: str) -> str:
    return (
        f"replace({row}.reference, '-', ' ') || ' ' || coalesce("
        f"(SELECT name FROM companies WHERE companies.id = {row}.company_id), '')"
    )


SQLITE_TABLES = [
    f"CREATE VIRTUAL TABLE search_items USING fts5(title, body, meta, {TOKENIZE})",
    "INSERT INTO search_items(search_items, rank) VALUES ('rank', 'bm25(10.0, 1.0, 4.0)')",
    f"CREATE VIRTUAL TABLE search_activities USING fts5(item_id UNINDEXED, body, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE search_companies USING fts5(title, body, {TOKENIZE})",
    "INSERT INTO search_companies(search_companies, rank) VALUES ('rank', 'bm25(10.0, 1.0)')",
    # Confidential items are few: this index answers "which of them may this user not
    # see" without reading the items table (tracker.items.permissions.visible_clause).
    "CREATE INDEX search_items_confidential ON items (reporting_network_id,"
    " responsible_network_id, confidential) WHERE confidential IS 1",
]

SQLITE_TRIGGERS = {
    "search_items_insert": f"""
        AFTER INSERT ON items BEGIN
            INSERT INTO search_items (rowid, title, body, meta)
            VALUES (NEW.id, NEW.title, NEW.description, {_item_meta("NEW")});
        END""",
    "search_items_update": f"""
        AFTER UPDATE OF title, description, reference, company_id ON items BEGIN
            DELETE FROM search_items WHERE rowid = OLD.id;
            INSERT INTO search_items (rowid, title, body, meta)
            VALUES (NEW.id, NEW.title, NEW.description, {_item_meta("NEW")});
        END""",
    "search_items_delete": """
        AFTER DELETE ON items BEGIN
            DELETE FROM search_items WHERE rowid = OLD.id;
        END""",
    "search_activities_insert": f"""
        AFTER INSERT ON activities WHEN {_activity_has_text("NEW")} BEGIN
            INSERT INTO search_activities (rowid, item_id, body)
            VALUES (NEW.id, NEW.item_id, {_activity_text("NEW")});
        END""",
    "search_activities_update": f"""
        AFTER UPDATE OF item_id, field, body, new_value ON activities BEGIN
            DELETE FROM search_activities WHERE rowid = OLD.id;
            INSERT INTO search_activities (rowid, item_id, body)
            SELECT NEW.id, NEW.item_id, {_activity_text("NEW")}
            WHERE {_activity_has_text("NEW")};
        END""",
    "search_activities_delete": """
        AFTER DELETE ON activities BEGIN
            DELETE FROM search_activities WHERE rowid = OLD.id;
        END""",
    "search_companies_insert": """
        AFTER INSERT ON companies BEGIN
            INSERT INTO search_companies (rowid, title, body)
            VALUES (NEW.id, NEW.name, trim(NEW.city || ' ' || NEW.notes));
        END""",
    "search_companies_update": """
        AFTER UPDATE OF name, city, notes ON companies BEGIN
            DELETE FROM search_companies WHERE rowid = OLD.id;
            INSERT INTO search_companies (rowid, title, body)
            VALUES (NEW.id, NEW.name, trim(NEW.city || ' ' || NEW.notes));
        END""",
    # The company's name is part of its items' text (the register's filter finds it).
    "search_companies_rename": """
        AFTER UPDATE OF name ON companies WHEN OLD.name IS NOT NEW.name BEGIN
            UPDATE search_items
            SET meta = replace(
                (SELECT reference FROM items WHERE items.id = search_items.rowid), '-', ' '
            ) || ' ' || NEW.name
            WHERE rowid IN (SELECT id FROM items WHERE company_id = NEW.id);
        END""",
    "search_companies_delete": """
        AFTER DELETE ON companies BEGIN
            DELETE FROM search_companies WHERE rowid = OLD.id;
        END""",
}

SQLITE_BACKFILL = [
    f"""INSERT INTO search_items (rowid, title, body, meta)
        SELECT items.id, items.title, items.description, {_item_meta("items")} FROM items""",
    f"""INSERT INTO search_activities (rowid, item_id, body)
        SELECT activities.id, activities.item_id, {_activity_text("activities")}
        FROM activities WHERE {_activity_has_text("activities")}""",
    """INSERT INTO search_companies (rowid, title, body)
        SELECT id, name, trim(city || ' ' || notes) FROM companies""",
    "INSERT INTO search_items (search_items) VALUES ('optimize')",
    "INSERT INTO search_activities (search_activities) VALUES ('optimize')",
    "INSERT INTO search_companies (search_companies) VALUES ('optimize')",
]


POSTGRES_UPGRADE = [
    # Items: the company's name lives in another table, so a trigger keeps the vector.
    """CREATE FUNCTION search_item_vector(title text, description text, reference text,
            company text) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
            || setweight(to_tsvector('german'::regconfig, coalesce(description, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig,
                    replace(coalesce(reference, ''), '-', ' ')), 'C')
            || setweight(to_tsvector('german'::regconfig, coalesce(company, '')), 'C')
    $$""",
    "ALTER TABLE items ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION search_items_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := search_item_vector(NEW.title, NEW.description, NEW.reference,
            (SELECT name FROM companies WHERE id = NEW.company_id));
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_items_refresh
        BEFORE INSERT OR UPDATE OF title, description, reference, company_id ON items
        FOR EACH ROW EXECUTE FUNCTION search_items_refresh()""",
    """CREATE FUNCTION search_companies_rename() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE items SET search_vector = search_item_vector(title, description, reference,
            NEW.name) WHERE company_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_companies_rename AFTER UPDATE OF name ON companies
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION search_companies_rename()""",
    """UPDATE items SET search_vector = search_item_vector(items.title, items.description,
        items.reference, companies.name) FROM companies WHERE companies.id = items.company_id""",
    "CREATE INDEX search_items_vector ON items USING gin (search_vector)",
    # As on SQLite: the confidential items, with what decides who may see them.
    "CREATE INDEX search_items_confidential ON items (reporting_network_id,"
    " responsible_network_id, confidential, id) WHERE confidential IS TRUE",
    # Activities: only those with text, in a narrow table of their own. A common word's
    # hits are read from it many times faster than from the wide activities table.
    """CREATE TABLE search_activities (
        activity_id integer PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        item_id integer NOT NULL,
        vector tsvector NOT NULL)""",
    f"""CREATE FUNCTION search_activities_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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
    f"""CREATE TRIGGER search_activities_insert AFTER INSERT ON activities
        FOR EACH ROW WHEN {_activity_has_text("NEW")}
        EXECUTE FUNCTION search_activities_refresh()""",
    """CREATE TRIGGER search_activities_update
        AFTER UPDATE OF item_id, field, body, new_value ON activities
        FOR EACH ROW EXECUTE FUNCTION search_activities_refresh()""",
    f"""INSERT INTO search_activities (activity_id, item_id, vector)
        SELECT activities.id, activities.item_id,
            to_tsvector('german'::regconfig, {_activity_text("activities")})
        FROM activities WHERE {_activity_has_text("activities")}""",
    "CREATE INDEX search_activities_vector ON search_activities USING gin (vector)",
    # Companies: a generated column, filled by PostgreSQL itself.
    """ALTER TABLE companies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, name), 'A')
        || setweight(to_tsvector('german'::regconfig, city || ' ' || notes), 'B')) STORED""",
    "CREATE INDEX search_companies_vector ON companies USING gin (search_vector)",
]

POSTGRES_DOWNGRADE = [
    "DROP TRIGGER search_activities_insert ON activities",
    "DROP TRIGGER search_activities_update ON activities",
    "DROP FUNCTION search_activities_refresh()",
    "DROP TABLE search_activities",
    "DROP TRIGGER search_companies_rename ON companies",
    "DROP FUNCTION search_companies_rename()",
    "DROP TRIGGER search_items_refresh ON items",
    "DROP FUNCTION search_items_refresh()",
    "ALTER TABLE items DROP COLUMN search_vector",
    "ALTER TABLE companies DROP COLUMN search_vector",
    "DROP FUNCTION search_item_vector(text, text, text, text)",
    "DROP INDEX search_items_confidential",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRES_UPGRADE
    else:
        statements = SQLITE_TABLES + [
            f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()
        ] + SQLITE_BACKFILL
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        statements = POSTGRES_DOWNGRADE
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS] + [
            "DROP INDEX search_items_confidential",
            "DROP TABLE search_items",
            "DROP TABLE search_activities",
            "DROP TABLE search_companies",
        ]
    for statement in statements:
        op.execute(statement)
