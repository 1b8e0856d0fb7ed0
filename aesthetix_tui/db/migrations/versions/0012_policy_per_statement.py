"""policies once per statement: the indexes an agent's open grants and own sessions are read by

Create Date: 2026-12-07 00:00:00

On PostgreSQL the functions of db/security.py are installed again (the login's visible
accounts, computed once per statement); the policies that use them follow once the roles exist.
"""

from alembic import op

from aesthetix_tui.db.migration_steps import install_security

revision = '0012_policy_per_statement'
down_revision = '0011_server_audit'


def upgrade() -> None:
    op.create_index('ix_support_grant_open', 'support_grant', ['revoked_at', 'ends_at', 'account_id'])
    op.create_index('ix_support_session_agent', 'support_session', ['agent', 'ended_at'])
    install_security()


def downgrade() -> None:
    op.drop_index('ix_support_session_agent', table_name='support_session')
    op.drop_index('ix_support_grant_open', table_name='support_grant')
