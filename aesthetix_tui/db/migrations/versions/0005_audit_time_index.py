"""audit time filters: an index on (account_id, at, seq) in place of (account_id, at)

Create Date: 2026-12-01 15:40:00
"""

from alembic import op

revision = '0005'
down_revision = '0004'


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_account_at_seq', ['account_id', 'at', 'seq'], unique=False)
        batch_op.drop_index('ix_audit_event_account_at')


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_account_at', ['account_id', 'at'], unique=False)
        batch_op.drop_index('ix_audit_event_account_at_seq')
