"""Numbers the strategy dashboards read (contract: docs/stats.md)."""

from typing import NamedTuple


class Indicator(NamedTuple):
    label: str
    unit: str
    func: object
    additive: bool = True


COMPUTED: dict[str, Indicator] = {}
