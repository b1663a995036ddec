"""Confidence intervals for proportions.

Wilson's score interval (Wilson 1927, "Probable inference, the law of
succession, and statistical inference", JASA 22:209-212) keeps its coverage
close to the nominal level for small numbers of decisions and for rates near 0
or 1, where the textbook normal ("Wald") interval collapses to zero width or
leaves [0, 1]. Asylum figures are often small (a few dozen decisions for one
nationality in one state), so this matters.
"""

from __future__ import annotations

import math

#: The two-sided 95% normal quantile, Φ⁻¹(0.975).
Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for successes/trials; None when there are no trials.

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes ({successes}) must lie between 0 and trials ({trials})")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # At p = 0 or p = 1 the bound is exactly 0 or 1; say so instead of 0.9999999999999999.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)
