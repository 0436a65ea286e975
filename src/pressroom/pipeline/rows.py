"""Insert model rows with plain SQL: the ingest writes ~2 rows of wide models per item.

Django's ``bulk_create`` sends every value through its generic expression machinery
and, on SQLite, 999 parameters per statement; for the articles and sightings of a
10,000-item ingest that was 2 s of Python for 0.7 s of SQL. These helpers convert each
value with the field's own ``get_db_prep_save``, as Django does when it stores it, and
send one ``executemany`` (or, where the new ids are needed, multi-row
``INSERT … RETURNING``, which is also what ``bulk_create`` relies on).

Only for plain models: no multi-table inheritance, no ``pre_save`` logic beyond the
field's own, no signals (``bulk_create`` sends none either).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

# Rows per INSERT … RETURNING statement. Few enough that a statement stays small (the
# connection caches the prepared statements, one per row count, and a statement of
# thousands of parameters held megabytes), and a fixed number, so that the statements
# of full chunks are one cached statement.
_ROWS_PER_STATEMENT = 50


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (unsaved) in one ``executemany``; their ``pk`` stays unset."""
    if not objs:
        return
    fields = _fields(model)
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, fields, 1), [_values(o, fields) for o in objs])


def insert_returning_ids(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (unsaved) and give each its new ``pk``, as ``bulk_create`` does."""
    if not objs:
        return
    fields = _fields(model)
    per_statement = _ROWS_PER_STATEMENT
    pk = model._meta.pk
    assert pk is not None
    returning = f" RETURNING {connection.ops.quote_name(pk.column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            params = [v for o in chunk for v in _values(o, fields)]
            cursor.execute(_insert_sql(model, fields, len(chunk)) + returning, params)
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) != len(chunk):
                raise RuntimeError(f"inserted {len(chunk)} rows, got {len(ids)} ids back")
            for obj, new_id in zip(chunk, ids, strict=True):
                _saved(obj, new_id)


def fetch_ids(model: type[models.Model], unique: str, objs: Sequence[Any]) -> None:
    """Give rows inserted by ``insert`` (no ids back) their ids, found by a unique column."""
    wanted = {getattr(o, unique): o for o in objs if o is not None}
    found = model._default_manager.filter(**{f"{unique}__in": list(wanted)})
    for value, pk in found.values_list(unique, "pk"):
        _saved(wanted[value], pk)


def _saved(obj: models.Model, pk: Any) -> None:
    """What Django's own save leaves on an instance: its id, and stored in this database."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns an INSERT sets: every concrete field but an automatic primary key."""
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]


def _insert_sql(model: type[models.Model], fields: list[models.Field[Any, Any]], rows: int) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES " + ", ".join([row] * rows)


def _values(obj: models.Model, fields: list[models.Field[Any, Any]]) -> list[Any]:
    values = []
    for f in fields:
        value = f.pre_save(obj, True)
        if value is None and isinstance(f, models.ForeignKey) and f.is_cached(obj):
            # Assigned while the related object was unsaved (an article of this batch):
            # its id exists now.
            related = f.get_cached_value(obj)
            value = related.pk if related is not None else None
        values.append(f.get_db_prep_save(value, connection))
    return values
