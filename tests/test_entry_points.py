"""Every entry point is a Hydra app with one syntax: key=value, -m sweeps, Hydra's --help; bad input is one line.

The five commands (experiments.run, .backtest, .calibrate, .sensitivity, .contrast) are run
as real subprocesses for --help and for one wrong override each (a few seconds
apiece); the shared command-line helpers of experiments.cli are tested directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments import backtest, cli, command_line, sensitivity
from sim.config.schema import ConfigError

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ["backtest", "calibrate", "sensitivity", "contrast"]


def command(tool: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", f"experiments.{tool}", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


# --- the shared helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("overrides=[scenario.horizon_days=60]", "overrides=['scenario.horizon_days=60']"),
        ("overrides=[a=1,scenario.targets=[north,south]]", "overrides=['a=1','scenario.targets=[north,south]']"),
        ("overrides=['a=1']", "overrides=['a=1']"),
        ("overrides=[]", "overrides=[]"),
        ("params=[a,b]", "params=[a,b]"),
        ("overrides=[a=1],[a=2]", "overrides=[a=1],[a=2]"),  # a sweep: left to Hydra (quote its items)
    ],
)
def test_model_override_lists_are_quoted_for_hydra(word, expected):
    assert command_line.quote_model_overrides(word) == expected


def test_jobs_of_a_sweep_come_in_hydras_order():
    jobs = command_line.expand_jobs(["n=2", "seed=1,2", "episodes=[a],[b]", "n=3"], multirun=True)
    assert jobs == [
        ["n=3", "seed=1", "episodes=[a]"],
        ["n=3", "seed=1", "episodes=[b]"],
        ["n=3", "seed=2", "episodes=[a]"],
        ["n=3", "seed=2", "episodes=[b]"],
    ]
    assert command_line.expand_jobs(["n=2"], multirun=True) == [["n=2"]]


def test_a_sweep_without_m_is_one_line_naming_the_key():
    with pytest.raises(ConfigError, match=r"^seed: '1,2' is a sweep; add -m"):
        command_line.expand_jobs(["seed=1,2"], multirun=False)


def test_tool_defaults_follow_the_package():
    """conf/tools/sensitivity.yaml spells out defaults the package also names: they must agree."""
    from sim.analysis.sensitivity import OUTCOMES
    from sim.config.loading import DEFAULT_SCENARIO

    [cfg] = cli.compose_jobs(sensitivity.TOOL, [[]])
    assert list(cfg.outcomes) == list(OUTCOMES) and cfg.scenario == DEFAULT_SCENARIO
    [cfg] = cli.compose_jobs(backtest.TOOL, [[]])
    assert cfg.targets_dir is None and cfg.episodes is None and cfg.n == 200


def test_cfg_job_shows_the_composed_options_with_model_overrides(capsys):
    assert sensitivity.main(["--cfg", "job", "overrides=[scenario.horizon_days=60]", "method=morris"]) == 0
    shown = capsys.readouterr().out
    assert "- scenario.horizon_days=60" in shown and "method: morris" in shown


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--cfg", "job", "ensemble.n=abc"], "config error: ensemble.n: expected an integer, got 'abc'"),
        (["--cfg", "job", "powers.chinaa.resolve.value=0.5"], "config error: powers.chinaa: unknown key; allowed:"),
        (["scenario=baseline_2020,arms_embargo"], "config error: scenario: 'baseline_2020,arms_embargo' is a sweep"),
    ],
    ids=["cfg-type", "cfg-actor", "sweep-without-m"],
)
def test_run_checks_what_cfg_shows_and_refuses_a_sweep_without_m(args, line, tmp_path, capsys):
    """--cfg shows the config a command would run, so its overrides are checked as a run's are; several values
    without -m are a sweep the user forgot to ask for. Each: one line, exit 2, nothing written."""
    from experiments import run

    with pytest.raises(SystemExit) as exit_:
        run.main([*args, f"output_dir={tmp_path / 'out'}"])
    assert exit_.value.code == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith(line), err
    assert list(tmp_path.iterdir()) == []
    assert backtest.main(["--cfg", "job", "n=abc"]) == 2  # and so does every tool
    assert capsys.readouterr().err.strip() == "backtest error: n: 'abc' is not allowed; expected an integer"


@pytest.mark.slow
def test_multirun_gives_each_job_its_own_folder(tmp_path, capsys):
    out = tmp_path / "sweep"
    code = backtest.main(
        ["-m", "seed=1,2", "n=2", "episodes=[july_2020]", "overrides=[scenario.horizon_days=3]", f"out={out}"]
    )
    assert code in (0, 1)
    printed = capsys.readouterr().out
    for k, seed in ((0, 1), (1, 2)):
        assert f"== job {k}: seed={seed}" in printed
        assert len(pd.read_csv(out / str(k) / "backtest.csv")) > 0
    assert sorted(p.name for p in out.iterdir()) == ["0", "1", "multirun.yaml"]


# --- the real commands ----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("tool", ["run", *TOOLS])
def test_help_is_hydras(tool, tmp_path):
    proc = command(tool, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith(f"== experiments.{tool}: ")
    if tool == "run":
        groups = proc.stdout.split("Config groups", 1)[1].split("Override any key", 1)[0]
        assert "scenario: april_2016, arms_embargo" in groups and "experiment: " in groups
        assert "backtest" not in groups and "tools" not in groups  # folders of conf/ that are no groups of run
    else:
        assert "out: outputs/" in proc.stdout and "seed: " in proc.stdout  # $CONFIG: the options and defaults
        assert "-m sweeps" in proc.stdout and f"python -m experiments.{tool} " in proc.stdout
    assert list(tmp_path.iterdir()) == []


#: One wrong override per command: (command, arguments, the one line on stderr starts with).
BAD = [
    ("run", ["+colour=red"], "config error: colour: unknown key"),
    ("backtest", ["n=abc"], "backtest error: n: 'abc' is not allowed; expected an integer"),
    ("calibrate", ["min_acceptance=1.5"], "calibrate error: min_acceptance: 1.5 is out of range; allowed [0, 1)"),
    ("sensitivity", ["-m", "base=4,12"], "sensitivity error: base: 12 is not allowed for Sobol"),
    ("contrast", ["scenarios=[april_2016]"], "contrast error: scenarios: 'april_2016' is not a counterfactual"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("tool", "args", "line"), BAD, ids=[b[0] for b in BAD])
def test_one_wrong_override_is_one_line_exit_2_nothing_written(tool, args, line, tmp_path):
    proc = command(tool, *args, cwd=tmp_path)  # the default out (or output_dir) is under tmp_path
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(line), proc.stderr
    assert proc.stdout == ""
    assert list(tmp_path.iterdir()) == []
