"""account names unique without case: a unique index on lower(name)

Create Date: 2026-12-07 11:00:00

Accounts whose names already differ only by case keep the oldest one's name; each later one
is renamed "NAME (id N)" so the index can be made (no such pair can be created any more).
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_account_name_nocase'
down_revision = '0008_witness_identity'

MAX_NAME = 100


def upgrade() -> None:
    bind = op.get_bind()
    # The database's own lower(), so the groups are exactly what the index will compare.
    rows = bind.execute(sa.text("SELECT id, name, lower(name) FROM account ORDER BY id")).all()
    taken = {low for _, _, low in rows}
    kept: set[str] = set()
    for id_, name, low in rows:
        if low not in kept:
            kept.add(low)
            continue
        renamed, n = renamed_name(name, f" (id {id_})"), 1
        while renamed.lower() in taken:
            renamed, n = renamed_name(name, f" (id {id_}.{n})"), n + 1
        taken.add(renamed.lower())
        bind.execute(sa.text("UPDATE account SET name = :name WHERE id = :id"), {"name": renamed, "id": id_})
    op.create_index('ux_account_name_lower', 'account', [sa.text('lower(name)')], unique=True)


def renamed_name(name: str, suffix: str) -> str:
    return name[:MAX_NAME - len(suffix)] + suffix


def downgrade() -> None:
    op.drop_index('ux_account_name_lower', table_name='account')
