"""versions: every editable record carries a version and who changed it last, and when

Create Date: 2026-11-26 12:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import aesthetix_tui.db.columns

revision = '0004'
down_revision = '0003'

# Existing rows start at version 1 (feature settings, per account, at 0) with no recorded
# last change: the stale-write message then falls back to the row's creation.
VERSIONED = ('support_grant', 'integration', 'legacy_key')


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('settings_updated_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('settings_updated_by', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
            batch_op.add_column(sa.Column('updated_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True),
                                          nullable=True))
            batch_op.add_column(sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=100),
                                          nullable=True))


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('updated_by')
            batch_op.drop_column('updated_at')
            batch_op.drop_column('version')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('settings_updated_by')
        batch_op.drop_column('settings_updated_at')
        batch_op.drop_column('settings_version')
