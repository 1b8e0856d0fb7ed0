"""Steps the migrations (db/migrations/versions) share: the column kinds and the keys of an account's
rows as autogenerate writes them, and, on PostgreSQL, installing db/security.py's functions
and triggers again, at their newest.

A released migration must keep doing what it did for the databases it has not reached yet:
change a step here only so that it builds the very same schema."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy import Connection

from aesthetix_tui.db import guards, security
from aesthetix_tui.db.columns import UTCDateTime


def integer(name: str, nullable: bool = False, **options) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable, **options)


def text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def instant(name: str, nullable: bool = False) -> sa.Column:
    """A moment, stored in UTC (db/columns.UTCDateTime)."""
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def account_keys() -> list:
    """The first columns of a table of one account's rows: its integer key `id` and `account_id`
    (the rows go with the account). First in create_table: CREATE TABLE lists the constraints in
    the order they were made."""
    return [integer('id'), integer('account_id'),
            sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'), sa.PrimaryKeyConstraint('id')]


def create_index(table: str, name: str, columns: list[str]) -> None:
    """As autogenerate writes it: in a batch (on SQLite an index alone never copies the table)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(name, columns, unique=False)


def drop_index(table: str, name: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_index(name)


def drop_table(table: str, *indexes: str) -> None:
    """Drop TABLE, after its INDEXES."""
    for index in indexes:
        drop_index(table, index)
    op.drop_table(table)


def on_postgresql(step: Callable[[Connection], None]) -> None:
    """step(connection) on PostgreSQL; nothing on SQLite (which has no roles, functions or triggers
    of its own)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        step(bind)


def install_security() -> None:
    """On PostgreSQL, db/security.py's functions and triggers as they are now (security.install)."""
    on_postgresql(security.install)


def uninstall_guards() -> None:
    """On PostgreSQL, drop the rules the database holds itself (db/guards.py)."""
    on_postgresql(lambda bind: guards.uninstall(security.run, bind))
