"""Who the load client's residents are: their addresses and their free text.

The app's abuse checks count submissions per client address (surveys.abuse: a
fourth response of a day to one survey from one address is held, more than 20 in
ten minutes too), so the residents of a run come from many loopback addresses, as
residents come from many phones. Linux routes the whole of 127.0.0.0/8 to the
loopback interface, so a connection can be bound to any of them as its local
address with no set-up.

Each run of a load client takes a lane of its own: a /16 of loopback addresses
(127.<lane>.0.1 ...) and a range of free-text numbers (bench.texts), so no two
runs against one database share an address or write the same text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.texts import CAPACITY, FreeText

ADDRESSES_PER_LANE = 254 * 256  # 127.<lane>.<0..255>.<1..254>
TEXTS_PER_LANE = 100_000
LANES = CAPACITY // TEXTS_PER_LANE


@dataclass(frozen=True)
class Lane:
    number: int  # 1 .. LANES - 1

    def __post_init__(self) -> None:
        if not 1 <= self.number < LANES:
            raise ValueError(f"lane {self.number} is outside 1..{LANES - 1}")

    def address(self, index: int) -> str:
        """The `index`th resident address of the lane (127.0.0.1, the servers' own
        address and the one proxies are trusted from, is never one)."""
        if not 0 <= index < ADDRESSES_PER_LANE:
            raise ValueError(f"a lane has {ADDRESSES_PER_LANE} addresses, not {index + 1}")
        third, fourth = divmod(index, 254)
        return f"127.{self.number}.{third}.{fourth + 1}"

    def texts(self, seed: int) -> FreeText:
        start = self.number * TEXTS_PER_LANE
        return FreeText(random.Random(seed), start, start + TEXTS_PER_LANE)
