"""Every page's kernel stays light: no scipy.signal / scipy.stats unless the page really filters.

Why: on Binder a student gets 1–2 GB and may hold several pages open; the app's budget is 250 MB per
kernel (benchmarks/app_latency.py).
``scipy.signal`` imports ``scipy.stats`` and together they add ≈ 45 MB and ≈ 0.5–1 s to every kernel that
imports them. The session explorer (notebook 07) and pages 00, 01 and 06 never need them on load, so a
module-level ``import scipy.signal``/``scipy.stats`` anywhere on their import path is a regression.

The light replacements in :mod:`empathy_explorer.stats` must give exactly the numbers ``scipy.stats``
gives (they make the same ``scipy.special`` calls), which the second half of this file checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from empathy_explorer.errors import InputError
from empathy_explorer.stats import normal_quantile, spearman_rho, t_quantile, t_upper_tail
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
HEAVY = ("scipy.signal", "scipy.stats")

#: Kernel RSS of notebook 07 after it ran in a fresh kernel, measured on the 2-core dev machine
#: (python 3.11, numpy 2.4, pandas 3.1, altair 5.5): 177 MB (222 MB before scipy.signal/scipy.stats were
#: made lazy). Bound = measured + 15 %.
NOTEBOOK_07_RSS_MB = 177.0 * 1.15


def _loaded_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; return which heavy modules it left in ``sys.modules``."""
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_probe_sees_a_heavy_import():
    """The check can fail: importing scipy.signal directly is seen."""
    assert _loaded_after("import scipy.signal") == ["scipy.signal", "scipy.stats"]


@pytest.mark.parametrize(
    "module",
    [  # the explorer itself: see the next test, which also builds it
        "empathy_explorer.recordings",
        "empathy_explorer.preprocess",
        "empathy_explorer.synchrony",
        "empathy_explorer.sessions",
        "empathy_explorer.sessions.simulate",
        "empathy_explorer.stats",
        "empathy_explorer.lessons.clinic",
        "empathy_explorer.lessons.cohort",
    ],
)
def test_importing_does_not_load_scipy_signal_or_stats(module):
    assert _loaded_after(f"import {module}") == []


def test_building_the_session_explorer_does_not_load_scipy_signal_or_stats():
    """Notebook 07's first cell: the explorer with its default session, method and chart."""
    code = """
        from empathy_explorer.app.explorer import SessionExplorer
        from empathy_explorer.recordings import MAX_FILE_BYTES

        SessionExplorer()
        assert MAX_FILE_BYTES > 0
    """
    assert _loaded_after(code) == []


def test_pages_00_01_06_demos_do_not_load_scipy_signal_or_stats():
    code = """
        from empathy_explorer.lessons.clinic import care_reliability_demo, care_scores_demo
        from empathy_explorer.lessons.cohort import cohort_scatter_demo, recruitment_demo
        from empathy_explorer.stats import confidence_band, r_confidence_interval

        care_scores_demo(); care_reliability_demo(); cohort_scatter_demo(); recruitment_demo()
        confidence_band(0.47, n_min=5, n_max=200); r_confidence_interval(0.47, 20)
    """
    assert _loaded_after(code) == []


# --- the light replacements give scipy.stats' numbers exactly ------------------------------------------


def test_normal_quantile_is_scipy_norm_ppf():
    q = np.r_[0.0, 1e-300, 0.025, 0.5, 0.975, 1.0 - 1e-16, 1.0, np.random.default_rng(0).random(2000)]
    np.testing.assert_array_equal(normal_quantile(q), sps.norm.ppf(q))
    assert normal_quantile(0.975) == sps.norm.ppf(0.975)
    assert normal_quantile(0.975) == pytest.approx(1.959964, abs=1e-6)  # textbook value


def test_t_quantile_and_tail_are_scipy_t():
    rng = np.random.default_rng(1)
    q = rng.random(2000)
    df = rng.integers(1, 400, 2000).astype(float)
    t = rng.standard_normal(2000) * 4
    np.testing.assert_array_equal(t_quantile(q, df), sps.t.ppf(q, df))
    np.testing.assert_array_equal(t_upper_tail(np.abs(t), df), sps.t.sf(np.abs(t), df))
    assert t_quantile(0.975, 18) == pytest.approx(2.100922, abs=1e-6)  # t table, df = 18
    assert t_upper_tail(0.0, 7) == 0.5
    assert np.isnan(t_quantile(0.5, 0)) and np.isnan(sps.t.ppf(0.5, 0))


def _average_ranks_loop(values):
    """Plain reference: rank = 1 + number smaller + (number equal - 1) / 2."""
    return np.array([1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2 for v in values])


@pytest.mark.parametrize("seed", range(6))
def test_spearman_rho_is_scipy_spearmanr_with_and_without_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    x = rng.standard_normal(n)
    y = 0.5 * x + rng.standard_normal(n)
    if seed % 2:  # many ties, as in averages of whole-number ratings
        x, y = np.round(x), np.round(y * 2) / 2
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        x[0] += 1.0
        y[-1] += 1.0
    assert spearman_rho(x, y) == sps.spearmanr(x, y).statistic
    loop = np.corrcoef(_average_ranks_loop(x), _average_ranks_loop(y))[0, 1]
    assert spearman_rho(x, y) == pytest.approx(loop, abs=1e-12)


def test_spearman_rho_known_values_and_bad_input():
    assert spearman_rho([1, 2, 3, 4], [10, 20, 30, 400]) == pytest.approx(1.0)
    assert spearman_rho([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(spearman_rho([1, 2, 3], [5, 5, 5]))
    with pytest.raises(InputError, match="equal length"):
        spearman_rho([1, 2, 3], [1, 2])
    with pytest.raises(InputError, match="finite"):
        spearman_rho([1, np.nan, 3], [1, 2, 3])


# --- the measured memory of the explorer's kernel ----------------------------------------------------


def _rss_mb(pid: int) -> float:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dev dependency
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        return int(kb) / 1024
    return psutil.Process(pid).memory_info().rss / 2**20


@pytest.mark.slow
def test_notebook_07_kernel_stays_under_its_measured_memory():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(REPO / "notebooks" / "07_session_explorer.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        rss = _rss_mb(client.km.provisioner.pid)
    assert 60 < rss <= NOTEBOOK_07_RSS_MB, f"kernel RSS {rss:.0f} MB (bound {NOTEBOOK_07_RSS_MB:.0f} MB)"
