"""The search index's own database objects, and the rule that leaves them out of Alembic.

The index is database-specific (FTS5 tables and triggers on SQLite; tsvector columns, GIN
indexes and triggers on PostgreSQL) and lives only in the migration, not in the models.
All of its objects are named with ``PREFIX``, and the comparison of models and database
skips those names.
"""

from __future__ import annotations

PREFIX = "search_"


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: skip the search index's tables, columns and indexes."""
    return not (name or "").startswith(PREFIX)
