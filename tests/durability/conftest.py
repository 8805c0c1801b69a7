"""The durability tests' server parent: one per test module, on its database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ENGINE, POSTGRES_URL
from tests.durability.server import Zygote


def database_url() -> str:
    """This test module's database, as a server process is given it."""
    from piccolo.engine import engine_finder

    return POSTGRES_URL if ENGINE == "postgres" else f"sqlite:///{engine_finder().path}"


@pytest.fixture(scope="module")
def zygote(database: None) -> Iterator[Zygote]:
    """Forks `consult serve` processes on this module's database in a moment."""
    parent = Zygote(database_url())
    yield parent
    parent.close()
