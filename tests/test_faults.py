"""Faults end cleanly (sim.runs.executors, experiments.cli): the workers die with their parent even on
SIGKILL, Ctrl-C ends a command with one line and exit 130, too many workers are capped with one line,
and the Python API refuses bad arguments as the command line does. Real processes and signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from sim import ConfigError, ConflictModel, load_config, run_ensemble

ROOT = Path(__file__).resolve().parent.parent
#: What the command line of a worker of the process pool (loky's) holds.
WORKER = "loky.backend.popen_loky_posix"


def _interruptible() -> None:
    """Ctrl-C acts in the command as at a terminal: a suite started where SIGINT is ignored (in the
    background of a shell, under nohup) would hand that on, and the command would rightly keep ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,  # safe here: the test starts no threads before it
    )


def _workers(proc: subprocess.Popen, count: int, timeout: float = 90.0) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "ended early"
        kids = [k for k in psutil.Process(proc.pid).children() if WORKER in " ".join(k.cmdline())]
        if len(kids) >= count:
            return kids
        time.sleep(0.1)
    raise AssertionError(f"no {count} worker processes within {timeout} s")


@pytest.mark.slow  # starts a pool of two spawned workers
def test_sigkill_of_a_run_leaves_no_worker_alive(tmp_path):
    script = (
        "from sim import load_config, run_ensemble\n"
        "run_ensemble(load_config(), n=4000, seed=1, executor='processes', workers=2)\n"
    )
    proc = _start([sys.executable, "-c", script], tmp_path)
    workers = _workers(proc, 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers still alive 10 s after their parent was killed: {[p.pid for p in alive]}"


@pytest.mark.slow
def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    args = [sys.executable, "-m", "experiments.run", "ensemble.n=4000", "ensemble.executor=processes",
            "ensemble.workers=2", f"output_dir={tmp_path / 'out'}", "hydra.job.chdir=false"]  # fmt: skip
    proc = _start(args, tmp_path)
    workers = _workers(proc, 2)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # say where it hangs: the command prints its threads' stacks on SIGUSR1
        os.kill(proc.pid, signal.SIGUSR1)
        time.sleep(2.0)
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"still running 60 s after Ctrl-C; its threads:\n{err[-6000:]}")
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    last = [ln for ln in err.replace("\r", "\n").splitlines() if ln.strip()][-1]
    assert last.startswith("run: interrupted; finished chunks are kept"), err[-500:]
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive


@pytest.mark.slow  # starts a pool of two spawned workers
def test_a_running_command_prints_where_its_threads_are_on_sigusr1(tmp_path):
    """kill -USR1 shows where a command is (for a run that seems stuck) and leaves it running."""
    args = [sys.executable, "-m", "experiments.run", "ensemble.n=4000", "ensemble.executor=processes",
            "ensemble.workers=2", f"output_dir={tmp_path / 'out'}"]  # fmt: skip
    proc = _start(args, tmp_path)
    _workers(proc, 2)
    os.kill(proc.pid, signal.SIGUSR1)
    time.sleep(1.0)
    assert proc.poll() is None, "SIGUSR1 ended the command"
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Current thread" in err and "experiments/run.py" in err and 'File "' in err


@pytest.mark.slow  # starts a process pool
def test_more_workers_than_cores_are_capped_with_one_line(capfd):
    cfg = load_config(overrides=["scenario.horizon_days=3"])
    res = run_ensemble(cfg, n=4, seed=1, executor="processes", workers=4096)
    assert len(res.runs) == 4
    err = capfd.readouterr().err
    assert "ensemble.workers=4096 is more than this machine's" in err and "oversubscribe=true" in err


@pytest.mark.parametrize(
    ("kw", "line"),
    [
        ({"n": 0}, r"^n: 0 is out of range; allowed \[1, 10000000\]$"),
        ({"n": 2.7}, r"^n: expected a whole number, got 2.7$"),
        ({"n": "5"}, r"^n: expected a whole number, got '5'$"),
        ({"seed": -1}, r"^seed: -1 is out of range"),
        ({"workers": -1}, r"^workers: -1 is out of range"),
        ({"executor": "gpu"}, r"^executor: 'gpu' is not allowed; expected one of serial, processes, ray$"),
    ],
)
def test_the_python_api_refuses_bad_arguments_in_one_line(baseline_cfg, kw, line, tmp_path):
    with pytest.raises(ConfigError, match=line):
        run_ensemble(baseline_cfg, **kw, out=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_a_model_needs_a_config_and_a_seed():
    with pytest.raises(ConfigError, match=r"^config: expected a config from sim.load_config"):
        ConflictModel("baseline_2020")
    with pytest.raises(ConfigError, match=r"^rng: 'x' is not a seed"):
        ConflictModel(load_config(), rng="x")
    with pytest.raises(ConfigError, match=r"^config: expected a config from sim.load_config"):
        run_ensemble("baseline_2020", n=2)


def test_an_unreachable_ray_address_fails_within_its_stated_time():
    """127.0.0.1:1 answers nothing: refused in one line well within CONNECT_TIMEOUT_S (Ray alone retries forever)."""
    from sim.runs.executors import CONNECT_TIMEOUT_S

    cfg = load_config(overrides=["ensemble.executor=ray", "ensemble.ray_address=127.0.0.1:1"])
    start = time.monotonic()
    with pytest.raises(ConfigError, match=r"^ensemble.ray_address: nothing answers at 127.0.0.1:1 within"):
        run_ensemble(cfg, n=2)
    assert time.monotonic() - start < CONNECT_TIMEOUT_S + 5
    with pytest.raises(ConfigError, match=r"^ensemble.ray_address: 'nowhere' is not host:port"):
        run_ensemble(load_config(overrides=["ensemble.executor=ray", "ensemble.ray_address=nowhere"]), n=2)


def test_an_output_folder_that_cannot_be_made_is_one_line_before_anything_runs(tmp_path):
    """The command line's check refuses the folder (one composition); the folder rule itself, which
    that check calls, is tried on the other cases directly."""
    from sim.config.command_check import check_command_line, writable_folder

    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match=rf"^output_dir: {blocker}/x cannot be made: {blocker} is a file"):
        check_command_line([f"output_dir={blocker}/x"])
    with pytest.raises(ConfigError, match=r"^output_dir: /proc/x cannot be made: /proc is not writable"):
        writable_folder("output_dir", Path("/proc/x"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # nothing made, no probe left
    writable_folder("output_dir", tmp_path / "new" / "deeper")  # a folder yet to be made is fine
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


@pytest.mark.slow  # a command whose spawned workers cannot finish a chunk within a second
def test_a_chunk_timeout_is_one_line_and_exit_1(tmp_path):
    settings = ["ensemble.n=100", "ensemble.executor=processes", "ensemble.workers=2", "ensemble.timeout_s=1"]
    args = [sys.executable, "-m", "experiments.run", *settings, "ensemble.chunk_size=50", f"output_dir={tmp_path}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    last = [ln for ln in proc.stderr.replace("\r", "\n").splitlines() if ln.strip()][-1]
    assert last.startswith("run: no chunk finished within ensemble.timeout_s=1 s"), proc.stderr[-500:]


@pytest.mark.slow  # a command in a process of its own
def test_processes_refuse_a_script_read_on_stdin_in_one_line():
    script = "from sim import load_config, run_ensemble\nrun_ensemble(load_config(), n=2, executor='processes')\n"
    proc = subprocess.run([sys.executable, "-"], input=script, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "executor: 'processes' cannot start workers for a script read on stdin" in proc.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["min_acceptance=nan"], "min_acceptance: nan is out of range; allowed [0, 1)"),
        (["population=1000000000"], "population: 1000000000 is out of range; allowed [4, 100000]"),
    ],
)
def test_calibrate_refuses_absurd_requests_before_running(args, line, tmp_path, capsys):
    from experiments import calibrate

    assert calibrate.main([*args, f"out={tmp_path / 'cal'}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"calibrate error: {line}") and "\n" not in err
    assert not (tmp_path / "cal").exists()


def test_a_wrong_type_inside_a_scenario_file_names_its_key_and_reason(tmp_path):
    """The scenario file sits in a folder added to Hydra's search path, so conf/ is not touched."""
    from sim.config.loading import check, compose

    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "zz_bad.yaml").write_text(
        "# @package _global_\ndefaults:\n  - baseline_2020\nscenario:\n  name: zz_bad\n  force_commitment: abc\n"
    )
    with pytest.raises(ConfigError) as caught:
        check(compose(["scenario=zz_bad", f"hydra.searchpath=[file://{tmp_path}]"], hydra_node=False))
    assert str(caught.value) == "scenario.force_commitment: expected a number, got 'abc'"
