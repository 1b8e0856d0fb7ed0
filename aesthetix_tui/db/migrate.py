"""Apply the Alembic migrations, which own the schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x4A657374  # a fixed pg_advisory_xact_lock key: one migrator at a time


def alembic_config(engine: Engine | None = None) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision. Returns True when it changed anything."""
    if at_head(engine):
        return False  # the usual case: no Alembic import (~90 ms and ~11 MB) at all
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return False
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Hosts sharing one server may open it at once: one migrates, the others wait
            # (DDL is transactional there) and then find nothing left to do.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            if MigrationContext.configure(conn).get_current_revision() == head:
                return False
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True


def at_head(engine: Engine) -> bool:
    """True when the database's alembic_version is the newest migration (read from the files,
    see quick.head_revision). Any doubt is False: Alembic then decides, as before."""
    from aesthetix_tui.db.quick import head_revision

    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except Exception:
        return False
    return [tuple(row) for row in rows] == [(head,)]
