"""requests, token expiry, stale settings: support agents ask for access; integration tokens
may expire; each account sets when an integration counts as stale

Create Date: 2026-12-02 00:00:00

On PostgreSQL the grants and row-level security of db/security.py are refreshed, so the new
table follows the same rules as the others.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import aesthetix_tui.db.columns
from aesthetix_tui.db.migration_steps import install_security


revision = '0007'
down_revision = '0006'


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stale_unused_days', sa.Integer(), server_default='90', nullable=False))
        batch_op.add_column(sa.Column('stale_new_days', sa.Integer(), server_default='30', nullable=False))
    with op.batch_alter_table('integration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('expiry_days', sa.Integer(), nullable=True))
    op.create_table('support_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('agent', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('ticket', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('created_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('answered_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('replaced_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grant_id'], ['support_grant.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_support_request_account_state', 'support_request', ['account_id', 'state'])
    op.create_index('ix_support_request_agent', 'support_request', ['agent'])
    install_security()


def downgrade() -> None:
    op.drop_index('ix_support_request_agent', table_name='support_request')
    op.drop_index('ix_support_request_account_state', table_name='support_request')
    op.drop_table('support_request')
    with op.batch_alter_table('integration', schema=None) as batch_op:
        batch_op.drop_column('expiry_days')
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('stale_new_days')
        batch_op.drop_column('stale_unused_days')
