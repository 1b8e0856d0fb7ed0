"""initial schema

Create Date: 2026-11-26 10:46:03.582019
"""

import sqlalchemy as sa
from alembic import op

from aesthetix_tui.db.migration_steps import account_keys, create_index, drop_table, instant, integer, text

revision = '0001'
down_revision = None


def upgrade() -> None:
    op.create_table('account',
                    integer('id'), text('name', 100), text('timezone', 64), integer('support_max_days'),
                    instant('created_at'), integer('audit_seq'), text('audit_head', 64),
                    sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('name'))
    op.create_table('audit_event', *account_keys(),
                    integer('seq'), instant('at'), text('actor', 100), text('actor_kind', 16), text('action', 64),
                    text('target', 200), text('details', 4000), text('prev_hash', 64), text('hash', 64),
                    sa.UniqueConstraint('account_id', 'seq', name='uq_audit_event_account_seq'))
    create_index('audit_event', 'ix_audit_event_account_at', ['account_id', 'at'])

    op.create_table('feature_setting',
                    integer('account_id'), text('feature_key', 64), sa.Column('enabled', sa.Boolean(), nullable=False),
                    instant('updated_at'), text('updated_by', 100),
                    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('account_id', 'feature_key'))
    op.create_table('integration', *account_keys(),
                    text('name', 64), text('description', 500), text('scopes', 4000),
                    text('token_hash', 64), text('token_hint', 16),
                    text('old_token_hash', 64, nullable=True), text('old_token_hint', 16, nullable=True),
                    instant('old_expires_at', nullable=True), instant('created_at'), text('created_by', 100),
                    instant('last_used_at', nullable=True), instant('revoked_at', nullable=True),
                    text('revoked_by', 100, nullable=True),
                    sa.UniqueConstraint('old_token_hash'), sa.UniqueConstraint('token_hash'))
    create_index('integration', 'ix_integration_account_name', ['account_id', 'name'])

    op.create_table('legacy_key',
                    integer('account_id'), text('key_hash', 64), text('hint', 16), instant('created_at'),
                    text('created_by', 100), sa.Column('disabled', sa.Boolean(), nullable=False),
                    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('account_id'), sa.UniqueConstraint('key_hash'))
    op.create_table('support_grant', *account_keys(),
                    sa.Column('until_date', sa.Date(), nullable=False), instant('ends_at'),
                    text('reason', 500, nullable=True), instant('enabled_at'), text('enabled_by', 100),
                    instant('revoked_at', nullable=True), text('revoked_by', 100, nullable=True))
    create_index('support_grant', 'ix_support_grant_account_enabled', ['account_id', 'enabled_at'])


def downgrade() -> None:
    drop_table('support_grant', 'ix_support_grant_account_enabled')
    op.drop_table('legacy_key')
    drop_table('integration', 'ix_integration_account_name')
    op.drop_table('feature_setting')
    drop_table('audit_event', 'ix_audit_event_account_at')
    op.drop_table('account')
