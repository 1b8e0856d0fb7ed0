"""Every state the README pictures: (seed, size, steps) by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tests.ui.profile_states import STATES, run_before


@dataclass(frozen=True)
class Shot:
    seed: dict
    size: tuple[int, int]
    run: Callable[..., Awaitable[None]]
    theme: str | None = None
    env: dict | None = None


def all_states() -> dict[str, Shot]:
    return {name: Shot(state.seed, state.size, run_before(state), state.theme, state.env)
            for name, state in STATES.items()}
