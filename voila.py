"""Voilà configuration that JSON cannot express (read with voila.json from the directory `make app` runs in).

Voilà 0.5 protects kernels waiting in its preheated pool from idle culling, but not the moment after a
visitor takes one: the kernel has been idle since it was preheated, the visitor's page has not connected
yet, and the next cull poll shuts it down, so the page hangs at "Executing…" (reproduced here with
``cull_idle_timeout`` shorter than the time a kernel waited in the pool). This kernel manager gives every
kernel at least one full ``cull_idle_timeout`` after the culler first sees it outside the pool. Closed
pages are still culled (after one to two timeouts).
"""

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class PoolSafeKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` that never culls a kernel just handed out from Voilà's pool."""

    def cull_kernel_if_idle(self, kernel_id):
        first_seen = self.__dict__.setdefault("_first_seen_by_culler", {})
        for gone in [k for k in first_seen if k not in self._kernels]:
            del first_seen[gone]
        now = utcnow()
        first = first_seen.setdefault(kernel_id, now)
        if (now - first).total_seconds() < self.cull_idle_timeout:
            return None
        return super().cull_kernel_if_idle(kernel_id)


c.VoilaConfiguration.multi_kernel_manager_class = PoolSafeKernelManager  # noqa: F821 (traitlets config)
