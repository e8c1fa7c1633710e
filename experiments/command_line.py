"""The words of a Hydra command line, read before Hydra sees them: which are overrides, which
flags only ask for information, how a tool's list of model overrides is quoted, and the jobs a
sweep (-m) expands to. Plain string handling over sys.argv; the checks that compose configs are
experiments.cli's.
"""

from __future__ import annotations

import itertools

#: Hydra's flags that take a value (the next word, or `--flag=value`).
VALUED = {
    "--cfg",
    "-c",
    "--package",
    "-p",
    "--config-path",
    "-cp",
    "--config-name",
    "-cn",
    "--config-dir",
    "-cd",
    "--experimental-rerun",
}
#: --info takes an optional value, one of these.
INFO_CHOICES = {"all", "config", "defaults", "defaults-tree", "plugins", "searchpath"}
#: Flags that make Hydra print something and run nothing. (--cfg is not among them: the config it shows
#: is the one the command would run, so its overrides are checked as a run's are.)
INFORMATIONAL = {
    "--help",
    "-h",
    "--hydra-help",
    "--version",
    "--info",
    "-i",
    "--shell-completion",
    "-sc",
}
MULTIRUN = {"-m", "--multirun"}

#: Keys of a tool whose value is a list of model overrides, e.g. overrides=[scenario.horizon_days=60].
MODEL_OVERRIDE_KEYS = ("overrides",)


def split_command_line(argv: list[str]) -> tuple[list[str], bool]:
    """The override words of a Hydra command line, and whether it only asks for information."""
    overrides: list[str] = []
    informational = False
    skip = False
    for i, word in enumerate(argv):
        if skip:
            skip = False
            continue
        if word.startswith("-") and not word.startswith("~"):
            flag = word.split("=", 1)[0]
            informational |= flag in INFORMATIONAL
            if "=" not in word and (
                flag in VALUED or (flag in ("--info", "-i") and i + 1 < len(argv) and argv[i + 1] in INFO_CHOICES)
            ):
                skip = True
            continue
        overrides.append(word)
    return overrides, informational


def _items(inside: str) -> list[str] | None:
    """The items of a Hydra list's inside, split at commas outside brackets and quotes (None if unbalanced)."""
    items, depth, quote, item = [], 0, "", ""
    for ch in inside:
        if quote:
            quote = "" if ch == quote and not item.endswith("\\") else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "," and depth == 0:
            items.append(item.strip())
            item = ""
            continue
        item += ch
    return None if quote or depth else [*items, item.strip()]


def quote_model_overrides(word: str) -> str:
    """`overrides=[scenario.horizon_days=60]` as Hydra's grammar reads it: items holding '=' are quoted."""
    key, sep, value = word.partition("=")
    if not sep or key.lstrip("+~") not in MODEL_OVERRIDE_KEYS or not (value.startswith("[") and value.endswith("]")):
        return word
    items = _items(value[1:-1]) if value[1:-1].strip() else None
    if items is None:
        return word
    quoted = [i if i[:1] in "'\"" or "=" not in i else "'" + i.replace("'", "\\'") + "'" for i in items]
    return f"{key}=[{','.join(quoted)}]"


def expand_jobs(words: list[str], multirun: bool) -> list[list[str]]:
    """The overrides of each job a command line runs: one job, or under -m the product of the sweeps.

    Jobs come in the order (and so with the numbers) Hydra's basic sweeper gives them.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from sim.config.command_check import parse_override
    from sim.config.errors import sweep_without_m
    from sim.config.schema import ConfigError

    parser = OverridesParser.create()
    per_key: dict[str, list[str]] = {}
    for word in words:
        o = parse_override(word, parser)
        key = o.get_key_element()
        if not o.is_sweep_override():
            per_key[key] = [word]
            continue
        if not multirun:
            raise sweep_without_m(o.key_or_group, word.split("=", 1)[1])
        if not o.is_discrete_sweep():
            raise ConfigError(
                f"{o.key_or_group}: '{word.split('=', 1)[1]}' is not a list of values; sweep with "
                "values a,b,c, range(start,stop) or choice(a,b)"
            )
        per_key[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
    return [list(job) for job in itertools.product(*per_key.values())]
