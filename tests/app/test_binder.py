"""The Binder set-up stays consistent with the project: one lock, a small image, badges that open real files.

repo2docker (what mybinder.org runs) reads only ``binder/`` when that folder exists. These tests check
that it

- installs exactly the project's one pinned runtime lock (``binder/requirements.txt`` is a single
  ``-r ../requirements.txt``; no second dependency list that could drift), with the project's Python;
- installs the package without pulling other dependencies and builds the offline chart bundle in a
  ``postBuild`` that stops at the first failing step (``set -e``);
- carries no test or lint tools (pytest, Playwright, hypothesis, ruff) into the image;
- and that the README's Binder badges open files that exist (the Voilà landing page and JupyterLab).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
BINDER = REPO / "binder"
GITHUB_REPO = "empathy-explorer/empathy-explorer"
BINDER_PREFIX = f"https://mybinder.org/v2/gh/{GITHUB_REPO}/"
LANDING_PAGE = "notebooks/00_start_here.ipynb"
TEST_TOOLS = ("pytest", "playwright", "hypothesis", "ruff")

# Files by which repo2docker would install dependencies (or a second interpreter) besides requirements.txt.
OTHER_DEPENDENCY_FILES = (
    "environment.yml",
    "environment.yaml",
    "Pipfile",
    "Pipfile.lock",
    "setup.py",
    "pyproject.toml",
    "install.R",
    "DESCRIPTION",
    "Project.toml",
    "requirements-dev.txt",
)


def _requirement_lines(path: Path) -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for line in path.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]


def _pinned_names(path: Path, seen: frozenset[Path] = frozenset()) -> set[str]:
    """Normalised project names installed by a requirements file, following ``-r`` includes."""
    names: set[str] = set()
    path = path.resolve()
    assert path not in seen, f"{path} includes itself"
    for line in _requirement_lines(path):
        if line.startswith(("-r ", "--requirement ")):
            names |= _pinned_names(path.parent / line.split(None, 1)[1], seen | {path})
            continue
        if line.startswith("-"):
            continue
        name = re.split(r"[<>=!~;\[ @]", line, maxsplit=1)[0]
        names.add(re.sub(r"[-_.]+", "-", name).lower())
    return names


def test_binder_installs_exactly_the_one_runtime_lock():
    lines = _requirement_lines(BINDER / "requirements.txt")
    assert lines == ["-r ../requirements.txt"], (
        "binder/requirements.txt must only reference the project's lock, so the two cannot drift; "
        f"it holds {lines}"
    )
    # pip resolves the include relative to the including file: it is the repository's lock.
    assert (BINDER / "../requirements.txt").resolve() == REPO / "requirements.txt"
    others = [name for name in OTHER_DEPENDENCY_FILES if (BINDER / name).exists()]
    assert not others, f"binder/ holds a second dependency list: {others}"


def test_binder_python_is_the_projects_python():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt must read like 'python-3.11'; it reads {runtime!r}"
    binder_version = (int(match[1]), int(match[2]))
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    target = project["tool"]["ruff"]["target-version"]  # e.g. "py311": the version the code is written for
    assert binder_version == (int(target[2]), int(target[3:])), f"runtime.txt {runtime} vs ruff {target}"
    floor = re.fullmatch(r">=\s*(\d+)\.(\d+)", project["project"]["requires-python"])
    assert floor and binder_version >= (int(floor[1]), int(floor[2]))
    # The lock was frozen in the 3.11 venv the Makefile builds; the CI machine has only Python 3.11.
    assert "3.11" in (REPO / ".ci" / "run").read_text()


def test_post_build_installs_the_package_and_builds_the_chart_bundle_or_fails():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable (repo2docker runs it)"
    lines = _requirement_lines(post_build)  # drops comments and blank lines
    assert post_build.read_text().startswith("#!/bin/bash") or post_build.read_text().startswith(
        "#!/usr/bin/env bash"
    )
    assert re.match(r"set -[a-z]*e[a-z]*\b", lines[0]), (
        f"postBuild must start with `set -e` (or -euo pipefail) so a failing step fails the build; "
        f"first command: {lines[0]!r}"
    )
    install = [i for i, line in enumerate(lines) if re.search(r"\bpip install\b.*(-e \.|\s\.)$", line)]
    assert install, "postBuild does not install the package"
    assert "--no-deps" in lines[install[0]], "the package's dependencies must come from the lock only"
    bundle = [i for i, line in enumerate(lines) if line == "python -m empathy_explorer.app.charts bundle"]
    assert bundle, "postBuild does not build the offline chart bundle"
    assert install[0] < bundle[0], "the bundle is built by the installed package: install first"


def test_runtime_lock_has_what_binder_needs_and_no_test_tools():
    names = _pinned_names(BINDER / "requirements.txt")
    assert {"voila", "ipykernel", "vl-convert-python", "altair", "anywidget", "ipywidgets"} <= names
    leaked = sorted(n for n in names if n in TEST_TOOLS or n.startswith("pytest-"))
    assert not leaked, f"test tools in the runtime lock (they would be installed on Binder): {leaked}"
    # ... while the dev list really does carry them (so this test would notice a move).
    assert set(TEST_TOOLS) <= _pinned_names(REPO / "requirements-dev.txt")


def _binder_links() -> list[str]:
    readme = (REPO / "README.md").read_text()
    return re.findall(r"\]\((https://mybinder\.org/v2/[^)\s]+)\)", readme)


def _urlpath(link: str) -> str:
    query = parse_qs(urlsplit(link).query)
    assert "urlpath" in query, f"Binder link without urlpath: {link}"
    return unquote(query["urlpath"][0])


def test_readme_badges_open_the_app_and_jupyterlab_on_files_that_exist():
    links = _binder_links()
    if not links:
        pytest.fail(
            "README.md has no Binder badge; expected e.g. "
            f"[![Open the app on Binder](https://mybinder.org/badge_logo.svg)]({BINDER_PREFIX}HEAD"
            f"?urlpath=voila/render/{LANDING_PAGE})"
        )
    for link in links:
        assert link.startswith(BINDER_PREFIX), f"Binder link for another repository: {link}"
    paths = [_urlpath(link) for link in links]
    voila = [p for p in paths if p.startswith("voila/render/")]
    lab = [p for p in paths if p == "lab" or p.startswith("lab/")]
    assert f"voila/render/{LANDING_PAGE}" in voila, (
        f"no badge opens the Voilà landing page; urlpaths: {paths}"
    )
    assert lab, f"no badge opens JupyterLab (?urlpath=lab); urlpaths: {paths}"
    for path in paths:
        target = re.sub(r"^(voila/render|lab/tree|lab)/?", "", path)
        assert not target or (REPO / target).is_file(), f"badge urlpath {path!r} names a missing file"
        assert not path.startswith("voila/") or target.endswith(".ipynb"), f"{path} is not a notebook page"


def test_binder_and_standalone_app_accept_uploads_up_to_the_apps_limit():
    """An upload travels to the kernel in one websocket message; a server cap below the app's file limit
    drops it silently (no message at all). Binder (server extension) and ``make app`` (standalone, voila.json)
    need the same, sufficient cap."""
    from empathy_explorer.recordings import MAX_FILE_BYTES

    binder_cfg = json.loads((BINDER / "jupyter_server_config.json").read_text())
    standalone_cfg = json.loads((REPO / "voila.json").read_text())
    binder_cap = binder_cfg["ServerApp"]["tornado_settings"]["websocket_max_message_size"]
    standalone_cap = standalone_cfg["Voila"]["tornado_settings"]["websocket_max_message_size"]
    assert binder_cap == standalone_cap
    # The file plus the widget message around it (name, type, size, JSON framing) must fit.
    assert binder_cap >= MAX_FILE_BYTES + 1_000_000, f"cap {binder_cap} B vs upload limit {MAX_FILE_BYTES} B"
    lines = _requirement_lines(BINDER / "postBuild")
    assert any("binder/jupyter_server_config.json" in line for line in lines), (
        "postBuild does not install binder/jupyter_server_config.json into the server's config"
    )


def test_binder_culls_idle_kernels_and_loads_no_mathjax_from_a_cdn():
    """On Binder the Jupyter server (not Voilà) owns kernels: it must cull closed pages' kernels, and its
    default MathJax URL points at cdnjs; 'null' makes pages use the MathJax bundled with the front end."""
    cfg = json.loads((BINDER / "jupyter_server_config.json").read_text())
    cull = cfg["MappingKernelManager"]
    assert 0 < cull["cull_idle_timeout"] <= 900 and 0 < cull["cull_interval"] <= 120
    assert cull["cull_connected"] is False  # a student reading a page keeps it
    tornado = cfg["ServerApp"]["tornado_settings"]
    assert tornado["mathjax_url"] == "null" and tornado["mathjax_config"] == "null"


def test_binder_server_settings_reach_a_real_jupyter_server(tmp_path, monkeypatch):
    """postBuild's settings must be read by Jupyter Server itself, not only sit in a file: a drop-in under
    ``jupyter_server_config.d/`` is read only to enable extensions, and with it every page on Binder failed
    ("No filter named 'ee_page'"). Install as postBuild does into an empty prefix, keeping a setting that was
    already there, then let jupyter_server's own config loader read that prefix."""
    from jupyter_server.serverapp import ServerApp

    from empathy_explorer.app.serving import install_server_config

    etc = tmp_path / "etc" / "jupyter"
    etc.mkdir(parents=True)
    (etc / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"port_retries": 3}}))
    written = install_server_config(BINDER / "jupyter_server_config.json", prefix=tmp_path)
    assert written == etc / "jupyter_server_config.json"
    lines = _requirement_lines(BINDER / "postBuild")
    assert any("install-server-config binder/jupyter_server_config.json" in line for line in lines)

    app = ServerApp()
    app.config_file_paths  # noqa: B018 - the default paths are computed lazily; ours goes first
    monkeypatch.setattr(type(app), "config_file_paths", property(lambda self: [str(etc)]))
    app.load_config_file()
    cfg = app.config
    assert cfg.VoilaExporter.filters["ee_page"] == "empathy_explorer.app.pages.page_context"
    assert cfg.ServerApp.tornado_settings["mathjax_url"] == "null"
    assert cfg.ServerApp.tornado_settings["websocket_max_message_size"] >= 20_000_000
    assert cfg.MappingKernelManager.cull_idle_timeout == 600
    assert cfg.ServerApp.port_retries == 3  # what the environment had is kept
