"""How an account is named (`--account ID_OR_NAME`, `support check ACCOUNT`): the one rule every
reader follows, the domain (domain/accounts.resolve) and the fast stdlib-sqlite3 reads
(db/quick.py) alike. Standard library only, so the fast path stays fast.

The rule: the text is stripped of surrounding whitespace. The account whose name is exactly
that text (case and inner spaces count) is the one; else, when the text is a number (digits
only), the account with that id; else there is none. Blank text names no account: what that
means is the caller's (the only account there is, or the first one).

When there is none, one sentence says so (not_found), and names the accounts the connection
sees when they are few enough to read: on PostgreSQL, row-level security already limits what
the reader's own queries return, so no one is shown a name their login could not list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from aesthetix_tui.errors import NotFound

Row = TypeVar("Row")
# The largest id a row can have: ids are INTEGER columns, 32-bit on PostgreSQL (a larger number
# there is "integer out of range", and past 2**63 SQLite cannot even be asked). The domain treats a
# larger number as no row at all (is_row_id).
MAX_ID = 2**31 - 1
LISTED = 20  # an unknown account's sentence names the accounts when there are this many or fewer


class AccountRef:
    """A plain class (no dataclass or NamedTuple to build at import: `support check` starts fast)."""

    __slots__ = ("id", "text")

    def __init__(self, text: str, id: int | None) -> None:
        self.text = text  # stripped, never blank
        self.id = id  # the id it names when the text is a number, else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccountRef) and (self.text, self.id) == (other.text, other.id)

    def __hash__(self) -> int:
        return hash((self.text, self.id))

    def __repr__(self) -> str:
        return f"AccountRef({self.text!r}, {self.id!r})"


def parse(id_or_name: object) -> AccountRef | None:
    """The reference in `id_or_name`, or None when it is blank (or None)."""
    text = "" if id_or_name is None else str(id_or_name).strip()
    if not text:
        return None
    return AccountRef(text, row_number(text))


def is_row_id(number: int) -> bool:
    return 1 <= number <= MAX_ID


def row_number(text: str) -> int | None:
    """The row id `text` (stripped) spells, or None: not digits, or no row could have that id."""
    if not text.isdigit():
        return None
    try:
        number = int(text)
    except ValueError:  # digits int() does not read, such as "²": a name, never an id
        return None
    return number if is_row_id(number) else None


def find(ref: AccountRef, by_name: Callable[[str], Row | None], by_id: Callable[[int], Row | None]) -> Row | None:
    """The account `ref` names, through the reader's own two lookups (exact name, id), or None."""
    found = by_name(ref.text)
    if found is None and ref.id is not None:
        found = by_id(ref.id)
    return found


def not_found(ref: AccountRef, names: Callable[[int], Sequence[str]], count: Callable[[], int]) -> NotFound:
    """No account is `ref`: the one sentence, through the reader's own two queries on the same
    connection. names(limit): at most `limit` account names, by name; count(): how many
    accounts there are (asked only when there are more than LISTED).

    Names are quoted as every message quotes them (repr), so a name with a control character
    shows it escaped ('Evil\\x1b[31m'), never raw."""
    said = f"There is no account named or numbered {ref.text!r}"
    first = list(names(LISTED + 1))
    if not first:
        return NotFound(f"{said}.")  # none to name (or none this login may see)
    if len(first) <= LISTED:
        return NotFound(f"{said}. The accounts are: {', '.join(repr(name) for name in sorted(first))}.")
    total = count()
    return NotFound(f"{said}; `aesthetix-tui accounts list` shows the {total:,} accounts.")
