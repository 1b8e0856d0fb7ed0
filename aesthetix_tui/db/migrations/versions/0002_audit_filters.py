"""audit log filters: indexes for keyset pages by action and by actor

Create Date: 2026-11-26 11:40:00
"""

from alembic import op


revision = '0002'
down_revision = '0001'


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_account_action_seq', ['account_id', 'action', 'seq'], unique=False)
        batch_op.create_index('ix_audit_event_account_actor_seq', ['account_id', 'actor', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_account_actor_seq')
        batch_op.drop_index('ix_audit_event_account_action_seq')
