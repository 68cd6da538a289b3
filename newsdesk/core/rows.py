"""A new row saved the way ``Model.save()`` saves it, with the INSERT's SQL built once.

``save()`` of a new instance runs Django's query compiler each time: it resolves every field,
builds the statement's text and its placeholders, then runs it. For a comment that is about
three times the time SQLite takes to insert the row (a profile of ``bench.viral.post_stages``),
on the path every comment takes. ``row_insert`` keeps the statement per model and database
and does the rest as ``save()`` does: the ``pre_save``/``post_save`` signals, each field's
``pre_save`` (``auto_now_add``, a file field's storage) and database value, the related
objects' keys, the new primary key set on the instance.
"""

from functools import cache

from django.db import connections, models, router, transaction
from django.db.models import signals


@cache
def _insert_statement(model: type[models.Model], alias: str) -> tuple[str, list, bool]:
    """The INSERT of one ``model`` row on ``alias``, its fields in order, and whether the
    statement returns the new key (else the cursor's last row id is it)."""
    meta = model._meta
    if meta.parents or meta.auto_field is None or meta.auto_field is not meta.pk:
        raise TypeError(f"{model.__name__}: row_insert needs an auto-increment key, no parents")
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.pk]
    if any(hasattr(f, "get_placeholder") for f in fields):
        raise TypeError(f"{model.__name__}: a field needs its own placeholder")
    returning = bool(connection.features.can_return_columns_from_insert)
    # The model's own table and column names, quoted; values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields, returning


def row_insert(instance: models.Model) -> None:
    """Save ``instance``, not yet saved and with no key set, as a new row.

    The same row, signals and instance state as ``instance.save()``; for models with an
    auto-increment key and no parent model (``TypeError`` otherwise). A value that is a query
    expression (``F()``, ``Now()``) is refused with ``TypeError``: use ``save()`` for those.
    """
    model = type(instance)
    meta = model._meta
    if instance.pk is not None:
        raise TypeError(f"{model.__name__}: row_insert saves new rows only")
    alias = router.db_for_write(model, instance=instance)
    sql, fields, returning = _insert_statement(model, alias)
    connection = connections[alias]
    instance._prepare_related_fields_for_save(operation_name="save")
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=alias, update_fields=None
    )
    params = []
    for field in fields:
        value = field.pre_save(instance, add=True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{model.__name__}.{field.name}: an expression; use save()")
        params.append(field.get_db_prep_save(value, connection=connection))
    # As save(): a failed INSERT inside atomic() spoils the transaction, whoever catches it.
    with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            key = cursor.fetchone()[0]
        else:
            key = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    setattr(instance, meta.pk.attname, meta.pk.to_python(key))
    instance._state.db = alias
    instance._state.adding = False
    signals.post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )
