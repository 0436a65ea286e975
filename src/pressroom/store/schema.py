"""Create or upgrade the schema where that is safe to do unasked.

On the embedded SQLite default every command brings its own database up to
date, so a newcomer never has to run ``migrate``. On PostgreSQL, schema changes
are the operator's decision: ``pressroom migrate`` applies them, and other
commands refuse to run against an out-of-date schema.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class SchemaError(Exception):
    pass


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def ensure_schema() -> None:
    pending = pending_migrations()
    if not pending:
        return
    if connection.vendor == "sqlite":
        call_command("migrate", interactive=False, verbosity=0)
        return
    raise SchemaError(
        f"the database schema is not up to date ({len(pending)} migrations pending, "
        f"first {pending[0]}); run 'pressroom migrate'"
    )
