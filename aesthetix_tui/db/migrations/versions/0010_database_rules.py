"""database rules: on PostgreSQL the Support Access rules, the grant's end, no stalls and no
leaks are held by the database itself (db/guards.py)

Create Date: 2026-12-07 00:00:00

No table changes: the functions and triggers of db/security.py are installed again, and once the
roles exist their grants are refreshed after the migration (db/migrate.refresh_security).
"""

from alembic import op


revision = '0010_database_rules'
down_revision = '0009_account_name_nocase'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from aesthetix_tui.db import security

        security.install(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        from aesthetix_tui.db import guards, security

        guards.uninstall(security.run, bind)
