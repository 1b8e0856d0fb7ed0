"""requests, token expiry, stale settings: support agents ask for access; integration tokens
may expire; each account sets when an integration counts as stale

Create Date: 2026-12-02 00:00:00

On PostgreSQL the grants and row-level security of db/security.py are refreshed, so the new
table follows the same rules as the others.
"""

import sqlalchemy as sa
from alembic import op

from aesthetix_tui.db.migration_steps import account_keys, install_security, instant, integer, text

revision = '0007'
down_revision = '0006'


def upgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(integer('stale_unused_days', server_default='90'))
        batch_op.add_column(integer('stale_new_days', server_default='30'))
    with op.batch_alter_table('integration', schema=None) as batch_op:
        batch_op.add_column(instant('expires_at', nullable=True))
        batch_op.add_column(integer('expiry_days', nullable=True))
    op.create_table('support_request', *account_keys(),
                    text('agent', 100), text('ticket', 64), text('reason', 500), integer('days'), instant('created_at'),
                    text('state', 16), instant('answered_at', nullable=True), text('answered_by', 100, nullable=True),
                    text('note', 500, nullable=True), integer('grant_id', nullable=True),
                    integer('replaced_by', nullable=True),
                    sa.ForeignKeyConstraint(['grant_id'], ['support_grant.id'], ondelete='SET NULL'))
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
