"""War termination as bargaining: beliefs about the war's course, and when a settlement is acceptable.

Pure functions (no Mesa); sim.model.bargaining keeps each side's beliefs and
asks them each day of fighting. The logic is Fearon's (1995): with p the
share of the disputed value the attacker expects to end with if the war is
fought on, and c_A, c_D what fighting on costs each side (in the same value
units), every settlement x in [p_A - c_A, p_D + c_D] is better for both than
war. War goes on while that range is empty, because each side reads the
balance in its own favour (private information: the attacker's arms purchases,
the defender's fortifications); the battlefield reveals the balance day by
day, the beliefs converge, and the range opens (Slantchev 2003; Wagner 2000;
Powell 2004: fighting as information). Values are shares of Karabakh's
strategic value.
"""

from __future__ import annotations

import math


def prior_rate(parity_rate: float, spending_ratio: float, optimism: float, attacker: bool) -> float:
    """A side's belief, before the war, of the share of Karabakh's value the attacker takes a day.

    Both read the balance of arms spending (attacker over defenders): at
    parity the attacker takes `parity_rate` a day, in proportion to the ratio
    otherwise; each side overrates itself by `optimism` (the attacker expects
    more, the defender less).
    """
    return parity_rate * spending_ratio * (1.0 + optimism if attacker else 1.0 - optimism)


def updated(belief: float, observed: float, memory: float) -> float:
    """A belief moved towards today's observation: exponential smoothing over `memory` days."""
    return belief + (observed - belief) / max(memory, 1.0)


def expected_share(taken: float, held: float, rate: float, days: float) -> float:
    """The attacker's final share if the war is fought on for `days` more at `rate` a day (at most all)."""
    return taken + min(held, max(rate, 0.0) * days)


def settlement_acceptance(surplus: float, value_weight: float, temperature: float) -> float:
    """Probability of accepting a settlement worth `surplus` (value shares) more than fighting on.

    The surplus is turned into utility with the side's weight of a share of
    Karabakh's value (the gain term of its utility) and passed through the
    logit of its decision temperature, as every choice of the model is.
    """
    x = surplus * value_weight / max(temperature, 1e-9)
    return 1.0 / (1.0 + math.exp(-min(max(x, -50.0), 50.0)))


def bargaining_range(expected_attacker: float, cost_attacker: float, expected_defender: float, cost_defender: float):
    """(low, high): the attacker's shares every side prefers to fighting on, [p_A - c_A, p_D + c_D].

    Empty (low > high) while the attacker expects more than the defenders
    believe it will take by more than the two sides' costs of fighting on.
    """
    return expected_attacker - cost_attacker, expected_defender + cost_defender


def proposal(low: float, high: float, taken: float) -> float:
    """The mediator's offer: the middle of the range, never less than what the attacker holds already."""
    return min(1.0, max(taken, (low + high) / 2.0))


def handed_over(values: list[tuple[int, float]], need: float) -> tuple[int, ...]:
    """The districts (index, value share still held, in the order they are ceded) that make up `need`.

    Whole districts are ceded in order while that brings the attacker's gain
    nearer to `need` than stopping would.
    """
    out: list[int] = []
    got = 0.0
    for i, v in values:
        if got + v / 2.0 > need:
            break
        out.append(i)
        got += v
    return tuple(out)
