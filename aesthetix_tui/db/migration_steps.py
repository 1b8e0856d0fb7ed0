"""Steps the migrations (db/migrations/versions) share: on PostgreSQL, install db/security.py's
functions and triggers again, at their newest.

A released migration must keep doing what it did for the databases it has not reached yet:
change a step here only so that it builds the very same schema."""

from __future__ import annotations

from typing import Callable

from alembic import op
from sqlalchemy import Connection

from aesthetix_tui.db import guards, security


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
