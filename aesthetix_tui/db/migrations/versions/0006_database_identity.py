"""database identity: account owners, the agent policy, actor labels, and PostgreSQL's own rules

Create Date: 2026-12-01 18:00:00

On PostgreSQL this also installs the functions and triggers of db/security.py: audit events
are appended by one SECURITY DEFINER function that records the login as the actor, and the
grants and row-level security of `roles setup` are refreshed when its roles exist.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from aesthetix_tui.db import security
from aesthetix_tui.db.migration_steps import install_security, on_postgresql

revision = '0006'
down_revision = '0005'


def upgrade() -> None:
    op.create_table('account_owner',
    sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('login', 'account_id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_policy', sqlmodel.sql.sqltypes.AutoString(length=16),
                                      server_default='read-only', nullable=False))
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_label', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      nullable=True))
    install_security()


def downgrade() -> None:
    on_postgresql(security.uninstall)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('actor_label')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('agent_policy')
    op.drop_table('account_owner')
