"""audit log filters: indexes for keyset pages by action and by actor

Create Date: 2026-11-26 11:40:00
"""

from aesthetix_tui.db.migration_steps import create_index, drop_index

revision = '0002'
down_revision = '0001'


def upgrade() -> None:
    create_index('audit_event', 'ix_audit_event_account_action_seq', ['account_id', 'action', 'seq'])
    create_index('audit_event', 'ix_audit_event_account_actor_seq', ['account_id', 'actor', 'seq'])


def downgrade() -> None:
    drop_index('audit_event', 'ix_audit_event_account_actor_seq')
    drop_index('audit_event', 'ix_audit_event_account_action_seq')
