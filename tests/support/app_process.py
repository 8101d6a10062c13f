"""The app server for tests and benchmarks: :class:`AppProcess`.

The app started as ``make app`` starts it (``voila notebooks/`` from the repository root, so ``voila.json``
applies), on a free loopback port, with start, wait and stop: the one launcher of the tests
(``tests/app/test_security.py``, ``tests/browser/``) and benchmarks (``benchmarks/``). It lives with the
tests, not in the runtime package, because no page of the app needs it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "AppProcess", "free_port"]

#: Headless Chromium as the tests and benchmarks launch it: no background traffic, and a resolver rule so
#: that no host name other than 127.0.0.1 resolves even if a request slipped past a page's routes.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the operating system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppProcess:
    """A standalone Voilà process serving ``root`` on 127.0.0.1, started as ``make app`` starts it.

    Parameters
    ----------
    root : str or Path
        The notebook folder to serve (``notebooks/``).
    cwd : str or Path
        Working directory of the server; the repository root, so that its ``voila.json`` applies.
    log_path : str or Path
        File receiving the server's output (stdout and stderr).
    extra_args : sequence of str, optional
        More command-line options, e.g. ``--MappingKernelManager.cull_idle_timeout=20``.

    Examples
    --------
    >>> app = AppProcess("notebooks", cwd=".", log_path="/tmp/voila.log")  # doctest: +SKIP
    >>> app.wait_ready(); print(app.url("00_start_here.ipynb")); app.stop()  # doctest: +SKIP
    """

    def __init__(
        self,
        root: str | Path,
        *,
        cwd: str | Path,
        log_path: str | Path,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.root = Path(root)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "wb")  # closed in stop()
        voila = Path(sys.executable).with_name("voila")
        self.args = [str(root), f"--port={self.port}", "--no-browser", "--Voila.ip=127.0.0.1", *extra_args]
        self.proc = subprocess.Popen(
            [str(voila), *self.args],
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, notebook: str) -> str:
        """The address of one notebook's app page."""
        return f"{self.base}/voila/render/{notebook}"

    def log(self) -> str:
        """Everything the server has printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout_s: float = 90.0, poll_s: float = 0.3) -> None:
        """Wait until the server answers ``/`` with 200; ``RuntimeError`` (with the log) if it never does."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voilà exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(poll_s)
        raise RuntimeError(f"Voilà did not answer within {timeout_s} s:\n{self.log()}")

    @contextlib.contextmanager
    def running(self, timeout_s: float = 90.0) -> Iterator[AppProcess]:
        """Wait until the server answers, hand it over, and stop it however the block ends."""
        try:
            self.wait_ready(timeout_s)
            yield self
        finally:
            self.stop()

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop the server and its kernels (the whole process group); SIGKILL if SIGTERM is not enough."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()
