"""support sessions: an agent's visit to an account under one Support Access grant

Create Date: 2026-11-26 11:45:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import aesthetix_tui.db.columns


revision = '0003'
down_revision = '0002'


def upgrade() -> None:
    op.create_table('support_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('agent', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('started_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', aesthetix_tui.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grant_id'], ['support_grant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_session', schema=None) as batch_op:
        batch_op.create_index('ix_support_session_account_ended', ['account_id', 'ended_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('support_session', schema=None) as batch_op:
        batch_op.drop_index('ix_support_session_account_ended')

    op.drop_table('support_session')
