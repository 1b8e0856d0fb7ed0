"""the login's visible accounts in PL/pgSQL: an idle app's heartbeat at a third of its cost

Create Date: 2026-12-07 00:00:00

No schema change. On PostgreSQL the functions of db/security.py are installed again:
aesthetix_owned_accounts() and aesthetix_support_accounts(), which every policy calls once per
statement, say the same rule in PL/pgSQL, whose query plan the session keeps (a SQL function's
body was parsed and planned again in every statement). aesthetix_start_session and
aesthetix_end_session take an account's latest grant by id, the order its lock let the grants
in (domain/support_grant.LATEST_FIRST), no longer by enabled_at.
"""

from aesthetix_tui.db.migration_steps import install_security

revision = '0014_visible_plpgsql'
down_revision = '0013_support_max'


def upgrade() -> None:
    install_security()


def downgrade() -> None:
    pass
