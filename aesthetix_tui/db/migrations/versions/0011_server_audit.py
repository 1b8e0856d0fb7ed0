"""the server's clock and audit: on PostgreSQL the recorded times are the server's and every
row change on the audited tables writes its own audit event (db/security.py, SERVER_AUDIT)

Create Date: 2026-12-07 00:00:00

No table changes: the functions and triggers of db/security.py are installed again (which adds
the triggers, and replaces the functions that took a time or an event from the caller).
"""

from aesthetix_tui.db import security
from aesthetix_tui.db.migration_steps import install_security, on_postgresql

revision = '0011_server_audit'
down_revision = '0010_database_rules'


def upgrade() -> None:
    install_security()


def downgrade() -> None:
    on_postgresql(security.uninstall_server_audit)
