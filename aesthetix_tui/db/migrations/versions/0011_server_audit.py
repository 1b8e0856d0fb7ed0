"""the server's clock and audit: on PostgreSQL the recorded times are the server's and every
row change on the audited tables writes its own audit event (db/security.py, SERVER_AUDIT)

Create Date: 2026-12-07 00:00:00

No table changes: the functions and triggers of db/security.py are installed again (which adds
the triggers, and replaces the functions that took a time or an event from the caller).
"""

from alembic import op


revision = '0011_server_audit'
down_revision = '0010_database_rules'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from aesthetix_tui.db import security

        security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from aesthetix_tui.db import security

        security.uninstall_server_audit(bind)
