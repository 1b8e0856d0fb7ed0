"""A failure of the database or of a file, in one sentence: storage's explanations
(db/errors.py), named here so that the command line reaches storage only through the domain."""

from aesthetix_tui.db.errors import explain, explain_os_error, hide_secrets, is_database_error

__all__ = ["explain", "explain_os_error", "hide_secrets", "is_database_error"]
