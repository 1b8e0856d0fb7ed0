"""The audit log export the TUI writes: the CLI's `audit export --output`, into a file.

No Textual here. The database stack is imported only when it runs (in a worker thread).
"""

from __future__ import annotations

from pathlib import Path


def write_export(session, account_id: int, fmt: str, path: Path) -> int:
    """Run in a worker thread: the CLI's export, into `path`. Problems are one sentence.

    The user was asked before replacing a file (force); the database itself is always refused."""
    # TUI event loop: the audit screen imports this module, the database stack loads in the worker
    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.audit_export import export_to_file

    return export_to_file(session, accounts.get(session, account_id), fmt, path, force=True)
