"""Start-up imports at a lower CPU priority, so a student already at work is served first.

When a class arrives at once, most of the hub's CPU goes to starting servers and
kernels, and most of that is imports (about 0.8 s for a student's server, 0.9 s
for a kernel's pandas, Matplotlib and IPython; docs/hub_admin.md). Work already
under way, a click in another student's explorer, waited behind it.

`import_in_background` runs those imports in a thread whose nice value is raised
(Linux keeps a nice value per thread), and waits for it. The process's main
thread, which later answers the student, keeps its priority: raising a nice
value needs no privilege, lowering it again would, which is why the imports get
a thread of their own. On a machine with CPU to spare it changes nothing.
"""
from __future__ import annotations

import importlib
import os
import threading

NICE = 10  # CFS weight 110 against 1024 at nice 0: about a tenth of the CPU when both want it


def lower_priority(nice: int = NICE) -> bool:
    """Raise the calling thread's nice value by `nice`; False where threads have none of their own."""
    if not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + nice)
    except OSError:
        return False
    return True


def import_in_background(*modules: str, nice: int = NICE) -> None:
    """Import `modules` in a thread at lower priority and wait for it.

    A module that fails to import is left alone: the code that needs it imports it
    again later and reports the error where it belongs.
    """
    def work() -> None:
        lower_priority(nice)
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - reported by the later import, in context
                continue

    thread = threading.Thread(target=work, name="low-priority imports", daemon=True)
    thread.start()
    thread.join()
