"""Catalogues shipped as data in the package: scopes and deprecated features."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Scope:
    name: str
    group: str
    description: str

    @property
    def read_only(self) -> bool:
        return self.name.endswith(".readonly")


@dataclass(frozen=True)
class Feature:
    key: str
    name: str
    kind: str  # campaign or trigger
    description: str
    replacement: str


def load(name: str) -> list[dict]:
    return json.loads(resources.files("aesthetix_tui.domain").joinpath("data", name).read_text())


@cache
def scopes() -> dict[str, Scope]:
    return {row["name"]: Scope(**row) for row in load("scopes.json")}


@cache
def features() -> dict[str, Feature]:
    return {row["key"]: Feature(**row) for row in load("features.json")}
