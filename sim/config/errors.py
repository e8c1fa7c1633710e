"""ConfigError and the two checks every part of the configuration uses.

Every failure is one `ConfigError` line that names the key and what is allowed.
"""

from __future__ import annotations

import difflib


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message is one line."""


def did_you_mean(value: str, allowed) -> str:
    """ " (did you mean 'x'?)" for the closest allowed name to a mistyped one, or ""."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(key: str, value: str, allowed) -> None:
    """Refuse a value outside its allowed set, naming the key, the closest allowed name and the set."""
    if value not in allowed:
        hint = did_you_mean(value, allowed)
        raise ConfigError(f"{key}: '{value}' is not allowed{hint}; expected one of {', '.join(allowed)}")


def in_range(key: str, value: float, lo: float, hi: float) -> None:
    """Refuse a number outside [lo, hi], naming the key and the range."""
    if not (lo <= value <= hi):
        raise ConfigError(f"{key}: {value} is out of range; allowed [{lo}, {hi}]")


def sweep_without_m(key: str, value: str) -> ConfigError:
    """Several values for a key on a command line without -m: a sweep nobody asked to run (every entry
    point refuses it in these words)."""
    return ConfigError(f"{key}: '{value}' is a sweep; add -m to run one job per value, or write a list as [a,b]")
