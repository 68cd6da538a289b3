"""The product reads and writes its data through the ORM and the cache framework: no raw
cursor (it pins the ``default`` database, which rules out read replicas, and builds half-loaded
instances), no model internals, no diskcache internals. Backups, the restore command and the
SQLite backend work below the ORM by nature and may; migrations are Django's own.

``Manager.raw`` is the ORM's own way to write a query's SQL (the router picks the database, the
ORM adapts the parameters and builds the instances); it is allowed where a module says why in
``RAW_QUERIES`` and nowhere else."""

import re
from pathlib import Path

import newsdesk

PACKAGE = Path(newsdesk.__file__).resolve().parent
# Below the ORM by nature: copying and restoring database files, the database backend, and
# checking and upgrading the install itself (its database's vendor, its migration plan).
BELOW_THE_ORM = {
    "core/backups.py",
    "core/doctor/basics.py",
    "core/doctor/running.py",
    "core/upgrade.py",
    "core/management/commands/backup_database.py",
    "core/management/commands/restore_database.py",
    "core/sqlite/base.py",
}
# Modules that may call ``Manager.raw``, and why.
RAW_QUERIES = {
    "discussion/selectors_posting.py": (
        "the identical-text read every post makes, whose building through filter() cost "
        "eight times its run (bench/viral/post_stages)"
    ),
}
FORBIDDEN = {
    "a raw cursor": re.compile(r"\.cursor\(|\bcursor\.execute"),
    "a database named outside the router": re.compile(r"\bconnections\["),
    "raw SQL": re.compile(r"\.raw\(|\bRawSQL\(|\.extra\("),
    "an instance built from a row by hand": re.compile(r"\bfrom_db\("),
    "a model instance's private state": re.compile(r"\._state\b"),
    "Model.save()'s internals": re.compile(
        r"_prepare_related_fields_for_save|\._save_table\(|\._do_insert\(|\._do_update\("
    ),
    "diskcache's internals": re.compile(
        r"\._(?:shards|transact|row_insert|row_update|cull|disk|hash|count)\b"
    ),
}


def _product_sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        parts = set(relative.split("/")[:-1])
        if parts & {"tests", "migrations"} or relative in BELOW_THE_ORM:
            continue
        yield relative, path.read_text(encoding="utf-8")


def _only_manager_raw(code: str) -> bool:
    """The line writes SQL through ``<Model>.objects.raw(`` and no other way."""
    return bool(re.search(r"\.objects\.raw\(", code)) and not re.search(
        r"\bRawSQL\(|\.extra\(", code
    )


def test_no_raw_sql_nor_private_orm_or_cache_api_in_the_product():
    found = []
    for relative, text in _product_sources():
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split("#", 1)[0]
            for what, pattern in FORBIDDEN.items():
                if what == "raw SQL" and relative in RAW_QUERIES and _only_manager_raw(code):
                    continue
                if pattern.search(code):
                    found.append(f"{relative}:{number}: {what}: {line.strip()}")
    assert found == []


def test_the_rule_sees_what_it_forbids():
    """The patterns catch the forms the posting path used to take (so the test above cannot
    pass by matching nothing)."""
    samples = [
        "with connection.cursor() as cursor:",
        "cursor.execute(sql, params)",
        "connection = connections[alias]",
        "Comment.objects.raw('SELECT 1')",
        "parent = Comment.from_db(connection.alias, fields, row)",
        "instance._state.adding = False",
        "instance._prepare_related_fields_for_save(operation_name='save')",
        "shard = fanout._shards[fanout._hash(key) % fanout._count]",
        "with shard._transact(retry=True) as (sql, cleanup):",
    ]
    for sample in samples:
        assert any(p.search(sample) for p in FORBIDDEN.values()), sample
    assert not any(p.search("comment.refresh_from_db()") for p in FORBIDDEN.values())


def test_only_the_modules_that_say_why_write_raw_queries():
    """Every module named in ``RAW_QUERIES`` exists and still needs its place there."""
    sources = dict(_product_sources())
    for relative in RAW_QUERIES:
        assert ".objects.raw(" in sources[relative], f"{relative} no longer needs raw()"
