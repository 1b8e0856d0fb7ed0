"""an integration's use (last_used_at only) runs none of its row triggers

Create Date: 2026-12-07 00:00:00

No schema change. On PostgreSQL, the integration's guards (aesthetix_guard_by,
aesthetix_guard_integration) and its audit trigger run on an update only when it changes a column
other than last_used_at (db/guards.py: changed_beyond): recording the uses of a gateway's chunk of
1,000 tokens ran 3,000 PL/pgSQL calls that could refuse nothing and record nothing.
"""

from aesthetix_tui.db.migration_steps import install_security

revision = '0015_use_skips_triggers'
down_revision = '0014_visible_plpgsql'


def upgrade() -> None:
    install_security()


def downgrade() -> None:
    pass
