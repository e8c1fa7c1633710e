"""Front: a day of fighting along the line of contact.

Resolves the day's combat from the belligerents' choices: casualties,
equipment, ground, civilians and sectors changing hands. The expected
engagement comes from sim.model.forecasts (the same arithmetic the
belligerents chose by); the draws around it are made here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.draws import poisson_each
from sim.model.operations import shares_of
from sim.model.theatre import ARMENIAN, AZERBAIJANI
from sim.rules.decisions import Defence, Operation


class Front:
    """The day's fighting of one war (a ConflictModel's `front`): it changes the theatre,
    the garrisons and the belligerents' losses."""

    def __init__(self, model: Any):
        self.model = model

    def fight(self, op: Operation, choices: dict[str, Defence]) -> bool:
        """Resolve today's combat; returns whether there was fighting."""
        m = self.model
        t, f, r, rng, g = m.theatre, m.factors, m.rules, m.rng, m.garrisons
        mask, e = m.forecasts.today()
        a, arm, art = m.attacker, m.armenia, m.artsakh
        a.pool.troops += a.mobilise()
        # Reinforcements go where the attack falls (the attacked sectors of Karabakh), else
        # spread along the front; Armenia's reservists and volunteers stay Armenia's.
        dest = mask & t.karabakh  # the threatened sectors
        n = int(np.count_nonzero(dest))
        if not n:
            dest = m.forecasts.front(t.karabakh)
            n = int(np.count_nonzero(dest))
        from_armenia, from_artsakh = arm.mobilise(), art.mobilise()
        if n:
            g.add(dest, (from_armenia + from_artsakh) / n, from_armenia / n)
        if choices["armenia"] == Defence.COUNTERATTACK and n:
            moved = r.counterattack_transfer * g.troops[t.armenia_proper]
            g.remove(t.armenia_proper, moved)
            each = moved.sum() / n
            g.add(dest, each, each)
        if op == Operation.SKIRMISH:
            for side in (a, self.skirmish_defender()):
                cas = rng.poisson(r.skirmish_casualties)
                killed = rng.binomial(cas, f.killed_fraction)
                side.military_deaths += killed
                side.wounded += cas - killed
            m.gains_history.append(0.0)
            return True
        if e is None:
            return False
        sel = mask.nonzero()[0]
        m.contested[sel] = True
        where = sel.tolist()
        counter: float | np.ndarray = 0.0
        k = len(where)
        att_lam, def_lam = e.attacker_casualties, e.defender_casualties
        if choices["artsakh"] == Defence.COUNTERATTACK:
            # Artsakh's forces counterattack in Karabakh only; Armenia proper is Armenia's to defend.
            # Both sides bleed more where they do: the counterattacker out of its positions,
            # the attacker under fire on the ground it has just taken.
            in_kb = t.karabakh[sel]
            att_lam = att_lam * np.where(in_kb, r.counterattack_fire_factor, 1.0)
            def_lam = def_lam * np.where(in_kb, r.counterattack_casualty_factor, 1.0)
            retake = f.advance_rate * np.maximum(0.0, np.log(r.counterattack_ratio / np.maximum(e.force_ratio, 1e-9)))
            counter = np.where(in_kb, retake, 0.0)
        # The day's draws, value by value in the order of the means (sim.model.draws: the
        # numbers numpy's one call over all of them would give, without its checks).
        cas = poisson_each(rng, att_lam.tolist() + def_lam.tolist())
        killed = [rng.binomial(c, f.killed_fraction) for c in cas]
        self._attacker_losses(sum(cas[:k]), sum(killed[:k]))
        lost = poisson_each(
            rng,
            e.attacker_armour_lost.tolist()
            + e.attacker_uavs_lost.tolist()
            + e.defender_armour_lost.tolist()
            + e.defender_artillery_lost.tolist()
            + e.attacker_artillery_lost.tolist()
            + e.defender_air_defence_lost.tolist(),
        )
        lost_armour = np.minimum(lost[:k], a.pool.armour)
        a.pool.armour = max(0.0, a.pool.armour - lost_armour.sum())
        a.armour_lost += lost_armour.sum()
        uavs_lost = min(float(sum(lost[k : 2 * k])), a.pool.uavs)
        a.pool.uavs -= uavs_lost
        a.uavs_lost += uavs_lost
        guns_lost = min(float(sum(lost[4 * k : 5 * k])), a.pool.artillery)
        a.pool.artillery -= guns_lost
        a.artillery_lost += guns_lost
        self._defender_losses(sel, cas[k:], killed[k:])
        d_arm = np.minimum(lost[2 * k : 3 * k], g.armour[sel])
        g.armour[sel] -= d_arm
        d_art = np.minimum(lost[3 * k : 4 * k], g.artillery[sel])
        g.artillery[sel] -= d_art
        d_ad = np.minimum(lost[5 * k :], g.air_defence[sel])
        g.air_defence[sel] -= d_ad
        # Equipment lost in Armenia proper is Armenia's, in Karabakh Artsakh's.
        in_ap = t.armenia_proper[sel]
        ap = int(np.count_nonzero(in_ap))
        if ap in (0, k):  # all in one region (most days): one side's losses
            who = arm if ap else art
            who.armour_lost += d_arm.sum()
            who.artillery_lost += d_art.sum()
            who.air_defence_lost += d_ad.sum()
        else:
            for who, part in ((arm, in_ap), (art, ~in_ap)):
                who.armour_lost += d_arm[part].sum()
                who.artillery_lost += d_art[part].sum()
                who.air_defence_lost += d_ad[part].sum()
        pool, spread = m.forecasts.committed(), shares_of(m.capacity[sel])
        # The drones' picture grows, and with it what the attacker's suppliers' reconnaissance adds.
        t.watched[sel] += pool.uavs * (1.0 + m.politics.intelligence_for_attacker()) * spread
        before = t.progress[sel]
        noise = rng.gamma(r.advance_noise_shape, 1.0 / r.advance_noise_shape, size=k)
        after = np.minimum(np.maximum(before + e.progress * noise - counter, 0.0), 1.0)
        t.progress[sel] = after
        m.gains_history.append(float(((after - before) * t.region_value_share[sel]).sum()))
        m.civilians.day(e.civilian_deaths, sel, pool.artillery * spread)
        self.transfer_control(sel)
        return True

    def _attacker_losses(self, casualties: int, killed: int) -> None:
        """The attacker's casualties of the day; its foreign fighters are among them more often than their number.

        They are a share of the committed troops (foreign_fighter_exposure times
        their share of the pool, at most all): the killed among them are booked
        apart from the attacker's own military deaths.
        """
        m = self.model
        a, r = m.attacker, m.rules
        foreign = 0
        if a.foreign_fighters > 0 and killed > 0:
            share = min(1.0, r.foreign_fighter_exposure * a.foreign_fighters / max(a.pool.troops, 1.0))
            foreign = int(m.rng.binomial(killed, share))
            a.foreign_fighters = max(0.0, a.foreign_fighters - foreign * casualties / killed)
        a.military_deaths += killed - foreign
        a.foreign_fighter_deaths += foreign
        a.wounded += casualties - killed
        a.pool.troops = max(0.0, a.pool.troops - casualties)

    def _defender_losses(self, sel: np.ndarray, casualties: list[int], killed: list[int]) -> None:
        """The defenders' casualties in the attacked sectors, booked to Armenia in its share of each garrison."""
        m = self.model
        g, rng = m.garrisons, m.rng
        shares = g.armenia_share(sel)
        arm_cas = [rng.binomial(c, s) for c, s in zip(casualties, shares.tolist(), strict=True)]
        arm_killed = arm_cas
        if any(casualties):
            arm_killed = [rng.hypergeometric(d, c - d, x) for d, c, x in zip(killed, casualties, arm_cas, strict=True)]
        g.remove(sel, np.array(casualties, dtype=float), shares)
        dead, hurt = sum(arm_killed), sum(arm_cas) - sum(arm_killed)
        m.armenia.military_deaths += dead
        m.armenia.wounded += hurt
        m.artsakh.military_deaths += sum(killed) - dead
        m.artsakh.wounded += sum(casualties) - sum(killed) - hurt

    def transfer_control(self, sel: np.ndarray) -> None:
        """A sector whose progress reaches 1 changes hands.

        fallback_share of its garrison, armour and air defence falls back to neighbouring held
        sectors (Armenia's soldiers among them stay Armenia's); the rest, and all
        its guns, are lost to the side that held it: the troops are casualties
        (killed_fraction of them killed, the rest wounded or captured, booked as
        wounded, Armenia's in its share), armour and guns count as lost (captured
        or destroyed). With no held neighbour nothing falls back.
        """
        m = self.model
        t, f, rng, g = m.theatre, m.factors, m.rng, m.garrisons
        for i in sel[t.progress[sel] >= 1.0].tolist():
            if t.controller[i] == ARMENIAN:
                t.controller[i] = AZERBAIJANI
                back = (t.adjacency[i] & (t.controller == ARMENIAN)).nonzero()[0]
                keep = m.rules.fallback_share if len(back) else 0.0
                share = float(g.armenia_share(i))
                if len(back):
                    moved = keep * g.troops[i] / len(back)
                    g.add(back, moved, moved * share)
                    g.armour[back] += keep * g.armour[i] / len(back)
                    g.air_defence[back] += keep * g.air_defence[i] / len(back)
                cas = int(round((1.0 - keep) * g.troops[i]))
                killed = int(rng.binomial(cas, f.killed_fraction))
                self._defender_losses(np.array([i]), [cas], [killed])
                who = m.armenia if t.armenia_proper[i] else m.artsakh
                who.armour_lost += (1.0 - keep) * g.armour[i]
                who.artillery_lost += g.artillery[i]
                who.air_defence_lost += (1.0 - keep) * g.air_defence[i]
                g.troops[i] = g.armenia_troops[i] = g.armour[i] = g.artillery[i] = g.air_defence[i] = 0.0
                m.civilians.sector_lost(i)

    def skirmish_defender(self):
        """Who is skirmished with: Armenia when every planned target lies in Armenia proper, else Artsakh."""
        m = self.model
        t = m.theatre
        in_ap = [bool(t.armenia_proper[t.index[n]]) for n in m.planned_targets]
        return m.armenia if in_ap and all(in_ap) else m.artsakh
