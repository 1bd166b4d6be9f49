"""A student's Python kernel on the class hub: ipykernel without what a student never uses.

Started by JupyterLab through kernel.json (the "python3" kernel of a server
started by ../../server.py). Two differences from the usual kernel, measured
in docs/hub_admin.md:

- No debugger: ipykernel imports debugpy at start (about 8 MB per kernel);
  blocked here, JupyterLab's debugger button is simply not offered.
- No IPython history database: a SQLite file and a thread per kernel, for a
  console history students do not use.
"""
import sys

sys.modules["debugpy"] = None  # `import debugpy` fails; ipykernel then runs without its debugger

from ipykernel.kernelapp import launch_new_instance  # noqa: E402  (after the import is blocked)

if __name__ == "__main__":
    launch_new_instance(argv=[*sys.argv[1:], "--HistoryManager.enabled=False"])
