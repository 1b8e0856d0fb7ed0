"""initial schema

Create Date: 2026-11-26 10:46:03.582019
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import aesthetix_tui.db.columns


revision = '0001'
down_revision = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('support_max_days', sa.Integer(), nullable=False),
    sa.Column('created_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('audit_head', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('actor_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('details', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'seq', name='uq_audit_event_account_seq')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_account_at', ['account_id', 'at'], unique=False)

    op.create_table('feature_setting',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('feature_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'feature_key')
    )
    op.create_table('integration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('token_hint', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('old_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('old_token_hint', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('old_expires_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_used_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('old_token_hash'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('integration', schema=None) as batch_op:
        batch_op.create_index('ix_integration_account_name', ['account_id', 'name'], unique=False)

    op.create_table('legacy_key',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hint', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id'),
    sa.UniqueConstraint('key_hash')
    )
    op.create_table('support_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=False),
    sa.Column('ends_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('enabled_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enabled_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('revoked_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_grant', schema=None) as batch_op:
        batch_op.create_index('ix_support_grant_account_enabled', ['account_id', 'enabled_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('support_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_support_grant_account_enabled')

    op.drop_table('support_grant')
    op.drop_table('legacy_key')
    with op.batch_alter_table('integration', schema=None) as batch_op:
        batch_op.drop_index('ix_integration_account_name')

    op.drop_table('integration')
    op.drop_table('feature_setting')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_account_at')

    op.drop_table('audit_event')
    op.drop_table('account')
