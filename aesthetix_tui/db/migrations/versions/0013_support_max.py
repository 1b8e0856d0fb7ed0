"""the Support Access maximum is the owner's to set (accounts set-support-max)

Create Date: 2026-12-07 00:00:00

No schema change. On PostgreSQL the functions and triggers of db/security.py are installed
again: the account's audit trigger records a change of support_max_days, and db/guards.py keeps
it within 1 to SUPPORT_MAX_DAYS; the owners' column grant follows once the roles exist.
"""

from aesthetix_tui.db.migration_steps import install_security

revision = '0013_support_max'
down_revision = '0012_policy_per_statement'


def upgrade() -> None:
    install_security()


def downgrade() -> None:
    pass
