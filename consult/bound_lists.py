"""Lists of values bound as one array on PostgreSQL, so that a statement's text is
the same however many values it carries: asyncpg then prepares it once per
connection, not once for each batch size, and Piccolo splices no placeholder per
value. SQLite has no arrays: there each value keeps its own placeholder.

Only fixed SQL fragments and {} placeholders go into the text; every value is bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine


def on_postgres() -> bool:
    return isinstance(engine_finder(), PostgresEngine)


def any_of(column_sql: str, values: Sequence[Any], kind: str = "int") -> tuple[str, list[Any]]:
    """`column_sql` is one of `values` (of PostgreSQL type `kind`): the condition,
    and the values to bind in the order of its placeholders."""
    if on_postgres():
        return f"{column_sql} = ANY({{}}::{kind}[])", [list(values)]
    return f"{column_sql} IN ({', '.join(['{}'] * len(values))})", list(values)


def insert_rows_sql(table: str, columns: Sequence[tuple[str, str]], row_count: int) -> str:
    """INSERT INTO table (columns) of `row_count` rows: on PostgreSQL one array per
    column (`columns` are (name, PostgreSQL type) pairs; bind insert_rows_values()),
    on SQLite a VALUES list."""
    names = ", ".join(name for name, _ in columns)
    if on_postgres():
        arrays = ", ".join(f"{{}}::{kind}[]" for _, kind in columns)
        return f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    row = "(" + ", ".join(["{}"] * len(columns)) + ")"
    return f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * row_count)}"  # noqa: S608


def insert_rows_values(rows: Sequence[Sequence[Any]]) -> list[Any]:
    """The values to bind with insert_rows_sql(): a list per column on PostgreSQL,
    every row's values in turn on SQLite."""
    if on_postgres():
        return [list(column) for column in zip(*rows, strict=True)] if rows else []
    return [value for row in rows for value in row]
