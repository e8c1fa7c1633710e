"""The command line shared by the Hydra entry points, read with plain sys.argv parsing.

Every entry point (experiments.run and the tools experiments.backtest,
experiments.calibrate and experiments.sensitivity) is a Hydra app with one
syntax: `key=value` overrides, `-m` to sweep (one job per value, e.g.
`-m seed=1,2`), and Hydra's own --help, --cfg and --info. Before a command line
is handed to Hydra it is checked: every job it would run (each value of a sweep)
is composed and checked, and bad input prints one line naming the key and what
is allowed, exits with 2 and writes nothing.

A tool writes into its `out` folder. Under -m, job k writes into <out>/<k>
(Hydra's sweep folder is `out`, where Hydra also writes multirun.yaml, and the
job's subfolder is its number), so the jobs of a sweep never share a folder.
Without -m the job writes into `out` itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import faulthandler
import shlex
import signal
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from experiments.command_line import (
    MODEL_OVERRIDE_KEYS,
    MULTIRUN,
    expand_jobs,
    quote_model_overrides,
    split_command_line,
)
from sim.config.loading import CONF_DIR

#: The tools' primary configs (a folder of its own: a key such as `scenario` is then no config group).
TOOLS_DIR = CONF_DIR / "tools"
#: Exit status and line of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted; finished chunks are kept, and a sweep (-m) or an out= folder resumes when rerun"


def stack_on_request() -> None:
    """`kill -USR1 <pid>` prints where every thread of a running command is (a stuck run says where it hangs).

    A Python-level handler, so the dump runs in the main thread (a C-level one runs in whichever
    thread the kernel picks, a worker pool's or a BLAS thread, and then shows no Python frames);
    it writes to the process's own stderr, as a caller (a test) may have replaced sys.stderr.
    """
    stderr = sys.__stderr__
    if stderr is None:
        return

    def dump(_signum: int, _frame: Any) -> None:
        with contextlib.suppress(ValueError, OSError):  # a closed or detached stderr
            faulthandler.dump_traceback(file=stderr, all_threads=True)

    with contextlib.suppress(ValueError):  # not the main thread: no signal handlers there
        signal.signal(signal.SIGUSR1, dump)


EXIT_INPUT = 2


@dataclasses.dataclass(frozen=True)
class Tool:
    """A command-line tool: its config conf/tools/<config>.yaml, typed by `schema` (registered in Hydra's ConfigStore).

    check(args) -> args validates a request (a namespace of the config's keys, with `out` the job's folder
    and `command` the command line) before anything is written, raising one of `errors` (one line naming
    the key); run(args) -> exit status does the work.
    """

    name: str
    config: str
    schema: type
    check: Callable[[Any], Any]
    run: Callable[[Any], int]
    errors: tuple[type[Exception], ...] = ()

    def keys(self) -> dict[str, Any]:
        return typing.get_type_hints(self.schema)

    def refusals(self) -> tuple[type[Exception], ...]:
        """The errors that mean bad input (one line naming the key)."""
        from sim.config.schema import ConfigError

        return (ConfigError, *self.errors)


def _expected(tp: Any, key: str, value: Any) -> str:
    """What a key of the given type accepts, in words (with an example for lists)."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    optional = len(args) < len(typing.get_args(tp))
    if optional and len(args) == 1:
        return f"{_expected(args[0], key, value)}, or null"
    if typing.get_origin(tp) is list:
        example = f"[{value}]" if value is not None and not isinstance(value, list) else "[a,b]"
        return f"a list, e.g. {key}={example}"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, str(tp))


def unknown_key(tool: Tool, key: str) -> str:
    from sim.config.errors import did_you_mean

    hint = " (model overrides go in overrides=[key=value,...])" if "overrides" in tool.keys() else ""
    return f"{key}: unknown key{did_you_mean(key, tool.keys())}; allowed: {', '.join(tool.keys())}{hint}"


def _composition_error(tool: Tool, exc: BaseException) -> str:
    from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException, ValidationError

    from sim.config.loading import one_line

    inner = exc
    while inner.__cause__ is not None and not isinstance(inner, OmegaConfBaseException):
        inner = inner.__cause__
    key = getattr(inner, "full_key", None)
    if isinstance(inner, ConfigAttributeError | ConfigKeyError) and key:
        return unknown_key(tool, key)
    if isinstance(inner, ValidationError) and key in tool.keys():
        value = getattr(inner, "value", None)
        shown = "null" if value is None else repr(value)
        return f"{key}: {shown} is not allowed; expected {_expected(tool.keys()[key], key, value)}"
    return one_line(exc)


def compose_jobs(tool: Tool, jobs: list[list[str]]) -> list:
    """The tool's config composed for each job; ConfigError (one line naming the key) on failure."""
    import yaml
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.config.schema import ConfigError

    for word in {w for job in jobs for w in job}:
        key = word.split("=", 1)[0].lstrip("+~").split("@")[0]
        if key != "hydra" and not key.startswith(("hydra.", "hydra/")) and key not in tool.keys():
            raise ConfigError(unknown_key(tool, key))
    cfgs = []
    with initialize_config_dir(config_dir=str(TOOLS_DIR), version_base="1.3"):
        for job in jobs:
            try:
                cfgs.append(compose(config_name=tool.config, overrides=job))
            except (HydraException, OmegaConfBaseException, yaml.YAMLError, ValueError) as exc:
                raise ConfigError(_composition_error(tool, exc)) from exc
    return cfgs


def request(tool: Tool, cfg, command: str, job: int | None = None, out: Path | None = None) -> Any:
    """The checked request of one job: the config's keys as attributes, `out` the job's folder.

    out: the job's folder (in a job, Hydra's); else `out` of the config, or <out>/<job> for job `job` of a sweep.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from sim.config.loading import one_line
    from sim.config.schema import ConfigError

    keys = tool.keys()
    for key in cfg:
        if key not in keys:
            raise ConfigError(unknown_key(tool, str(key)))
    missing = [k for k in keys if k not in cfg or OmegaConf.is_missing(cfg, k)]
    if missing:
        raise ConfigError(f"{missing[0]}: no value given; set it, e.g. {missing[0]}=<value>")
    try:
        values = typing.cast(dict[str, Any], OmegaConf.to_container(cfg, resolve=True))
    except OmegaConfBaseException as exc:
        raise ConfigError(one_line(exc)) from exc
    if not str(values["out"]).strip():
        raise ConfigError("out: empty; give a folder")
    if out is None:
        out = Path(values["out"]) / str(job) if job is not None else Path(values["out"])
    for folder in (Path(values["out"]), out):
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"out: {folder} is a file; give a folder")
    args = SimpleNamespace(**values)
    args.out, args.command = out, command
    return tool.check(args)


def command_line(tool: Tool, overrides: list[str]) -> str:
    """The command that runs a job, for reports: model override lists written as typed, overrides=[k=v]."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    words = []
    for word in overrides:
        key, _, value = word.partition("=")
        if key.lstrip("+~") in MODEL_OVERRIDE_KEYS and value.startswith("["):
            items = OverridesParser.create().parse_overrides([word])[0].value()
            if isinstance(items, list) and all(isinstance(i, str) and "'" not in i for i in items):
                word = f"{key}=[{','.join(items)}]"
        words.append(shlex.quote(word))
    return " ".join(["python -m experiments." + tool.name, *words])


@contextlib.contextmanager
def outside_hydra() -> Iterator[None]:
    """Set the running app's GlobalHydra aside (load_config composes conf/ itself), and restore it after."""
    from hydra.core.global_hydra import GlobalHydra

    saved = GlobalHydra.instance().hydra
    GlobalHydra.instance().clear()
    try:
        yield
    finally:
        GlobalHydra.instance().clear()
        if saved is not None:
            GlobalHydra.instance().initialize(saved)


#: Exit status of each job run in this process (the worst is the command's).
STATUSES: list[int] = []


def run_job(tool: Tool, cfg) -> int:
    """The body of a tool's @hydra.main task: check the job's request again, then run it."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    hc = HydraConfig.get()
    overrides = list(hc.overrides.task)
    multirun = hc.mode == RunMode.MULTIRUN
    out = Path(hc.runtime.output_dir) if multirun else None
    if out is not None and out.is_relative_to(Path.cwd()):
        out = out.relative_to(Path.cwd())
    with outside_hydra():
        try:
            args = request(tool, cfg, command_line(tool, overrides), out=out)
            if multirun:
                print(f"== job {hc.job.num}: {' '.join(overrides) or '(no overrides)'} -> {out}", flush=True)
            status = tool.run(args)
        except tool.refusals() as exc:
            print(f"{tool.name} error: {exc}", file=sys.stderr)
            status = EXIT_INPUT
    STATUSES.append(status)
    return status


def main(tool: Tool, app: Callable[[], Any], argv: list[str] | None = None) -> int:
    """A tool's command line: check every job it would run, then hand it to Hydra (`app`, the @hydra.main task).

    Returns the exit status: 2 on bad input (one line on stderr, nothing written), else the worst of
    the jobs' statuses (those run in this process: Hydra's default launcher runs them all here).
    """
    stack_on_request()
    argv = [quote_model_overrides(w) for w in (sys.argv[1:] if argv is None else argv)]
    words, informational = split_command_line(argv)
    if not informational:
        multirun = any(w in MULTIRUN for w in argv)
        try:
            jobs = expand_jobs(words, multirun)
            for k, cfg in enumerate(compose_jobs(tool, jobs)):
                request(tool, cfg, command_line(tool, jobs[k]), job=k if multirun else None)
        except tool.refusals() as exc:
            print(f"{tool.name} error: {exc}", file=sys.stderr)
            return EXIT_INPUT
    STATUSES.clear()
    saved = sys.argv
    sys.argv = [saved[0] if saved else tool.name, *argv]
    try:
        app()
    except SystemExit as exc:  # Hydra's --help and its own errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        print(f"{tool.name}: {INTERRUPTED}", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        sys.argv = saved
    return max(STATUSES, default=0)


def app_groups(*skip: str) -> str:
    """Hydra's $APP_CONFIG_GROUPS of the running app, without the folders of conf/ named in `skip`.

    For help templates: `${app_groups:backtest,tools}` (conf/backtest holds backtest targets, conf/tools the
    tools' configs: no groups of experiments.run).
    """
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.object_type import ObjectType

    if not GlobalHydra.instance().is_initialized():
        return ""
    loader = GlobalHydra.instance().config_loader()

    def groups(parent: str) -> Iterator[str]:
        for g in loader.list_groups(parent):
            name = f"{parent}/{g}" if parent else g
            if name in skip or name == "hydra" or name.startswith("hydra/"):
                continue
            if loader.get_group_options(name, ObjectType.CONFIG):
                yield name
            if loader.get_group_options(name, ObjectType.GROUP):
                yield from groups(name)

    return "\n".join(f"{g}: {', '.join(sorted(loader.get_group_options(g)))}" for g in sorted(groups("")))


def register_resolvers() -> None:
    """The resolvers the help templates of conf/ use (app_groups)."""
    from omegaconf import OmegaConf

    OmegaConf.register_new_resolver("app_groups", app_groups, replace=True)
