"""Where the configuration folder is: a user's own, the installed package's, or the checkout's.

In a checkout `conf/` sits at the top of the repository, where users of Hydra projects look
for it; a built wheel carries the same folder inside the package as `sim/conf` (the build
maps it there, pyproject.toml), so an installed `escalation-run` or `load_config()` works
without a checkout. A user who wants to change the shipped files without touching the
installed package copies them (`escalation-conf copy DEST`) and points the environment
variable KARABAKH_ESCALATION_CONF at the copy: every entry point and `load_config` then
read that folder. It is read once, at import, because Hydra fixes an application's
config folder when its module is imported.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sim.config.errors import ConfigError

#: The environment variable naming a user's own config folder.
CONF_ENV = "KARABAKH_ESCALATION_CONF"
#: The config folder of a checkout (the repository's top level) - also what an editable install reads.
CHECKOUT_CONF = Path(__file__).resolve().parents[2] / "conf"


#: YAML 1.2 floats as OmegaConf reads them: also without a dot (1e-3) and with underscores (1_000.5).
FLOAT = re.compile(
    r"""^(?:[-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+)
    |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
FLOAT_TAG, TIMESTAMP_TAG = "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"


def _omegaconf_scalars() -> dict:
    """PyYAML's safe implicit types as OmegaConf changes them: floats as above, no timestamps."""
    table = {
        first: [(tag, rx) for tag, rx in pairs if tag not in (FLOAT_TAG, TIMESTAMP_TAG)]
        for first, pairs in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for first in "-+0123456789.":
        table.setdefault(first, []).append((FLOAT_TAG, FLOAT))
    return table


class ConfLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (where PyYAML has it) with OmegaConf's reading of scalars and its refusal of
    duplicate keys: a file reads as OmegaConf.load reads it, about fifteen times faster."""

    yaml_implicit_resolvers = _omegaconf_scalars()

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag != yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, f"found duplicate key {key_node.value}",
                    key_node.start_mark,
                )  # fmt: skip
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def read_conf_file(path: str | Path) -> Any:
    """A YAML file of the config folder as plain data, as OmegaConf.load reads it (ConfLoader), without
    resolving interpolations: for Hydra's source of conf/ (sim.config.libyaml_source) and for what
    reads conf/ beside Hydra (the declared ranges, the theatre files' values)."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=ConfLoader)


def packaged_conf() -> Path | None:
    """The conf/ shipped inside an installed wheel (sim/conf), or None in a checkout."""
    found = resources.files("sim") / "conf"
    return found if isinstance(found, Path) and (found / "config.yaml").is_file() else None


def conf_dir() -> Path:
    """The config folder to read: $KARABAKH_ESCALATION_CONF, else the package's, else the checkout's.

    Never raises (it runs at import); `check_conf_dir` refuses a folder without config.yaml.
    """
    asked = os.environ.get(CONF_ENV, "").strip()
    if asked:
        return Path(asked).expanduser().absolute()
    return packaged_conf() or CHECKOUT_CONF


#: The config folder every loader and entry point reads, fixed at import (see the module's docstring).
CONF_DIR = conf_dir()


def check_conf_dir(path: Path) -> None:
    """Refuse, in one line naming where it came from, a config folder without config.yaml.

    Otherwise Hydra's "Primary config directory not found" would be all a user sees.
    """
    if (path / "config.yaml").is_file():
        return
    if os.environ.get(CONF_ENV, "").strip():
        raise ConfigError(
            f"{CONF_ENV}: {path} has no config.yaml; point it at a copy of the shipped folder "
            "(escalation-conf copy DEST makes one)"
        )
    raise ConfigError(f"conf: {path} has no config.yaml; the installation is incomplete (reinstall the package)")


def copy_conf(dest: str | Path) -> Path:
    """Copy the shipped config folder to `dest` (which must not exist yet) as a start for one's own."""
    target = Path(dest).expanduser().absolute()
    if target.exists():
        raise ConfigError(f"dest: {target} exists already; choose a new folder")
    shutil.copytree(packaged_conf() or CHECKOUT_CONF, target)
    return target


def main(argv: list[str] | None = None) -> None:
    """`escalation-conf where` prints the folder in use; `escalation-conf copy DEST` copies the shipped one."""
    parser = argparse.ArgumentParser(prog="escalation-conf", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("where", help="print the config folder the commands read")
    copy = sub.add_parser("copy", help="copy the shipped config folder to DEST")
    copy.add_argument("dest")
    args = parser.parse_args(argv)
    try:
        if args.command == "where":
            print(conf_dir())
        else:
            target = copy_conf(args.dest)
            print(f"copied to {target}; use it with: export {CONF_ENV}={target}")
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
