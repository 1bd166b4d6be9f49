"""A student's Python kernel on the class hub: ipykernel without what a student never uses.

Started by JupyterLab through kernel.json (the "python3" kernel of a server
started by ../../server.py). Two differences from the usual kernel, measured
in docs/hub_admin.md:

- No debugger: ipykernel imports debugpy at start (about 8 MB per kernel);
  blocked here, JupyterLab's debugger button is simply not offered.
- No IPython history database: a SQLite file and a thread per kernel, for a
  console history students do not use.
- Its start-up imports, the kernel's own and the lesson's (pandas, Matplotlib,
  aleppo2016), run at a lower CPU priority (../../lowpriority_imports.py), so students
  already at work are served first while the class arrives. The lesson's first
  cell then finds them imported. numpy's OpenBLAS is kept to the kernel's own
  thread: its worker threads, started at import, would keep that lower
  priority, and 30 kernels sharing a few cores gain nothing from them.
"""
import os
import sys
from pathlib import Path

sys.modules["debugpy"] = None  # `import debugpy` fails; ipykernel then runs without its debugger
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # read when numpy loads OpenBLAS
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # jupyter/hub/student: lowpriority_imports.py
from lowpriority_imports import import_in_background  # noqa: E402

import_in_background("ipykernel.kernelapp", "ipykernel.ipkernel", "pandas", "matplotlib", "ipywidgets",
                     "aleppo2016", "aleppo2016.charts", "aleppo2016.quiz", "aleppo2016.show", "aleppo2016.widgets")
del sys.path[0]

from ipykernel.kernelapp import launch_new_instance  # noqa: E402  (after the import is blocked)

if __name__ == "__main__":
    launch_new_instance(argv=[*sys.argv[1:], "--HistoryManager.enabled=False"])
