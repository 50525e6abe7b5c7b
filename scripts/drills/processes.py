"""Child processes started in their own process group (gunicorn, Celery
workers), so that a signal reaches their pool too, as a lost machine's end does.
Shared by the fault drills, the chains' worker tests and `make bench`."""

import os
import signal
import subprocess
from typing import Any


def kill_group(proc: "subprocess.Popen[Any] | None") -> None:
    """SIGKILL to the process and its children: no goodbye, no acknowledgement."""
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def stop_group(proc: "subprocess.Popen[Any] | None", timeout: float = 20) -> None:
    """SIGTERM (a warm shutdown), then SIGKILL after `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
