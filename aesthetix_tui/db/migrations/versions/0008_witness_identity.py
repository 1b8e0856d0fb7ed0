"""witness identity: the database's own id and each account's, given at creation

Create Date: 2026-12-07 11:00:00

The witness (aesthetix_tui/witness.py) keys what a client saw by these, not by how the client
spelled the database's path or address, nor by an account's id or name, which a re-created
account may reuse. Existing accounts get a random id here; an account inserted without one
(raw SQL) gets one from a trigger. On PostgreSQL db/security.py is installed again.
"""

from uuid import uuid4

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008_witness_identity'
down_revision = '0007'

SQLITE_TRIGGER = """CREATE TRIGGER account_uid_given AFTER INSERT ON account FOR EACH ROW WHEN NEW.uid IS NULL
BEGIN UPDATE account SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END"""
PG_TRIGGER = ["""CREATE OR REPLACE FUNCTION aesthetix_account_uid() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.uid IS NULL THEN
    NEW.uid := md5(random()::text || clock_timestamp()::text || NEW.id::text);
  END IF;
  RETURN NEW;
END $$""", """CREATE TRIGGER account_uid_given BEFORE INSERT ON account FOR EACH ROW
EXECUTE FUNCTION aesthetix_account_uid()"""]


def upgrade() -> None:
    op.create_table('database_identity',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    bind = op.get_bind()
    for (account_id,) in bind.execute(sa.text("SELECT id FROM account")).fetchall():
        bind.execute(sa.text("UPDATE account SET uid = :uid WHERE id = :id"), {"uid": uuid4().hex, "id": account_id})
    op.create_index(op.f('ix_account_uid'), 'account', ['uid'], unique=True)
    bind.execute(sa.text("INSERT INTO database_identity (id) VALUES (:id)"), {"id": uuid4().hex})
    if bind.dialect.name == 'postgresql':
        for statement in PG_TRIGGER:
            bind.exec_driver_sql(statement)
        from aesthetix_tui.db import security

        security.install(bind)
    else:
        bind.exec_driver_sql(SQLITE_TRIGGER)


def downgrade() -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("DROP TRIGGER IF EXISTS account_uid_given" + (" ON account" if bind.dialect.name ==
                                                                       'postgresql' else ""))
    if bind.dialect.name == 'postgresql':
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS aesthetix_account_uid()")
    op.drop_index(op.f('ix_account_uid'), table_name='account')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('uid')
    op.drop_table('database_identity')
