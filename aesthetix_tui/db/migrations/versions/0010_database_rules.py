"""database rules: on PostgreSQL the Support Access rules, the grant's end, no stalls and no
leaks are held by the database itself (db/guards.py)

Create Date: 2026-12-07 00:00:00

No table changes: the functions and triggers of db/security.py are installed again, and once the
roles exist their grants are refreshed after the migration (db/migrate.refresh_security).
"""

from aesthetix_tui.db.migration_steps import install_security, uninstall_guards

revision = '0010_database_rules'
down_revision = '0009_account_name_nocase'


def upgrade() -> None:
    install_security()


def downgrade() -> None:
    uninstall_guards()
