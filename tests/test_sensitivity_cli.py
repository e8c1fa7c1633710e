"""The sensitivity command line: a tiny real run, resuming, and bad input refused before anything is written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.sensitivity import main
from sim.analysis.sensitivity import OUTCOMES, run_count
from sim.runs.provenance import read_file_metadata

ROOT = Path(__file__).resolve().parent.parent
#: France's intervention force is read only once France intervenes: never in a five-day war (tests/test_sensitivity.py).
PARAMS = ["combat.killed_fraction", "mediator.strength", "powers.france.intervention_force"]
TINY = ["overrides=[scenario.horizon_days=5]", "base=4", "replicates=2", "seed=3", f"params=[{','.join(PARAMS)}]"]
#: TINY with one parameter fewer: another design.
FEWER = [*TINY[:-1], f"params=[{','.join(PARAMS[:-1])}]"]


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "experiments.sensitivity", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sens") / "out"
    proc = cli(*TINY, f"out={out}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc


@pytest.mark.slow
def test_tiny_sobol_run_writes_tables_figures_and_report(tiny_run):
    out, proc = tiny_run
    printed = int(re.search(r"= (\d+) runs$", proc.stdout.splitlines()[0]).group(1))
    runs = pd.read_parquet(out / "runs.parquet")
    assert printed == len(runs) == run_count("sobol", 3, 4, 2) == 40
    keys = [f"{p}.value" for p in PARAMS]
    assert runs.groupby("point_id").size().eq(2).all() and set(keys) <= set(runs.columns)
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 20 and set(OUTCOMES) <= set(points.columns)
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices["outcome"]) == set(OUTCOMES) and set(indices["parameter"]) == set(keys)
    assert len(indices) == len(OUTCOMES) * 3 * 2 and set(indices["index"]) == {"S1", "ST"}
    assert pd.read_parquet(out / "indices.parquet").equals(indices)
    own = read_file_metadata(out / "runs.parquet")  # the tool's tables carry the design's provenance
    assert own["config_digest"] == read_file_metadata(out / "design" / "runs.parquet")["config_digest"] != ""
    for stem in [f"sensitivity_{o}" for o in OUTCOMES] + ["discovery_regional_war", "discovery_quick_ceasefire"]:
        assert (out / f"{stem}.png").stat().st_size > 10_000 and (out / f"{stem}.svg").stat().st_size > 10_000
    boxes = pd.read_csv(out / "discovery.csv")
    assert {"target", "rule", "runs", "hits", "coverage", "density", "density_low", "density_high"} <= set(
        boxes.columns
    )
    peels = pd.read_csv(out / "prim.csv")  # PRIM beside CART: a peeling trajectory per target, one box chosen
    assert set(peels["target"]) == {"regional_war", "quick_ceasefire"}
    assert (peels.groupby("target")["chosen"].sum() <= 1).all()
    text = (out / "report.md").read_text()
    for part in (
        "## What drives each outcome",
        "## Scenario discovery",
        "regional war",
        "quick ceasefire",
        f"{printed} runs",
        "seed 3",
        "scenario.horizon_days=5",
        "sensitivity_deaths.png",
    ):
        assert part in text
    assert "Horizon 5 days" in text


@pytest.mark.slow
def test_deaths_vary_and_an_inert_parameter_gets_exactly_zero(tiny_run):
    """Common random numbers: moving France's intervention force alone leaves every run identical, so S1 = ST = 0."""
    out, _ = tiny_run
    points = pd.read_csv(out / "points.csv")
    assert points["deaths"].std() > 0
    idx = pd.read_csv(out / "indices.csv").set_index(["outcome", "parameter", "index"])["value"]
    for index in ("S1", "ST"):
        assert idx[("deaths", "powers.france.intervention_force.value", index)] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.slow
def test_rerunning_the_same_command_resumes_without_running_again(tiny_run, capsys):
    out, _ = tiny_run
    design_runs = out / "design" / "runs.parquet"
    stamp = design_runs.stat().st_mtime_ns
    before = pd.read_csv(out / "indices.csv")
    assert main([*TINY, f"out={out}"]) == 0
    assert design_runs.stat().st_mtime_ns == stamp
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), before)


@pytest.mark.slow
def test_morris_through_the_command_line(tmp_path, capsys):
    out = tmp_path / "m"
    assert (
        main(
            [
                "overrides=[scenario.horizon_days=5]",
                "method=morris",
                "base=2",
                "replicates=2",
                f"params=[{','.join(PARAMS[:2])}]",
                "outcomes=[deaths]",
                f"out={out}",
            ]
        )
        == 0
    )
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith("= 12 runs") and "2 trajectories x (2 + 1)" in first
    indices = pd.read_csv(out / "indices.csv")
    assert set(indices["index"]) == {"mu_star", "sigma"} and set(indices["outcome"]) == {"deaths"}
    assert len(pd.read_parquet(out / "runs.parquet")) == 12


BAD = [
    (["params=[combat.nonsense,mediator.strength]"], "params: 'combat.nonsense' is not a sampled parameter"),
    (["outcomes=[victory]"], "outcomes: 'victory' is unknown; expected any of p_rung_ge_5, p_rung_ge_6"),
    (["method=fast"], "method: 'fast' is not allowed; expected one of sobol, morris"),
    (["scenario=atlantis"], "scenario: 'atlantis' is unknown; expected one of april_2016, arms_embargo"),
    (["overrides=[combat.nonsense.value=1]"], "overrides: combat.nonsense"),
    (["scenario.horizon_days=60"], "scenario.horizon_days: unknown key; allowed: scenario, overrides, method"),
    (["base=12"], "base: 12 is not allowed for Sobol; expected a power of two"),
    (["levels=0"], "levels: 0 is not allowed; expected an even number >= 2"),  # under Sobol too
    (["executor=cluster"], "executor: 'cluster' is not allowed; expected one of serial, processes, ray"),
    (["params=[all]"], "max_runs: this design needs"),
    (["max_runs=100"], "max_runs: this design needs 3200 runs, above the limit of 100"),
    (["replicates=ten"], "replicates: 'ten' is not allowed; expected an integer"),
    (["-m", "base=4,12"], "base: 12 is not allowed for Sobol; expected a power of two"),
    (["ranges=prior"], "ranges: 'prior' is not allowed; expected one of declared, posterior"),
    (["ranges=posterior", "overrides=[ensemble.posterior=/nonexistent.parquet]"], "ensemble.posterior: no file"),
]


@pytest.mark.exhaustive
@pytest.mark.parametrize("args,message", BAD, ids=[b[1].split(":")[0] + str(i) for i, b in enumerate(BAD)])
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main([*args, f"out={out}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sensitivity error: ") and message in err and "\n" not in err
    assert not out.exists()


@pytest.mark.slow
def test_a_folder_of_other_files_or_another_design_is_refused(tiny_run, tmp_path, capsys):
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main([*TINY, f"out={other}"]) == 2
    assert "holds other files" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    out, _ = tiny_run
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir())
    assert main([*FEWER, f"out={out}"]) == 2
    assert "holds a different design (params differ)" in capsys.readouterr().err
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir()) == before


@pytest.mark.slow
def test_the_real_exit_status_is_2():
    proc = cli("method=fast", "out=/nonexistent/never")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == "sensitivity error: method: 'fast' is not allowed; expected one of sobol, morris"


@pytest.mark.slow
def test_second_order_costs_n_times_2k_plus_2_and_reports_pairs(tmp_path, capsys):
    out = tmp_path / "s2"
    assert (
        main(
            [
                "overrides=[scenario.horizon_days=3]",
                "base=2",
                "replicates=2",
                "second_order=true",
                f"params=[{','.join(PARAMS)}]",
                "outcomes=[deaths]",
                f"out={out}",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines()[0].endswith("2 x (2*3 + 2) = 16 points x 2 replicates = 32 runs")
    s2 = pd.read_csv(out / "indices.csv").query("index == 'S2'")
    assert len(s2) == 3 and s2["parameter"].str.contains(" x ").all()
    assert len(pd.read_parquet(out / "runs.parquet")) == 32


def test_discovery_figure_draws_the_planted_box_over_the_points():
    """Planted outcome: a > 0.6 and b <= 0.3 (c is noise); the figure's axes and box follow the best rule."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    from sim.analysis.discovery import discover
    from sim.plots.discovery import discovery_box

    rng = np.random.default_rng(1)
    pts = pd.DataFrame(rng.uniform(0, 1, (200, 3)), columns=["c.value", "a.value", "b.value"])
    runs = pts.loc[pts.index.repeat(3)].reset_index(names="point_id")
    flags = (runs["a.value"] > 0.6) & (runs["b.value"] <= 0.3)
    params = ["c.value", "a.value", "b.value"]
    boxes = discover(runs, params, flags)
    fig = discovery_box(runs, boxes, params, flags, {p: (0.0, 1.0) for p in params}, "planted outcome")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "a\n(declared range 0 to 1)" and ax.get_ylabel().startswith("b\n(")
    assert len(ax.collections[0].get_offsets()) == 200
    box = [p for p in ax.patches if isinstance(p, Rectangle)][0]
    assert box.get_x() == pytest.approx(0.6, abs=0.05) and box.get_x() + box.get_width() == pytest.approx(1.0)
    assert box.get_y() == pytest.approx(0.0) and box.get_height() == pytest.approx(0.3, abs=0.05)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("box 1: coverage 1.00, density 1.00")
    assert "planted outcome" in ax.get_title() and "95% CI" in ax.get_title()
    plt.close(fig)


def test_posterior_ranges_narrow_the_calibrated_parameters(tmp_path):
    from types import SimpleNamespace

    from sim.report.sensitivity import check_args

    post = tmp_path / "p.parquet"
    pd.DataFrame({"combat.attrition_rate.value": [0.02, 0.03, 0.04], "weight": [1.0, 1.0, 1.0]}).to_parquet(post)
    args = SimpleNamespace(
        scenario="baseline_2020", overrides=[f"ensemble.posterior={post}"], method="morris", params=None,
        base=None, levels=4, second_order=False, replicates=1, outcomes=["deaths"], seed=1, executor=None,
        workers=0, max_runs=100000, out=tmp_path / "out", ranges="posterior",
    )  # fmt: skip
    check_args(args)
    lo, hi = args.ranges_used["combat.attrition_rate.value"]
    assert 0.02 <= lo < hi <= 0.04  # the posterior's 5-95%, inside the declared [0.005, 0.2]
    assert args.ranges_used["combat.uav_weight.value"] == (0.0, 200.0)  # not calibrated: as declared


def test_docs_section_is_rewritten_between_its_markers(tmp_path, baseline_cfg):
    from types import SimpleNamespace

    from sim.report.sensitivity_docs import END, START, write_docs

    params = ["combat.attrition_rate.value", "powers.turkey.resolve.value"]
    indices = pd.DataFrame(
        [
            {"outcome": "deaths", "parameter": p, "index": i, "value": v, "conf": 0.1}
            for p, st in zip(params, (0.2, 0.6), strict=True)
            for i, v in (("ST", st), ("S1", st / 2))
        ]
    )
    args = SimpleNamespace(
        method="sobol", params=params, outcomes=["deaths"], ranges="declared", ranges_used=None, cfg=baseline_cfg,
        base=8, replicates=2, seed=1, scenario="baseline_2020",
    )  # fmt: skip
    doc = tmp_path / "sensitivity.md"
    doc.write_text(f"# Hand\n\nkept\n\n{START}\nold\n{END}\n\nafter\n")
    write_docs(args, SimpleNamespace(indices=indices, runs=pd.DataFrame({"x": range(40)})), doc)
    text = doc.read_text()
    assert text.startswith("# Hand\n\nkept") and text.rstrip().endswith("after") and "old" not in text
    assert (
        "most of all `powers.turkey.resolve` (0.60)" in text
        and "| `combat.attrition_rate` | 0.005-0.2 | 0.20 (0.10) |" in text
    )
    assert "docs=true" in text and "40 runs" in text
