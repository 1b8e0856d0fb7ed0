"""Who acts: taken from the connection, never from what the client claims.

- PostgreSQL: the database login (`session_user`), its kind from its group role
  (db/security.py). A name given with --actor is refused there.
- SQLite: the operating-system login, kind "owner" (the file is single-user: its mode is the
  boundary). A name given with --actor is kept as a label beside the login.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from aesthetix_tui.domain.actor import Actor, os_user
from aesthetix_tui.domain.errors import InvalidInput

ACTOR_REFUSED = ("On a shared PostgreSQL database you act as your database login; "
                 "--actor is not accepted there.")


def is_shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def who(session: Session, label: str | None = None) -> Actor:
    """The actor of this session's changes."""
    if is_shared(session):
        if label is not None:
            raise InvalidInput(ACTOR_REFUSED)

        login, kind = session.execute(text("SELECT session_user, aesthetix_kind()")).one()
        return Actor(login, kind)
    login = os_user()
    return Actor(login, "owner", label if label is not None and label != login else None)


def actor(session: Session, label: str | None = None, name: str | None = None) -> Actor:
    """The one way an Actor is made for a change, by the CLI and the TUI alike.

    label: the --actor label (SQLite only; refused on PostgreSQL), see who().
    name: an in-process caller's fixed actor name (tests pass it, as they pass a clock; the TUI's
    `actor_name=`): that owner, with nothing asked of the connection. `aesthetix-tui` never sets it.
    """
    if name:
        return Actor(name)
    return who(session, label)
