"""The shape in which every app's `stats.py` hands an indicator to strategy (docs/stats.md)."""

from collections.abc import Callable
from typing import NamedTuple


class Indicator(NamedTuple):
    label: str
    unit: str
    # func(*, years, branch_ids=None) -> {(branch_id, year): value}
    func: Callable
    # False when the network figure is not the sum of the libraries' (one volunteer, two places).
    additive: bool = True
    # What exactly is counted, in words a methodologist reads beside the figure.
    counts: str = ""
