"""The import of a register file: the dry run's plan carried out through the register's own
services, each row on its own, in batches of rows that each commit in a unit of work of their
own, so that other writers get the lock between them. Services flush; the batches commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker import events
from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import PermissionDenied, ServiceError
from tracker.i18n import _
from tracker.imports.mapping import Table
from tracker.imports.models import ValueMapping
from tracker.imports.origin import Origin
from tracker.imports.planning import Choices, Plan, plan_import
from tracker.imports.rows import Problem
from tracker.items import services as items
from tracker.items.models import Item, ItemKind
from tracker.networks.models import Network
from tracker.topics.models import Topic

FILE_NAME_LENGTH = 200
CHUNK_ROWS = 500  # rows per unit of work, unless the app's IMPORT_CHUNK_ROWS says otherwise
# Told after every batch: rows done, rows in all, problems so far.
Progress = Callable[[int, int, int], None]


def run_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    actor: User,
    default_kind: ItemKind | None = None,
    choices: Choices | None = None,
    filename: str = "",
    chunk_rows: int | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Create an item for every valid new row, update corrected ones; skip the rest.

    The rows are carried out ``chunk_rows`` at a time, each batch in its own unit of work
    (inside an outer one they all join it). A batch is written at once; when one of its
    rows is refused, the batch is carried out again row by row, so that the refused row is
    reported and the others are kept. A batch that fails as a whole is rolled back and
    reported on each of its rows; the batches before it stay, the later ones are not run
    (imported again, the file skips what was saved and imports the rest).
    """
    if not actor.is_authenticated or not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office imports registers."))
    plan = plan_import(table, mapping, network=network, default_kind=default_kind, choices=choices)
    size = max(1, chunk_rows or current_app.config.get("IMPORT_CHUNK_ROWS") or CHUNK_ROWS)
    origin = Origin(filename[:FILE_NAME_LENGTH], actor, items.default_follow_up(), plan)
    origin.references = items.ReferenceBlock(size)
    steps = [(v.row, lambda v=v: plan.created.append(origin.create(v))) for v in plan.rows]
    steps += [
        (u.row, lambda u=u: plan.updated.append(origin.update(u))) for u in plan.applied_updates
    ]
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False  # the batches' records stay loaded for the next and the report
    if progress is not None:
        progress(0, len(steps), plan.rows_with_problems)
    try:
        with events.in_bulk():  # the rows' items are history: nobody is notified of them
            for start in range(0, len(steps), size):
                if not _run_chunk(origin, steps[start : start + size], steps[start + size :]):
                    break
                if progress is not None:
                    done = min(start + size, len(steps))
                    progress(done, len(steps), plan.rows_with_problems)
        if not plan.failed:  # else the database refused a batch: the next run remembers them
            with unit_of_work():
                _remember_values(plan)
    finally:
        session.expire_on_commit = keep
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _run_chunk(origin: Origin, chunk: list, later: list) -> bool:
    """Carry out one batch of rows in a unit of work; False when it failed as a whole."""
    plan = origin.plan
    created, updated, problems = len(plan.created), len(plan.updated), len(plan.problems)
    try:
        with unit_of_work():
            if not _at_once(origin, chunk):
                for row, step in chunk:
                    _guarded(origin, row, step)
            origin.references.close()
    except Exception:  # noqa: BLE001 - the database refused the batch: report, keep the others
        logging.getLogger(__name__).exception("import batch from row %d failed", chunk[0][0])
        del plan.created[created:], plan.updated[updated:], plan.problems[problems:]
        failed = _("This row was not imported: its batch of rows failed.")
        plan.problems += [Problem(row, "", failed) for row, _step in chunk]
        not_run = _("This row was not imported: an earlier batch failed.")
        plan.problems += [Problem(row, "", not_run) for row, _step in later]
        plan.failed = True
        origin.rolled_back()
        _load_again(plan)
        return False
    return True


def _at_once(origin: Origin, chunk: list) -> bool:
    """Carry out the batch's rows in one savepoint; False, with nothing kept, if one is refused."""
    plan = origin.plan
    created, updated = len(plan.created), len(plan.updated)
    try:
        with db.session.begin_nested():
            for _row, step in chunk:
                step()
    except (ServiceError, IntegrityError):
        del plan.created[created:], plan.updated[updated:]
        origin.rolled_back()
        return False
    origin.announce()
    return True


def _load_again(plan: Plan) -> None:
    """Load the plan's items again, with their companies, after a rollback expired them."""
    records = plan.created + plan.updated + [item for _row, item in plan.already_imported]
    ids = [inspect(item).identity[0] for item in records if inspect(item).identity]
    for start in range(0, len(ids), 1000):
        chosen = select(Item).where(Item.id.in_(ids[start : start + 1000]))
        db.session.scalars(chosen.options(selectinload(Item.company))).all()


def _guarded(origin: Origin, row: int, step) -> None:
    """Carry out one row in a savepoint of its own; a refusal is the row's problem."""
    plan = origin.plan
    created, updated = len(plan.created), len(plan.updated)
    references, origin.references = origin.references, None  # a rollback would undo a block
    try:
        with db.session.begin_nested():
            step()
    except (ServiceError, IntegrityError) as exc:
        del plan.created[created:], plan.updated[updated:]
        message = exc.message if isinstance(exc, ServiceError) else None
        # an IntegrityError: the row was imported by someone else in the meantime
        plan.problems.append(Problem(row, "", message or _("This row was imported meanwhile.")))
        origin.rolled_back()
    else:
        origin.announce()
    finally:
        origin.references = references


def _remember_values(plan: Plan) -> None:
    """Keep the office's choices for unknown values, for the next import."""
    for key, network_id in plan.choices.networks.items():
        if db.session.get(Network, network_id) is not None:
            _remember("network", key, network_id=network_id)
    for key, choice in plan.choices.topics.items():
        if choice.isdigit() and db.session.get(Topic, int(choice)) is not None:
            _remember("topic", key, topic_id=int(choice))
    for key, topic in plan.new_topics.items():
        if topic.id is not None:  # created with an imported item
            _remember("topic", key, topic_id=topic.id)


def _remember(kind: str, key: str, **target: int) -> None:
    found = db.session.scalar(
        select(ValueMapping).where(ValueMapping.kind == kind, ValueMapping.value_key == key)
    )
    if found is None:
        db.session.add(ValueMapping(kind=kind, value_key=key, **target))
    else:
        found.network_id, found.topic_id = target.get("network_id"), target.get("topic_id")
    db.session.flush()
