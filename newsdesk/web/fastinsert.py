"""Inserting a new row with the statement Django writes for it, built once per model.

``Model.save()`` builds its INSERT anew for every row (a query, a compiler, the column list
and placeholders), which on the comment post costs more than the database's own work
(``bench/viral/post_stages``). ``row_insert`` asks Django's compiler for the statement the
first time a model is inserted on a connection, then for each row only prepares the values
as ``save()`` does (each field's ``pre_save`` and ``get_db_prep_save``) and sets the primary
key from the RETURNING clause.

It sends no ``pre_save``/``post_save`` signals and runs no overridden ``save()``: use it only
for models that have neither (``tests/test_fastinsert.py`` checks the rows it writes equal
``save()``'s).
"""

from django.db import connections, router
from django.db.models import Model
from django.db.models.sql import InsertQuery

_statements: dict[tuple, tuple] = {}


def _statement(model: type[Model], connection) -> tuple:
    key = (model, connection.alias, connection.vendor)
    found = _statements.get(key)
    if found is None:
        meta = model._meta
        fields = [
            field
            for field in meta.local_concrete_fields
            if field is not meta.auto_field and not getattr(field, "generated", False)
        ]
        query = InsertQuery(model)
        query.insert_values(fields, [model()])  # any row: only the statement's shape is kept
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = meta.db_returning_fields
        [(sql, _params)] = compiler.as_sql()
        found = _statements[key] = (sql, fields, compiler, meta.db_returning_fields)
    return found


def row_insert(obj: Model, *, using: str | None = None) -> Model:
    """INSERT ``obj`` (a new instance) as ``obj.save()`` would, and give it its primary key."""
    using = using or router.db_for_write(type(obj), instance=obj)
    connection = connections[using]
    obj._prepare_related_fields_for_save(operation_name="save")
    sql, fields, compiler, returning = _statement(type(obj), connection)
    params = [compiler.prepare_value(field, field.pre_save(obj, add=True)) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() if returning else None
    if row is None and returning:
        raise RuntimeError("the database returned no primary key for the new row")
    for field, value in zip(returning, row or (), strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    return obj
