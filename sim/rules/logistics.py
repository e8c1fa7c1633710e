"""Logistics: how lost equipment is replaced, from a side's own depots and by its arms suppliers.

Pure functions over the equipment types (no Mesa). Two flows replace what a
side has lost (its deficit: the equipment it had at the start less what it has
now, per type):

    from depots:    moved_k     = min(stock_k, replacement_rate * deficit_k)
    from suppliers: wanted_k    = capacity_p * deficit_k                  (what supplier p can ship a day)
                    cost        = sum_k wanted_k * price_k                (US$ m)
                    budget      = share_p * war_budget * spending / 365   (US$ m a day the recipient pays p)
                    delivered_k = wanted_k * min(1, budget / cost)

share_p is supplier p's share of the recipient's arms imports (SIPRI Arms
Transfers, the ties' weights) and spending the recipient's military spending
(SIPRI Military Expenditure): a rich buyer gets what its suppliers can ship, a
poor one what it can pay for. Nothing replaces more than was lost.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The equipment types logistics replaces, in the order of the arrays below.
EQUIPMENT = ("armour", "artillery", "air_defence", "uavs")


@dataclass(frozen=True)
class LogisticsRules:
    """Coefficients of resupply (values and sources live in conf/combat).

    replacement_rate: share of a side's deficit its own depots move up a day, while stocks last
    war_budget: a recipient's wartime arms purchases a day, as a multiple of its yearly spending / 365
    price_armour, price_artillery, price_air_defence, price_uav: US$ m a supplier charges for one
    vehicle, gun, air-defence system or UAV (one sortie a day's worth of drones)
    """

    replacement_rate: float
    war_budget: float
    price_armour: float
    price_artillery: float
    price_air_defence: float
    price_uav: float

    def prices(self) -> tuple[float, ...]:
        """Price of one item of each type in EQUIPMENT."""
        return (self.price_armour, self.price_artillery, self.price_air_defence, self.price_uav)


def from_depots(deficit: tuple[float, ...], stock: tuple[float, ...], rate: float) -> tuple[float, ...]:
    """What a side's depots move up today, per type: rate of the deficit, at most what is in stock."""
    return tuple(min(s, rate * max(0.0, d)) for d, s in zip(deficit, stock, strict=True))


def daily_budget(spending: float, war_budget: float, import_share: float) -> float:
    """US$ m a day a recipient pays one supplier: its share of the recipient's wartime arms purchases."""
    return max(0.0, import_share) * war_budget * max(0.0, spending) / 365.0


def deliveries(
    deficit: tuple[float, ...], capacity: float, budget: float, prices: tuple[float, ...]
) -> tuple[float, ...]:
    """What one supplier delivers today, per type: capacity of the deficit, scaled down to what the budget buys."""
    wanted = [max(0.0, capacity) * max(0.0, d) for d in deficit]
    cost = sum(w * p for w, p in zip(wanted, prices, strict=True))
    if cost <= 0.0:
        return tuple(wanted)
    paid = 1.0 if budget >= cost else budget / cost  # min(1, budget / cost), without overflowing on a tiny cost
    return tuple(w * paid for w in wanted)
