"""ConfigError and the two checks every part of the configuration uses.

Every failure is one `ConfigError` line that names the key and what is allowed.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message is one line."""


def one_of(key: str, value: str, allowed) -> None:
    """Refuse a value outside its allowed set, naming the key and the set."""
    if value not in allowed:
        raise ConfigError(f"{key}: '{value}' is not allowed; expected one of {', '.join(allowed)}")


def in_range(key: str, value: float, lo: float, hi: float) -> None:
    """Refuse a number outside [lo, hi], naming the key and the range."""
    if not (lo <= value <= hi):
        raise ConfigError(f"{key}: {value} is out of range; allowed [{lo}, {hi}]")
