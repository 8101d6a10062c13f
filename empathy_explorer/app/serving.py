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

:func:`install_server_config`
    Merges the app's Jupyter Server settings (``binder/jupyter_server_config.json``) into
    ``<sys.prefix>/etc/jupyter/jupyter_server_config.json``, where Jupyter Server reads them when Voilà runs
    as its extension (Binder). A drop-in file in ``jupyter_server_config.d/`` is read only to enable
    extensions, so settings put there never reach the server.


The kernel manager lives in the package rather than in a ``voila.py`` next to the notebooks: a top-level
``voila.py`` shadows the ``voila`` package itself whenever the repository root is on ``sys.path`` (as under
pytest).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

__all__ = ["TEMPLATE_NAME", "PoolSafeKernelManager", "install_server_config", "install_template"]

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


def _merged(base: dict[str, object], extra: dict[str, object]) -> dict[str, object]:
    """``base`` updated by ``extra``, nested dictionaries merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merged(old, value)
        else:
            out[key] = value
    return out


def install_server_config(source: str | Path, prefix: str | Path | None = None) -> Path:
    """Merge the JSON settings in ``source`` into ``<prefix>/etc/jupyter/jupyter_server_config.json``.

    Settings already in that file are kept unless ``source`` sets the same key (nested objects are merged).

    Parameters
    ----------
    source : str or Path
        A Jupyter Server JSON config file (``binder/jupyter_server_config.json``).
    prefix : str or Path, optional
        Installation prefix; default ``sys.prefix`` (the environment Jupyter Server runs from).

    Returns
    -------
    Path
        The config file written.

    Examples
    --------
    >>> install_server_config("binder/jupyter_server_config.json")  # doctest: +SKIP
    PosixPath('/srv/conda/envs/notebook/etc/jupyter/jupyter_server_config.json')
    """
    extra = json.loads(Path(source).read_text(encoding="utf-8"))
    target = Path(prefix or sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    base = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(_merged(base, extra), indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["install-template"]:
        print(f"Voilà template installed in {install_template()}")
    elif len(args) == 2 and args[0] == "install-server-config":
        print(f"Server settings merged into {install_server_config(args[1])}")
    else:
        sys.exit(
            "usage: python -m empathy_explorer.app.serving install-template\n"
            "       python -m empathy_explorer.app.serving install-server-config FILE.json"
        )
