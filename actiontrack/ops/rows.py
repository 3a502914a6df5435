"""One row read with a plain cursor into a model instance, for the plan with the reader's roles
(`people.permissions.visible_plan`; to be replaced by an ORM query, then this module goes).

`Model.objects.raw()` maps columns to fields by name on every call, which cost more than the database took to
answer. Here the SQL names the model's columns in field order (`columns()`), so the row goes straight to
`Model.from_db`, through the same converters the ORM applies (SQLite's dates and booleans, for one). Columns
after the model's are extras, set on the instance under the names given."""

from __future__ import annotations

import functools

from django.db import connection


def columns(model, alias: str) -> str:
    """The model's concrete columns in field order, qualified by the table alias, for a SELECT list."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def one(model, sql: str, params, extras: tuple[str, ...] = ()):
    """The first row of `sql` as a `model` instance with `extras` set from the columns after the model's, or
    None. `sql` must select `columns(model, alias)` first."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    width, converters = _converters(model, connection.vendor)
    values = list(row[:width])
    for index, field_converters, expression in converters:
        value = values[index]
        for convert in field_converters:
            value = convert(value, expression, connection)
        values[index] = value
    instance = model.from_db(connection.alias, None, values)
    for name, value in zip(extras, row[width:], strict=True):
        setattr(instance, name, value)
    return instance


@functools.cache
def _converters(model, vendor: str):
    """(number of columns, [(index, converters, expression)]) for the fields that need converting on this
    database, as the ORM's compiler works them out."""
    fields = model._meta.concrete_fields
    found = []
    for index, field in enumerate(fields):
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if converters:
            found.append((index, tuple(converters), expression))
    return len(fields), tuple(found)
