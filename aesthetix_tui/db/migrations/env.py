"""Alembic environment: runs on the connection that open_database hands over."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import aesthetix_tui.db.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        run(conn)
