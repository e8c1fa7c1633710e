"""The ties between actors: alliances, arms supply, mediation and rivalries (conf/ties).

A weighted, directed graph fixed for a run. `Ties` indexes it once, because
the daily choices and forecasts read tie weights many times a day; each
outside power reads its own ties from it when it is created
(sim.model.agents.OutsidePower).
"""

from __future__ import annotations

from typing import Any

from sim.config.schema import BELLIGERENTS


class Ties:
    """Look-ups over the list of ties (each a mapping with actor, partner, kind, weight, scope)."""

    def __init__(self, ties: list[dict[str, Any]]):
        self.all = ties
        self._max: dict[tuple[str, str], dict[str, float]] = {}  # largest weight by (actor, partner) and kind
        self._of: dict[str, list[dict[str, Any]]] = {}  # an actor's ties in config order
        self._scope: dict[str, str] = {}  # scope of an actor's first alliance
        self._leverage: dict[str, float] = {}  # remembered: the ties are fixed for a run, brokers are ranked daily
        for t in ties:
            kinds = self._max.setdefault((t["actor"], t["partner"]), {})
            kinds[t["kind"]] = max(kinds[t["kind"]], t["weight"]) if t["kind"] in kinds else t["weight"]
            self._of.setdefault(t["actor"], []).append(t)
            if t["kind"] == "alliance":
                self._scope.setdefault(t["actor"], t["scope"])

    def weight(self, actor: str, partner: str, kinds: tuple[str, ...] = ()) -> float:
        """Largest weight of a tie actor -> partner (of the given kinds, or any); 0 without one."""
        by_kind = self._max.get((actor, partner))
        if not by_kind:
            return 0.0
        if not kinds:
            return max(by_kind.values())
        return max((by_kind[k] for k in kinds if k in by_kind), default=0.0)

    def of(self, actor: str) -> list[dict[str, Any]]:
        """The actor's ties, in config order."""
        return self._of.get(actor, [])

    def alliance_scope(self, actor: str) -> str:
        """What the actor's first alliance covers ("all" without one)."""
        return self._scope.get(actor, "all")

    def leverage(self, actor: str) -> float:
        """What an outsider can bring to bear on both sides at once: its weaker hold on either.

        Its strongest tie of any kind (arms, alliance) to the attacker, and to
        Armenia or Artsakh; a broker needs a hold on both, so the smaller counts
        (Russia arms both sides; Turkey holds only Azerbaijan, France and the
        United States neither).
        """
        hold = self._leverage.get(actor)
        if hold is None:
            attacker = self.weight(actor, "azerbaijan")
            defenders = max(self.weight(actor, "armenia"), self.weight(actor, "artsakh"))
            hold = self._leverage[actor] = min(attacker, defenders)
        return hold

    def side_of(self, actor: str, border_interest: float) -> str | None:
        """The side a power would fight on: its ally's, or against a change on its border."""
        for tie in self.of(actor):
            if tie["kind"] == "alliance" and tie["partner"] in BELLIGERENTS:
                return "azerbaijani" if tie["partner"] == "azerbaijan" else "armenian"
        return "armenian" if border_interest > 0 else None
