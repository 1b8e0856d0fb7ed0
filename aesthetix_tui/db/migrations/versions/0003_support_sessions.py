"""support sessions: an agent's visit to an account under one Support Access grant

Create Date: 2026-11-26 11:45:00
"""

import sqlalchemy as sa
from alembic import op

from aesthetix_tui.db.migration_steps import account_keys, create_index, drop_table, instant, integer, text

revision = '0003'
down_revision = '0002'


def upgrade() -> None:
    op.create_table('support_session', *account_keys(),
                    integer('grant_id'), text('agent', 100), instant('started_at'), instant('ended_at', nullable=True),
                    text('end_reason', 16, nullable=True),
                    sa.ForeignKeyConstraint(['grant_id'], ['support_grant.id'], ondelete='CASCADE'))
    create_index('support_session', 'ix_support_session_account_ended', ['account_id', 'ended_at'])


def downgrade() -> None:
    drop_table('support_session', 'ix_support_session_account_ended')
