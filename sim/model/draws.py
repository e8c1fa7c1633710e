"""Random draws of a day, taken one value at a time.

numpy draws an array element by element, so a call over an array of means
gives the same numbers, in the same order, as one call per mean. At the
handful of values a day's fight or civilian harm draws, the array call's
checks cost more than the draws themselves (a Poisson, binomial or
hypergeometric call over four values takes two to five times as long as four
scalar calls), so the model draws value by value.
"""

from __future__ import annotations

import numpy as np


def poisson_each(rng: np.random.Generator, means: list[float]) -> list[int]:
    """rng.poisson(means) as a list: the same draws in the same order, one call per mean.

    A mean of 0 gives 0 without a call (numpy's draw for it is 0 and uses no
    random numbers: most towns are unharmed on most days).
    """
    poisson = rng.poisson
    return [poisson(x) if x else 0 for x in means]
