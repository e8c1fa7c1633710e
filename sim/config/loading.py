"""Load a validated configuration: Hydra's compose API over conf/, then sim.config.conform and sim.config.schema.

`load_config("april_2016", overrides=[...])` is the notebook-side twin of the
Hydra command line; both go through the same schema and the same checks, and
both turn any failure into a one-line `ConfigError` that names the key.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import yaml
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config import stored
from sim.config.conform import conform, first_missing, plain
from sim.config.declared import CONF_DIR, PARAM_GROUPS, RANGE_FIXED
from sim.config.errors import did_you_mean
from sim.config.paths import check_conf_dir
from sim.config.schema import Config, ConfigError, refuse_unknown_actors, register, validate

DEFAULT_SCENARIO = "baseline_2020"
INSIDE_HYDRA = "load_config cannot run inside a Hydra application; use the cfg it was given"


def scenarios() -> list[str]:
    """Names of the shipped scenarios (files in conf/scenario/)."""
    return sorted(p.stem for p in (CONF_DIR / "scenario").glob("*.yaml"))


def one_line(exc: BaseException) -> str:
    """A one-line description of a Hydra/OmegaConf error that names the key."""
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        m = exc.problem_mark
        return f"{m.name}:{m.line + 1}:{m.column + 1}: malformed YAML: {exc.problem}"
    inner: BaseException | None = exc
    where = re.match(r"In '([^']+)':", str(exc))  # Hydra names the config file a composition error is in
    while inner is not None and not getattr(inner, "full_key", None):
        following = inner.__cause__ or inner.__context__
        if following is None:
            break
        inner = following
    if inner is None or not getattr(inner, "full_key", None):
        inner = exc
        while inner.__cause__ is not None and not isinstance(inner, OmegaConfBaseException):
            inner = inner.__cause__
    key = getattr(inner, "full_key", None)
    msg = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    if key and where:
        msg = f"{msg} (in conf/{where.group(1)}.yaml)"
    missing = re.search(r"Could not find '([\w/]+)/([^'/]+)'", msg)  # an option of a config group
    if missing and (CONF_DIR / missing.group(1)).is_dir() and not missing.group(1).startswith("hydra"):
        group, asked = missing.groups()
        options = sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml"))
        key, msg = group, f"'{asked}' is unknown{did_you_mean(asked, options)}; expected one of {', '.join(options)}"
    elif key and "is not in struct" in msg:
        parent, _, name = str(key).rpartition(".")
        allowed = default_keys(parent)
        msg = f"unknown key{did_you_mean(name, allowed)}" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    return f"{key}: {msg}" if key else msg


@functools.cache
def _default_container() -> dict:
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = hydra_compose(config_name="config")
    out = OmegaConf.to_container(cfg, resolve=True)
    return conform(out, Config) if isinstance(out, dict) else {}


def default_keys(parent: str) -> list[str]:
    """The keys under a dotted path of the default config ([] when there is no such node)."""
    if GlobalHydra.instance().is_initialized():
        return []
    try:
        node: Any = _default_container()
    except Exception:  # noqa: BLE001 - a hint is optional: never let it hide the error it explains
        return []
    for part in [p for p in parent.split(".") if p]:
        if not isinstance(node, dict) or part not in node:
            return []
        node = node[part]
    return [str(k) for k in node] if isinstance(node, dict) else []


def refuse_range_overrides(overrides: Sequence[str]) -> None:
    """Refuse overrides of a sourced parameter's declared range (`combat.uav_erosion.range=[0,1]`)."""
    for word in overrides:
        key = word.split("=", 1)[0].lstrip("+~").split("@")[0]
        if key.split(".")[0] in PARAM_GROUPS and key.endswith(".range"):
            raise ConfigError(f"{key}: {RANGE_FIXED} (conf/{key.split('.')[0]}/)")


#: A call of a resolver in a string (`${oc.env:HOME}`); plain references (`${scenario.name}`) have no colon.
RESOLVER_CALL = re.compile(r"\$\{\s*([\w.\-]+)\s*:")


def check_interpolations(node: Any, key: str = "") -> None:
    """Refuse resolver calls (oc.env, oc.decode, ...) in string values of the model config.

    Its values are written into config.yaml and the report: a value read from the environment
    would leak it there and make the run depend on the machine. `output_dir` (a place, not a
    model value) may use them. `node` is the unresolved plain container.
    """
    if isinstance(node, dict):
        for k, v in node.items():
            if not (key == "" and k in ("hydra", "output_dir")):
                check_interpolations(v, f"{key}.{k}" if key else str(k))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            check_interpolations(v, f"{key}[{i}]")
    elif isinstance(node, str) and (m := RESOLVER_CALL.search(node)):
        raise ConfigError(
            f"{key}: '{node}' calls the resolver {m.group(1)}; values of the model config may not read "
            "the environment or call resolvers (they are written into config.yaml and the report); write the value"
        )


def compose(overrides: Sequence[str] = (), hydra_node: bool = False, state: tuple | None = None) -> DictConfig:
    """Compose conf/ with Hydra override strings; any failure becomes a one-line ConfigError.

    A composition is kept on disk (sim.config.stored) under a key of all it reads, so
    another process asking for the same one unpickles it (about 0.01 s, not 0.3).
    state: conf_state(), when the caller has it already.
    """
    register()
    if GlobalHydra.instance().is_initialized():
        raise ConfigError(INSIDE_HYDRA)
    check_conf_dir(CONF_DIR)
    key = stored.key_of(overrides, hydra_node, conf_state() if state is None else state)
    cfg = stored.read(key)
    if cfg is not None:
        return cfg
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=list(overrides), return_hydra_config=hydra_node)
    except (HydraException, OmegaConfBaseException, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(one_line(exc)) from exc
    stored.write(key, cfg)
    return cfg


#: Configs this process has composed, by (overrides, the content of conf/'s files), newest last, pickled:
#: unpickling makes a caller's copy in about a seventh of the time of copy.deepcopy (8 ms, not 60).
_COMPOSED: OrderedDict[tuple, bytes] = OrderedDict()
#: How many each memo keeps: a composed config takes about 0.2 MB pickled; a group-choice base also keeps
#: its DictConfig (about 1.6 MB).
_KEEP = 16


def conf_state() -> tuple:
    """Every file of conf/ with a digest of its content: a composed config holds while these do
    (reading and hashing them takes about a millisecond)."""
    return tuple(
        (str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        for path in sorted(CONF_DIR.rglob("*"))
        if path.is_file()
    )


def load_config(scenario: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """Compose and validate the config of a named scenario.

    scenario: a file name in conf/scenario/ (default baseline_2020);
    overrides: Hydra override strings, e.g. ["ensemble.n=50", "combat.uav_erosion.value=0.1"].
    Raises ConfigError with a one-line message on any bad input.

    Composing reads and merges every file of conf/ (about 0.5 s); notebooks, the
    page, the backtest and the contrast ask for the same configs again and again.
    So a process remembers the last few it composed, by the overrides and the
    content of conf/'s files (an edited file composes afresh), and returns a copy
    (about 0.01 s) that the caller may change; a config that differs from one
    composed before only in its values is set up from that one (`composed`, about 0.2 s).
    """
    args = list(overrides)
    refuse_range_overrides(args)
    if scenario is not None:
        if scenario not in scenarios():
            hint = did_you_mean(scenario, scenarios())
            raise ConfigError(f"scenario: '{scenario}' is unknown{hint}; expected one of {', '.join(scenarios())}")
        args.insert(0, f"scenario={scenario}")
    if GlobalHydra.instance().is_initialized():
        raise ConfigError(INSIDE_HYDRA)
    state = conf_state()
    key = (tuple(args), state)
    kept = _COMPOSED.get(key)
    if kept is None:
        kept = _remember(_COMPOSED, key, pickled(composed(args, state)))
    else:
        _COMPOSED.move_to_end(key)
    return pickle.loads(kept)


def pickled(cfg: DictConfig) -> bytes:
    """A config as a memo keeps it: pickled, so that each copy of it is one pickle.loads."""
    return pickle.dumps(cfg, protocol=pickle.HIGHEST_PROTOCOL)


def _remember(memo: OrderedDict, key: tuple, value: Any) -> Any:
    memo[key] = value
    while len(memo) > _KEEP:
        memo.popitem(last=False)
    return value


#: Configs composed from group choices alone (unchecked, unresolved), by (choices, conf/'s content):
#: the config, and its pickle for copies to set values on.
_BASES: OrderedDict[tuple, tuple[DictConfig, bytes]] = OrderedDict()


def is_group_choice(name: str) -> bool:
    """Whether an override's key names a config group (scenario, combat, tools/...), not a value."""
    return "/" in name or (CONF_DIR / name).is_dir()


def composed(args: list[str], state: tuple) -> DictConfig:
    """check(compose(args)), by a shorter route where it gives the same config.

    Hydra composes in two steps: the config groups chosen (scenario=..., combat=...)
    make up the defaults, then each plain value override (key=value on a key that
    exists) is set on the result with OmegaConf.update, in order. Most calls differ
    only in their values, so the first step is composed once per set of choices
    and the second done here, as Hydra does it. Anything else (adding or deleting a
    key, a package, a sweep, a key that does not exist, a value that cannot be
    set) goes through Hydra whole, which also words its errors.
    """
    cfg = values_on_choices(args, state)
    return check(compose(args) if cfg is None else cfg)


def values_on_choices(args: list[str], state: tuple, hydra_node: bool = False) -> DictConfig | None:
    """The short route of `composed` (unchecked), or None where only Hydra's whole composition will do.

    hydra_node: compose the group choices with Hydra's own node (its interpolations, such as the run
    folder under ${output_dir}, then read the values set here, as in Hydra's composition).
    """
    try:
        parsed = OverridesParser.create().parse_overrides(args)
    except HydraException:
        return None
    hydra_only = (o.is_sweep_override() or o.is_add() or o.is_force_add() or o.is_delete() for o in parsed)
    # Hydra's own settings (hydra.searchpath decides where the groups are found) take the whole route too.
    own = (o.key_or_group.split(".")[0] == "hydra" for o in parsed)
    if any(hydra_only) or any(own) or any(o.package is not None for o in parsed):
        return None
    groups = [str(o.input_line) for o in parsed if is_group_choice(o.key_or_group)]
    base_key = (tuple(groups), hydra_node, state)
    found = _BASES.get(base_key)
    if found is None:
        base = compose(groups, hydra_node=hydra_node, state=state)
        found = _remember(_BASES, base_key, (base, pickled(base)))
    values = [o for o in parsed if not is_group_choice(o.key_or_group)]
    if not values:
        return found[0]  # `check` makes a new config and leaves the one it checks as it was
    cfg = pickle.loads(found[1])
    try:
        for o in values:
            if OmegaConf.select(cfg, o.key_or_group, throw_on_missing=False) is None:
                return None
            OmegaConf.update(cfg, o.key_or_group, o.value(), merge=True)
    except OmegaConfBaseException:
        return None
    return cfg


def check(cfg: DictConfig) -> DictConfig:
    """Validate a composed config as a whole and return it conformed to the schema (sim.config.conform):
    values present, keys known, types converted, ranges, names.

    The `hydra` node, when present, is Hydra's own: it is left out of the checks and kept as it is.
    The config returned is a new one; the one given is left as it was.
    """
    conformed = checked(cfg)
    if "hydra" in cfg:
        conformed["hydra"] = OmegaConf.to_container(cfg.hydra, resolve=False)
    return config_of(conformed)


def config_of(conformed: dict) -> DictConfig:
    """The DictConfig of a conformed container, closed as Hydra leaves a composed config: a key that is
    not there cannot be set."""
    out = OmegaConf.create(conformed)
    OmegaConf.set_struct(out, True)
    return out


def checked(cfg: DictConfig) -> dict:
    """The checks of `check`, giving the conformed config as a plain container (no `hydra` node): for a
    caller that only needs to know a config is good (making the DictConfig is most of a check's cost)."""
    try:
        body = OmegaConf.masked_copy(cfg, [str(k) for k in cfg if k != "hydra"]) if "hydra" in cfg else cfg
        raw = OmegaConf.to_container(body, resolve=False)
        refuse_unknown_actors(raw)
        missing = first_missing(raw)
        if missing:
            raise ConfigError(f"{missing}: no value given (??? in the config); set it in its file or as an override")
        check_interpolations(raw)
        container = OmegaConf.to_container(body, resolve=True)
    except OmegaConfBaseException as exc:
        raise ConfigError(one_line(exc)) from exc
    conformed = conform(container, Config)
    validate(plain(conformed))
    return conformed
