"""The command line shared by the Hydra entry points, read with plain sys.argv parsing.

Hydra parses the command line itself; the entry points only need to know,
before handing it over, which words are overrides (to validate them first) and
whether Hydra is asked for information only (--help, --cfg, --info, ...), in
which case nothing runs and nothing is validated.
"""

from __future__ import annotations

#: Hydra's flags that take a value (the next word, or `--flag=value`).
VALUED = {"--cfg", "-c", "--package", "-p", "--config-path", "-cp", "--config-name", "-cn",
          "--config-dir", "-cd", "--experimental-rerun"}
#: --info takes an optional value, one of these.
INFO_CHOICES = {"all", "config", "defaults", "defaults-tree", "plugins", "searchpath"}
#: Flags that make Hydra print something and run nothing.
INFORMATIONAL = {"--help", "-h", "--hydra-help", "--version", "--cfg", "-c", "--info", "-i",
                 "--shell-completion", "-sc"}


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
            if "=" not in word and (flag in VALUED or (flag in ("--info", "-i") and i + 1 < len(argv)
                                                       and argv[i + 1] in INFO_CHOICES)):
                skip = True
            continue
        overrides.append(word)
    return overrides, informational
