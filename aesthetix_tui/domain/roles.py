"""Database logins and what they may do: `aesthetix-tui roles …` (PostgreSQL only).

The administrator creates each login (`CREATE ROLE alice LOGIN PASSWORD '…'`); these
operations, run as the schema owner, make it an account owner or a support agent. Every one
of them can run again with the same result. Owning an account is recorded in its audit trail.
The schema owner, superusers and a login holding the other role are refused; `remove` always
works, so a login given a role by mistake can always lose it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db import guards, security
from aesthetix_tui.db.models import Account, AccountOwner
from aesthetix_tui.domain import accounts, audit
from aesthetix_tui.domain.errors import Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.identity import is_shared, who
from aesthetix_tui.domain.transaction import mutation

SQLITE_HAS_NO_ROLES = ("Roles exist only on a shared PostgreSQL database; a SQLite file is protected by "
                       "its file mode (0600) and your operating-system login.")
LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
OWNER, SUPPORT = "owner", "support"


@dataclass(frozen=True)
class Login:
    login: str
    kind: str  # owner or support
    accounts: tuple[str, ...]  # the names of the accounts an owner owns

    def as_dict(self) -> dict:
        return {"login": self.login, "kind": self.kind, "accounts": list(self.accounts)}


def _shared(session: Session) -> None:
    if not is_shared(session):
        raise InvalidInput(SQLITE_HAS_NO_ROLES)


def _ready(session: Session) -> None:
    _shared(session)
    if not security.roles_exist(session.connection()):
        raise Conflict("The roles are not set up in this database; run `aesthetix-tui roles setup` first.")


def _check_name(login: str) -> str:
    login = (login or "").strip()
    if not LOGIN_NAME.fullmatch(login):
        raise InvalidInput("A login name is 1 to 63 lowercase letters, digits, _ or $, starting with a "
                           "letter or _.")
    if login in security.GROUP_ROLES:
        raise InvalidInput(f"{login} is a group role, not a login.")
    return login


def _check_login(session: Session, login: str) -> str:
    """A login that may be given a role: it exists, logs in, and nothing bypasses the rules for it.

    The schema owner and superusers are refused: a role would lock the schema owner out of the
    accounts it administers, and no role limits a superuser (db/security.py checks the same)."""
    login = _check_name(login)
    row = security.run(session.connection(), "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_catalog.pg_roles "
                                             "WHERE rolname = %(l)s", {"l": login}).fetchone()
    if row is None:
        raise NotFound(f"There is no database login named {login}; the administrator creates it first with "
                       f"CREATE ROLE {login} LOGIN PASSWORD '…'.")
    if not row[0]:
        raise InvalidInput(f"{login} cannot log in; give it LOGIN first.")
    if row[1]:
        raise InvalidInput(f"{login} is a superuser, which no role or policy limits; use an ordinary login.")
    if row[2]:
        raise InvalidInput(f"{login} bypasses row-level security, which no role limits; use an ordinary login.")
    if login == security.schema_owner(session.connection()):
        raise InvalidInput(f"{login} is the schema owner, which administers every account; give the role to "
                           "another login.")
    return login


def _kind_of(session: Session, login: str) -> str | None:
    rows = security.run(session.connection(), """SELECT g.rolname FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE u.rolname = %(l)s AND g.rolname IN ('aesthetix_owner', 'aesthetix_support')""",
                        {"l": login}).fetchall()
    names = {r[0] for r in rows}
    if security.SUPPORT_ROLE in names:
        return SUPPORT
    owns = session.exec(select(AccountOwner.account_id).where(AccountOwner.login == login)).first()
    return OWNER if security.OWNER_ROLE in names or owns is not None else None


def setup(session: Session) -> None:
    """The group roles, the functions, every grant and policy (again: the same result)."""
    _shared(session)
    conn = session.connection()
    security.create_roles(conn)
    security.install(conn)
    security.apply(conn)
    session.commit()


def add_owner(session: Session, clock: Clock, login: str, account_ref: str) -> bool:
    """The login owns the account. False when it already did (nothing changed)."""
    _ready(session)
    login = _check_login(session, login)
    if _kind_of(session, login) == SUPPORT:
        raise Conflict(f"{login} is a support agent; a login is either an owner or an agent "
                       f"(remove it first with `roles remove {login}`).")
    account = accounts.resolve(session, account_ref)
    with mutation(session, account.id) as locked:
        security.run(session.connection(), f"GRANT {security.OWNER_ROLE} TO {login}")
        if session.get(AccountOwner, (login, locked.id)) is not None:
            return False
        session.add(AccountOwner(login=login, account_id=locked.id))
        audit.append(session, clock, locked, who(session), "roles.owner_added", f"login:{login}",
                     {"login": login})
    return True


def add_agent(session: Session, login: str) -> bool:
    """The login is a support agent. False when it already was."""
    _ready(session)
    login = _check_login(session, login)
    kind = _kind_of(session, login)
    if kind == OWNER:
        raise Conflict(f"{login} owns accounts; a login is either an owner or an agent "
                       f"(remove it first with `roles remove {login}`).")
    if kind == SUPPORT:
        return False
    security.run(session.connection(), f"GRANT {security.SUPPORT_ROLE} TO {login}")
    guards.agent_settings(security.run, session.connection(), login)  # the database's timeouts
    session.commit()
    return True


def remove(session: Session, clock: Clock, login: str) -> bool:
    """The login loses its role and its accounts. False when it had neither.

    Always possible, whatever the login is (even one that should never have had a role, such
    as the schema owner): the group role goes first, so the login running this may still write
    to the accounts whose ownership it removes."""
    _ready(session)
    login = _check_name(login)
    owned = session.exec(select(AccountOwner.account_id).where(AccountOwner.login == login)).all()
    had_role = _kind_of(session, login) is not None
    exists = security.run(session.connection(), "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %(l)s",
                          {"l": login}).fetchone() is not None
    if had_role and exists:
        security.run(session.connection(), f"REVOKE {security.OWNER_ROLE}, {security.SUPPORT_ROLE} FROM {login}")
    session.commit()
    for account_id in owned:
        with mutation(session, account_id) as locked:
            row = session.get(AccountOwner, (login, locked.id))
            if row is not None:
                session.delete(row)
                audit.append(session, clock, locked, who(session), "roles.owner_removed", f"login:{login}",
                             {"login": login})
    return bool(owned) or had_role


def list_logins(session: Session) -> list[Login]:
    _ready(session)
    rows = security.run(session.connection(), """SELECT u.rolname, g.rolname FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE g.rolname IN ('aesthetix_owner', 'aesthetix_support') ORDER BY u.rolname""").fetchall()
    owned: dict[str, list[str]] = {}
    for login, name in session.exec(select(AccountOwner.login, Account.name)
                                    .join(Account, Account.id == AccountOwner.account_id)
                                    .order_by(Account.name)).all():
        owned.setdefault(login, []).append(name)
    kinds: dict[str, str] = {}
    for login, group in rows:
        kind = SUPPORT if group == security.SUPPORT_ROLE else OWNER
        kinds[login] = SUPPORT if SUPPORT in (kind, kinds.get(login)) else kind
    return [Login(login, kind, tuple(owned.get(login, ()))) for login, kind in sorted(kinds.items())]
