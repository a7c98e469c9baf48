"""The ranges a value from outside must lie in: record ids, page numbers, dates.

A number or date beyond them names nothing real; handed on, it would overflow a database
column (PostgreSQL's INTEGER of 32 bits, which the ids are) or Python's date arithmetic, and
answer 500 instead of 404 or a form error.
"""

from __future__ import annotations

from datetime import date

# A primary key is an INTEGER on PostgreSQL (32 bits, signed; SQLite's would hold 64): a
# larger number, bound as a parameter of that type, is refused by the database.
ID_MAX = 2**31 - 1
# Pages beyond this would make an OFFSET the database cannot hold.
PAGE_MAX = 10**9
# Dates people enter: follow-ups, due dates, periods, report quarters.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)


def in_id_range(value: object) -> bool:
    """Whether ``value`` is a whole number that can be a record's id (or version)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def in_date_range(day: date) -> bool:
    """Whether ``day`` lies in the range the app accepts for dates."""
    return DATE_MIN <= (day.date() if hasattr(day, "date") else day) <= DATE_MAX
