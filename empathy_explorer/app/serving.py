"""Server-side pieces of the Voilà app (loaded by the Voilà server from ``voila.json``, never by a kernel).

:class:`PoolSafeKernelManager`
    Voilà 0.5 protects kernels waiting in its preheated pool from idle culling, but not the moment after a
    visitor takes one: the kernel has been idle since it was preheated, the visitor's page has not
    connected yet, and the next cull poll shuts it down, so the page hangs at "Executing…" (reproduced with
    ``cull_idle_timeout`` shorter than the time a kernel waited in the pool). This kernel manager gives
    every kernel at least one full ``cull_idle_timeout`` after the culler first sees it outside the pool.
    Closed pages are still culled (after one to two timeouts).

:func:`install_template`
    Installs the app's Voilà template ``empathy`` (Voilà's "lab" template without the Font Awesome
    stylesheets it loads from a CDN: the app must render with no network) where Voilà looks for templates,
    ``<sys.prefix>/share/jupyter/voila/templates/empathy``. ``make`` and ``binder/postBuild`` run
    ``python -m empathy_explorer.app.serving install-template``; ``voila.json`` selects the template.


The kernel manager lives in the package rather than in a ``voila.py`` next to the notebooks: a top-level
``voila.py`` shadows the ``voila`` package itself whenever the repository root is on ``sys.path`` (as under
pytest).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

__all__ = ["TEMPLATE_NAME", "PoolSafeKernelManager", "install_template"]

#: Name of the app's Voilà template (``voila.json``: ``VoilaConfiguration.template``).
TEMPLATE_NAME = "empathy"
_TEMPLATE_SOURCE = Path(__file__).with_name("voila_template") / TEMPLATE_NAME


class PoolSafeKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` that never culls a kernel just handed out from Voilà's pool."""

    def cull_kernel_if_idle(self, kernel_id):  # type: ignore[override]
        first_seen = self.__dict__.setdefault("_first_seen_by_culler", {})
        for gone in [k for k in first_seen if k not in self._kernels]:
            del first_seen[gone]
        now = utcnow()
        first = first_seen.setdefault(kernel_id, now)
        if (now - first).total_seconds() < self.cull_idle_timeout:
            return None
        return super().cull_kernel_if_idle(kernel_id)


def install_template(prefix: str | Path | None = None) -> Path:
    """Copy the app's Voilà template to ``<prefix>/share/jupyter/voila/templates/empathy``.

    Parameters
    ----------
    prefix : str or Path, optional
        Installation prefix; default ``sys.prefix`` (the virtual environment Voilà runs from).

    Returns
    -------
    Path
        The template directory written (replaced if it existed).

    Examples
    --------
    >>> install_template()  # doctest: +SKIP
    PosixPath('.venv/share/jupyter/voila/templates/empathy')
    """
    target = Path(prefix or sys.prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE_NAME
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(_TEMPLATE_SOURCE, target)
    return target


if __name__ == "__main__":
    if sys.argv[1:] != ["install-template"]:
        sys.exit("usage: python -m empathy_explorer.app.serving install-template")
    print(f"Voilà template installed in {install_template()}")
