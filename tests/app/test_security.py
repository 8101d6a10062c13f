"""Security of the served app: visitors get widgets, never code execution, sources, paths or files.

A standalone Voilà server is started exactly as ``make app`` starts it (``voila notebooks/`` from the
repository root, so the app's ``voila.json`` is read; loopback only, on a free port) and attacked over
HTTP and the kernel websocket:

- an ``execute_request`` sent on the kernel channel of a rendered page (legacy JSON protocol and the
  binary ``v1.kernel.websocket.jupyter.org`` protocol, shell and control channels) is refused and has no
  effect: the code would create a file and the file never appears, although a ``kernel_info_request``
  sent right after it on the same channel *is* answered (so the channel works and the kernel has already
  handled everything queued before it);
- no rendered page carries a traceback, an absolute file path or a line of notebook source code;
- the static file handler refuses notebooks, Python files, the dependency lock and path traversal, and
  the Jupyter REST endpoints that would list kernels, files or sessions do not exist.

Voilà's own regression test for the refusal is ``tests/app/execute_test.py::test_no_execute_allowed``
(voila-dashboards/voila); see /work/shared/reference/jupyter-practices.md, section 3 "Security".
"""

from __future__ import annotations

import asyncio
import html
import http.client
import json
import re
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests.support.app_process import AppProcess
from tests.support.paths import REPO_ROOT

pytest.importorskip("voila")
tornado_websocket = pytest.importorskip("tornado.websocket")

REPO = REPO_ROOT
NOTEBOOKS = REPO / "notebooks"
VOILA = Path(sys.executable).with_name("voila")
STARTUP_TIMEOUT_S = 90.0
PAGE_TIMEOUT_S = 180.0

pytestmark = pytest.mark.slow


def _fallback_notebooks(tmp: Path) -> Path:
    """A tiny stand-in notebook folder, used only while ``notebooks/`` holds no notebook yet."""
    folder = tmp / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Stand-in page"),
        nbformat.v4.new_code_cell(
            "stand_in_secret_value = 6 * 7\nprint('stand-in page', stand_in_secret_value)"
        ),
    ]
    nbformat.write(nb, folder / "00_stand_in.ipynb")
    return folder


class VoilaServer(AppProcess):
    """The app server (:class:`~tests.support.app_process.AppProcess`) with a byte-exact HTTP client."""

    def raw_get(self, path: str, *, follow: int = 3) -> tuple[int, bytes]:
        """GET ``path`` byte-for-byte (no client-side normalisation of ``..``), following local redirects."""
        for _ in range(follow + 1):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=PAGE_TIMEOUT_S)
            try:
                conn.putrequest("GET", path, skip_accept_encoding=True)
                conn.endheaders()
                resp = conn.getresponse()
                status, body, location = resp.status, resp.read(), resp.getheader("Location")
            finally:
                conn.close()
            if status not in (301, 302, 303, 307, 308) or not location:
                return status, body
            assert location.startswith("/"), f"{path} redirects off the server to {location}"
            path = location
        return status, body


@pytest.fixture(scope="module")
def served_notebooks(tmp_path_factory) -> Path:
    if any(NOTEBOOKS.glob("*.ipynb")):
        return NOTEBOOKS
    return _fallback_notebooks(tmp_path_factory.mktemp("voila-root"))


@pytest.fixture(scope="module")
def voila_server(served_notebooks, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("voila-log") / "voila.log"
    server = VoilaServer(served_notebooks, cwd=REPO, log_path=log_path)
    with server.running(STARTUP_TIMEOUT_S):
        yield server


@pytest.fixture(scope="module")
def rendered_pages(voila_server, served_notebooks) -> dict[str, str]:
    """Every notebook's rendered HTML, fetched over HTTP (two at a time: 2 cores)."""
    names = sorted(p.name for p in served_notebooks.glob("*.ipynb"))

    def fetch(name: str) -> tuple[str, str]:
        status, body = voila_server.raw_get(f"/voila/render/{name}")
        assert status == 200, f"{name}: HTTP {status}"
        return name, body.decode("utf-8", errors="replace")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(fetch, names))


def _flagship(pages: dict[str, str]) -> str:
    explorer = [name for name in pages if "session_explorer" in name]
    return explorer[0] if explorer else sorted(pages)[0]


def _kernel_id(page: str) -> str:
    match = re.search(r"""kernelId["']?\s*:\s*["']([0-9a-fA-F-]{36})["']""", page)
    assert match, "the rendered page carries no kernel id"
    return match.group(1)


# ----------------------------------------------------------------------------------------------------
# Kernel websocket: no code execution
# ----------------------------------------------------------------------------------------------------


def _message(msg_type: str, content: dict, session: str) -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "student",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "2026-01-01T00:00:00Z",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "buffers": [],
    }


def _execute_content(code: str) -> dict:
    return {
        "code": code,
        "silent": False,
        "store_history": False,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": False,
    }


def _encode_v1(msg: dict, channel: str) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    parts = [json.dumps(msg[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    return serialize_msg_to_ws_v1(parts, channel)


def _decode(frame: str | bytes) -> dict:
    if isinstance(frame, str):
        return json.loads(frame)
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    channel, parts = deserialize_msg_from_ws_v1(frame)
    return {
        "channel": channel,
        "header": json.loads(parts[0]),
        "parent_header": json.loads(parts[1]),
        "content": json.loads(parts[3]) if len(parts) > 3 else {},
    }


async def _attempt_execution(base: str, kernel_id: str, code: str, *, channel: str, binary: bool):
    """Send ``execute_request`` then ``kernel_info_request``; return every reply to either one."""
    session = uuid.uuid4().hex
    url = f"{base.replace('http://', 'ws://')}/api/kernels/{kernel_id}/channels?session_id={session}"
    protocols = ["v1.kernel.websocket.jupyter.org"] if binary else None
    conn = await asyncio.wait_for(tornado_websocket.websocket_connect(url, subprotocols=protocols), 30)
    try:
        if binary:
            assert conn.selected_subprotocol == "v1.kernel.websocket.jupyter.org"
        execute = _message("execute_request", _execute_content(code), session)
        probe = _message("kernel_info_request", {}, session)
        for msg in (execute, probe):
            if binary:
                await conn.write_message(_encode_v1(msg, channel), binary=True)
            else:
                await conn.write_message(json.dumps({**msg, "channel": channel}))
        replies: list[dict] = []
        ids = {execute["header"]["msg_id"], probe["header"]["msg_id"]}
        deadline = time.monotonic() + 30
        got_probe_reply = False
        while time.monotonic() < deadline:
            try:
                frame = await asyncio.wait_for(
                    conn.read_message(), timeout=max(0.1, deadline - time.monotonic())
                )
            except TimeoutError:
                break
            if frame is None:
                break
            msg = _decode(frame)
            if msg.get("parent_header", {}).get("msg_id") in ids:
                replies.append(msg)
            if msg["header"]["msg_type"] == "kernel_info_reply" and (
                msg["parent_header"].get("msg_id") == probe["header"]["msg_id"]
            ):
                got_probe_reply = True
                # Give a (wrongly) forwarded execute_request time to produce its iopub output too.
                deadline = min(deadline, time.monotonic() + 1.5)
        return execute["header"]["msg_id"], got_probe_reply, replies
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("channel", "binary"),
    [("shell", False), ("control", False), ("shell", True)],
    ids=["json-shell", "json-control", "v1-binary-shell"],
)
def test_execute_request_is_refused_and_has_no_effect(
    voila_server, rendered_pages, tmp_path, channel, binary
):
    marker = tmp_path / "visitor-ran-code.txt"
    code = f"open({str(marker)!r}, 'w').write('a visitor executed code')"
    page = rendered_pages[_flagship(rendered_pages)]
    attempt = _attempt_execution(voila_server.base, _kernel_id(page), code, channel=channel, binary=binary)
    # On a thread of its own: the browser tests' session-wide Playwright (sync API) keeps an event loop
    # running on the main thread, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        execute_id, got_probe_reply, replies = pool.submit(asyncio.run, attempt).result()
    # The channel is live: the harmless request sent right after was answered ...
    if channel == "shell":
        assert got_probe_reply, "kernel_info_request was not answered: the test proves nothing"
    # ... but nothing ever answered, echoed or ran the execute_request.
    assert not [m for m in replies if m["parent_header"].get("msg_id") == execute_id]
    time.sleep(0.5)
    assert not marker.exists(), "a visitor's execute_request ran code in the app's kernel"
    assert 'Received message of type "execute_request", which is not allowed' in voila_server.log()


# ----------------------------------------------------------------------------------------------------
# Rendered HTML: no traceback, path or source
# ----------------------------------------------------------------------------------------------------

TRACEBACK_MARKERS = (
    "Traceback (most recent call last)",
    'File "/',
    "ename",  # nbformat error output field
    "evalue",
    "output_error",  # nbconvert's CSS class for error outputs
    "application/vnd.jupyter.stderr",
)


def _source_lines(notebook: Path) -> list[str]:
    """Lines of code worth hiding: long enough not to be an accidental match of visible text."""
    nb = nbformat.read(notebook, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) >= 20 and not line.startswith("#") and re.search(r"[=(\[]|^(import|from) ", line):
                lines.append(line)
    return lines


def test_every_page_renders_without_traceback_path_or_source(rendered_pages, served_notebooks):
    assert rendered_pages, "no notebook was served"
    forbidden_paths = {
        str(REPO),
        str(served_notebooks.resolve()),
        sys.prefix,
        "site-packages",
        "/home/",
        "/tmp/",
    }
    for name, page in rendered_pages.items():
        text = html.unescape(page)
        for marker in TRACEBACK_MARKERS:
            assert marker not in page and marker not in text, f"{name}: error output {marker!r} in page"
        for path in forbidden_paths:
            assert path not in text, f"{name}: file path {path!r} reaches the page"
        for line in _source_lines(served_notebooks / name):
            assert line not in text, f"{name}: source code line {line!r} reaches the page"


_OFF_MACHINE = re.compile(
    r"""<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)\s*=\s*["']((?:https?:)?//[^"']+)""", re.I
)


def _remote_links(page: str) -> list[str]:
    """Stylesheets, scripts, images and frames of ``page`` that would be fetched from another machine."""
    return [
        url
        for url in _OFF_MACHINE.findall(page)
        if not re.match(r"(?:https?:)?//(127\.0\.0\.1|localhost)[:/]", url)
    ]


def test_pages_load_nothing_from_another_machine(rendered_pages):
    """Offline first: no stylesheet, script or image in a served page points off the machine.

    Voilà's own "lab" template links Font Awesome from cdn.jsdelivr.net (render-blocking on a poor network);
    the app's template ``empathy`` (``empathy_explorer/app/voila_template``, selected in voila.json) removes
    it.
    """
    assert rendered_pages, "no notebook was served"
    for name, page in rendered_pages.items():
        remote = _remote_links(page)
        assert not remote, f"{name}: the page loads {remote} from another machine"


def test_error_pages_carry_no_traceback(voila_server):
    """Error pages say what went wrong and nothing more, and need no network (the app's page.html)."""
    for path in ("/voila/render/no_such_notebook.ipynb", "/voila/render/../pyproject.toml", "/no/such/page"):
        status, body = voila_server.raw_get(path)
        assert status >= 400, path
        page = body.decode("utf-8", errors="replace")
        text = html.unescape(page)
        assert "Traceback" not in text and str(REPO) not in text and sys.prefix not in text, path
        remote = _remote_links(page)
        assert not remote, f"{path}: the error page loads {remote} from another machine"


# ----------------------------------------------------------------------------------------------------
# Static files: only what the app needs
# ----------------------------------------------------------------------------------------------------


def _refused_paths(served_notebooks: Path) -> list[str]:
    notebook = sorted(p.name for p in served_notebooks.glob("*.ipynb"))[0]
    return [
        f"/voila/files/{notebook}",
        f"/voila/files/./{notebook}",
        f"/voila/files/{notebook.upper()}",
        "/voila/files/../pyproject.toml",
        "/voila/files/%2e%2e/pyproject.toml",
        "/voila/files/..%2fpyproject.toml",
        "/voila/files/../requirements.txt",
        "/voila/files/../voila.json",
        "/voila/files/../empathy_explorer/__init__.py",
        "/voila/files/../empathy_explorer/errors.py",
        "/voila/files/../tests/app/test_security.py",
        "/voila/files/../.git/config",
        "/voila/files/../../../../../../etc/passwd",
        "/voila/files/../../../../../../etc/passwd%00.png",
        "/voila/files/../../../../../../etc/hostname.png",
        "/voila/templates/lab/static/../../../../../../../../etc/passwd",
        "/voila/static/../../../../../../../../etc/passwd",
        "/voila/static/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    ]


def test_static_file_handler_refuses_code_notebooks_and_traversal(voila_server, served_notebooks):
    secrets = [
        (REPO / "pyproject.toml").read_bytes()[:60],
        (REPO / "requirements.txt").read_bytes()[:60],
        b"root:x:0:0",
        b'"nbformat"',
        b"EmpathyExplorerError",
    ]
    for path in _refused_paths(served_notebooks):
        status, body = voila_server.raw_get(path)
        # Refused means an error status (Voilà's template handler answers some traversals with a bare 500
        # from an internal assert: still a refusal, and checked below to carry no traceback or content).
        assert status >= 400, f"{path} answered HTTP {status}"
        assert b"Traceback" not in body and str(REPO).encode() not in body, f"{path}: error page leaks"
        for secret in secrets:
            assert secret not in body, f"{path} leaked file content"


@pytest.mark.parametrize(
    "path",
    [
        "/api/kernels",
        "/api/sessions",
        "/api/contents",
        "/api/contents/pyproject.toml",
        "/api/terminals",
        "/lab",
        "/tree",
        "/notebooks/",
        "/edit/pyproject.toml",
        "/files/pyproject.toml",
        "/api/kernelspecs",
    ],
)
def test_jupyter_rest_endpoints_are_absent(voila_server, path):
    status, body = voila_server.raw_get(path)
    assert status in (403, 404, 405), f"{path} answered HTTP {status}: {body[:200]!r}"


@pytest.mark.parametrize("path", ["/", "/voila/tree", "/voila/tree?classic-tree=true"])
def test_front_door_leads_to_start_here_and_loads_nothing_from_another_machine(
    voila_server, served_notebooks, path
):
    """The folder page at the app's address (what `make app` tells a facilitator to open).

    Voilà's own folder page is drawn by JavaScript and links Font Awesome from cdn.jsdelivr.net; the app's
    template replaces it with a plain list of the pages that sends the visitor to "Start here".
    """
    status, body = voila_server.raw_get(path)
    assert status == 200, f"{path}: HTTP {status}"
    page = body.decode("utf-8", errors="replace")
    remote = _remote_links(page)
    assert not remote, f"{path}: the page loads {remote} from another machine"
    for notebook in sorted(served_notebooks.glob("*.ipynb")):
        assert f'href="/voila/render/{notebook.name}"' in page, f"{path}: no link to {notebook.name}"
    if (served_notebooks / "00_start_here.ipynb").exists():
        assert re.search(
            r'<meta http-equiv="refresh" content="0; url=/voila/render/00_start_here\.ipynb">', page
        ), f"{path}: does not send the visitor to Start here"
