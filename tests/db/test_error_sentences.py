"""db/errors.explain on the driver texts of issue 24, item 10, without a server."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import errors
from aesthetix_tui.db.errors import TOO_LARGE, explain

URL = "postgresql+psycopg://app:s3cret@db.example/crm"


def said(driver_text: str, url: str = URL) -> str:
    problem = explain(exc.OperationalError("SELECT 1", {}, Exception(driver_text)), resolve_target(database_url=url))
    assert "\n" not in problem.message and "s3cret" not in problem.message
    return problem.message


def test_a_missing_database_is_named_even_beside_a_second_attempts_refusal():
    """libpq's sslmode=prefer tries again without SSL and adds that attempt's refusal: the server
    had accepted the login, since it looks for the database only after that."""
    text = ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  database "crm" '
            'does not exist\nconnection to server at "10.0.0.5", port 5432 failed: FATAL:  password '
            'authentication failed for user "app"')
    assert said(text) == ("The database 'crm' named in postgresql+psycopg://***@db.example/crm does not exist on "
                          "the server; create it or fix --database-url.")


def test_a_wrong_password_is_still_the_login():
    assert said('connection failed: FATAL:  password authentication failed for user "app"').endswith(
        "refused the user name or password; check --database-url.")


@pytest.mark.parametrize("rule", ["no pg_hba.conf entry for host", "pg_hba.conf rejects connection for host"])
def test_a_host_rule_of_the_server_is_one_sentence(rule):
    message = said(f'connection failed: FATAL:  {rule} "10.0.0.9", user "app", database "crm", no encryption')
    assert message == ("The database server for postgresql+psycopg://***@db.example/crm does not let this login "
                       "reach that database from this host (its pg_hba.conf); check --database-url or ask its "
                       "administrator.")


@pytest.mark.parametrize("error", [
    exc.DataError("SELECT", {}, type("NumericValueOutOfRange", (Exception,), {"sqlstate": "22003"})(
        "integer out of range")),
    OverflowError("Python int too large to convert to SQLite INTEGER"),
])
def test_a_number_too_large_is_one_sentence(error):
    assert explain(error, resolve_target(database_url=URL)).message == TOO_LARGE


def test_a_disk_io_error_on_a_nearly_full_disk_is_a_full_disk(tmp_path, monkeypatch):
    target = resolve_target(db=str(tmp_path / "x.db"))
    error = exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))
    monkeypatch.setattr(errors.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 20 * 1024})())
    assert explain(error, target).message.startswith("The disk holding the database ")
    monkeypatch.setattr(errors.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 10**10})())
    assert explain(error, target).message.endswith("reported an error: disk I/O error.")
