"""domain/identity.actor: the one way the CLI and the TUI make the Actor of a change."""

from __future__ import annotations

import pytest

from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.identity import ACTOR_REFUSED, actor, is_shared, who


def test_without_a_fixed_name_it_is_the_connections_actor(session):
    assert actor(session) == who(session)
    assert actor(session, None, None) == who(session)


def test_a_label_is_the_connections_rule(session):
    if is_shared(session):
        with pytest.raises(InvalidInput, match=ACTOR_REFUSED):
            actor(session, "Front desk")
    else:
        made = actor(session, "Front desk")
        assert made == who(session, "Front desk") and made.label == "Front desk" and made.kind == "owner"


def test_a_fixed_name_is_that_owner_and_asks_the_connection_nothing(session, monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("a fixed name needs no query")

    monkeypatch.setattr(session, "execute", no_database)
    assert actor(session, None, "alice") == Actor("alice")
    assert actor(session, name="alice").shown == "alice"


def test_an_empty_fixed_name_means_none_given(session):
    assert actor(session, None, "") == who(session)


def test_a_bad_fixed_name_is_refused_in_one_sentence(session):
    with pytest.raises(InvalidInput, match="must be printable"):
        actor(session, None, "al\x1bice")
