"""A class's JupyterHub on 127.0.0.1, as a school runs it, for tests/test_hub.py and benchmarks/bench_hub.py.

- the module's repository served over smart HTTP git (``git http-backend``
  behind a small WSGI server: nbgitpuller clones with ``--depth 1``, which the
  "dumb" file-serving protocol cannot do), with the student edition published
  as the branch ``student`` by tools/student_edition.py;
- JupyterHub from PyPI with configurable-http-proxy from npm (tests/hub/, the
  Makefile installs it), started with jupyter/hub/jupyterhub_config.py;
- students driven either in Chromium (tests/browser/lab.py) or through the
  REST API and a kernel websocket (:class:`KernelClient`), as a front end does.

Everything listens on 127.0.0.1 only, and :func:`stop_hub` ends every process
the hub started, so nothing outlives a test.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import lab  # noqa: E402  (tests/browser/lab.py: isolated HOME, free ports, Chromium set-up)

CONFIG = REPO / "jupyter" / "hub" / "jupyterhub_config.py"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent
PASSWORD = "aleppo2016-" + secrets.token_hex(6)  # the shared password (at least 8 characters)
GIT_ID = {"GIT_AUTHOR_NAME": "Teacher", "GIT_AUTHOR_EMAIL": "teacher@example.org",
          "GIT_COMMITTER_NAME": "Teacher", "GIT_COMMITTER_EMAIL": "teacher@example.org"}


def hub_problem() -> str | None:
    """What this environment lacks to run a hub (None when nothing is missing)."""
    missing = []
    for name in ("jupyterhub", "nbgitpuller"):
        try:
            __import__(name)
        except ImportError:
            missing.append(f"the Python package {name}")
    if not (BIN / "jupyterhub-singleuser").exists():
        missing.append(f"{BIN / 'jupyterhub-singleuser'}")
    if not PROXY.exists():
        missing.append(f"configurable-http-proxy ({PROXY}; `make test` runs npm ci --prefix tests/hub)")
    if not shutil.which("git"):
        missing.append("git")
    if not missing:
        return None
    return ("A JupyterHub cannot run here: " + ", ".join(missing) + " missing. `make test` installs them "
            "(pip install -e '.[lab,test]' and npm ci --prefix tests/hub).")


# --------------------------------------------------------------------------
# The repository: a teacher's clone, a bare repository served over smart HTTP
# --------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ID}, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)} in {repo} failed: {done.stderr}")
    return done.stdout.strip()


def fresh_clone(dest: Path, source: Path = REPO) -> Path:
    """A git clone of this checkout, with its uncommitted changes to tracked files laid over it."""
    subprocess.run(["git", "clone", "-q", "--no-local", str(source), str(dest)], check=True)
    diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=source, capture_output=True, check=True).stdout
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=dest, input=diff, check=True)
    return dest


class _Threads(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        pass


def _http_backend(root: Path) -> Any:
    """A WSGI app that hands each request to ``git http-backend`` (CGI) for the bare repositories under `root`."""
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        cgi = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(root), "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": environ["REQUEST_METHOD"], "PATH_INFO": environ.get("PATH_INFO", ""),
            "QUERY_STRING": environ.get("QUERY_STRING", ""), "CONTENT_TYPE": environ.get("CONTENT_TYPE", ""),
            "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": environ.get("REMOTE_ADDR", "127.0.0.1"),
            "REMOTE_USER": "teacher",  # lets the teacher's push through (receive-pack), on loopback only
        }
        if environ.get("HTTP_GIT_PROTOCOL"):
            cgi["GIT_PROTOCOL"] = environ["HTTP_GIT_PROTOCOL"]
        done = subprocess.run(["git", "http-backend"], input=body, env=cgi, capture_output=True)
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = done.stdout.partition(b"\n\n")
        status, headers = "200 OK", []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = value.strip()
            elif name:
                headers.append((name.strip(), value.strip()))
        start_response(status, headers)
        return [payload]
    return app


@dataclass
class GitServer:
    """Bare repositories under `root`, served over smart HTTP on 127.0.0.1."""

    root: Path
    port: int
    server: Any

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_git_server(root: Path) -> GitServer:
    root.mkdir(parents=True, exist_ok=True)
    server = make_server("127.0.0.1", 0, _http_backend(root), server_class=_Threads, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return GitServer(root=root, port=server.server_port, server=server)


@dataclass
class ClassRepo:
    """The teacher's clone of the module and the bare repository students' hub links pull from."""

    teacher: Path
    bare: Path
    url: str
    wheel: Path
    edition: Path

    def publish(self) -> str:
        """Build the student edition from the teacher's clone, commit it as `student`, push both branches."""
        done = subprocess.run(
            [sys.executable, "tools/student_edition.py", "--out", str(self.edition), "--wheel", str(self.wheel),
             "--publish", "student"], cwd=self.teacher, env={**os.environ, **GIT_ID}, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"tools/student_edition.py failed:\n{done.stdout}\n{done.stderr}")
        # A big postBuffer: git sends a larger push in chunks, which the small WSGI server cannot read.
        git(self.teacher, "-c", "http.postBuffer=1073741824", "push", "-q", "--force", self.url,
            "HEAD:refs/heads/main", "student:refs/heads/student")
        return git(self.teacher, "rev-parse", "student")


def class_repo(work: Path, git_server: GitServer) -> ClassRepo:
    """Clone this checkout as the teacher's, publish the student edition to the served bare repository."""
    from aleppo2016.delivery import build_wheel

    teacher = fresh_clone(work / "teacher")
    git(teacher, "commit", "-q", "--allow-empty", "-am", "uncommitted changes of the checkout under test")
    bare = git_server.root / "aleppo2016.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    git(bare, "config", "http.receivepack", "true")
    wheel = build_wheel(teacher, work / "wheel")
    repo = ClassRepo(teacher=teacher, bare=bare, url=git_server.url("aleppo2016.git"), wheel=wheel,
                     edition=work / "edition")
    repo.publish()
    return repo


# --------------------------------------------------------------------------
# The hub
# --------------------------------------------------------------------------

@dataclass
class Hub:
    """A running JupyterHub (and its proxy) on 127.0.0.1."""

    work: Path
    port: int
    token: str
    users: list[str]
    process: subprocess.Popen[bytes]
    log: Path
    marker: str
    api_seconds: list[float] = field(default_factory=list)  # every GET of the hub's REST API

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def home(self, user: str) -> Path:
        return self.work / "homes" / user

    def request(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        """Call the hub's REST API, or (``/user/NAME/...``) a student's server through the proxy, as the service."""
        start = time.perf_counter()
        text = self.fetch(path, method, json.dumps(body).encode() if body is not None else None, timeout)
        if method == "GET" and path.startswith("/hub/api"):  # a start request waits for the server: not latency
            self.api_seconds.append(time.perf_counter() - start)
        return json.loads(text) if text else None

    def fetch(self, path: str, method: str = "GET", data: bytes | None = None, timeout: float = 60) -> bytes:
        """The body of `path` (a page, a file, an API's JSON), as the service."""
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def processes(self) -> dict[str, list[int]]:
        """The process ids of each student's server and kernels (found by the marker in their environment)."""
        found: dict[str, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"ALEPPO2016_HUB_RUN={self.marker}".encode() not in environ:
                continue
            user = next((v.split(b"=", 1)[1].decode() for v in environ if v.startswith(b"JUPYTERHUB_USER=")), "?")
            found.setdefault(user, []).append(int(entry.name))
        return found


def start_hub(work: Path, users: list[str], timeout: float = 120) -> Hub:
    """Start JupyterHub with jupyter/hub/jupyterhub_config.py; return once its API answers."""
    work.mkdir(parents=True, exist_ok=True)
    env = lab.isolated_env(work / "hub-home")
    port, token, marker = lab._free_port(), secrets.token_hex(24), uuid.uuid4().hex
    env.update({
        "ALEPPO2016_HUB_WORK": str(work), "ALEPPO2016_HUB_PORT": str(port),
        "ALEPPO2016_HUB_API_PORT": str(lab._free_port()), "ALEPPO2016_HUB_PROXY_API_PORT": str(lab._free_port()),
        "ALEPPO2016_HUB_PROXY": str(PROXY), "ALEPPO2016_HUB_BIN": str(BIN), "ALEPPO2016_HUB_USERS": ",".join(users),
        "ALEPPO2016_HUB_PASSWORD": PASSWORD, "ALEPPO2016_HUB_API_TOKEN": token, "ALEPPO2016_HUB_RUN": marker,
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    })
    log = work / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(CONFIG)], cwd=work, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(work=work, port=port, token=token, users=users, process=process, log=log, marker=marker)
    lab.wait_for_server(process, lambda: hub.request("GET", "/hub/api/"), "jupyterhub", hub.log_tail,
                        lambda: stop_hub(hub), timeout, interval=0.3)
    hub.api_seconds.clear()
    return hub


def stop_hub(hub: Hub) -> None:
    """Stop the hub (it stops the students' servers and its proxy), then end anything of this run left over."""
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    for pid in [p for pids in hub.processes().values() for p in pids]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(hub.process.pid, signal.SIGKILL)  # the proxy runs in the hub's process group
    except ProcessLookupError:
        pass
    hub.process.wait(timeout=15)


def hub_link(hub: Hub, repo: ClassRepo) -> str:
    """The link the teacher hands out, printed by the module's own command (student edition by default)."""
    done = subprocess.run([sys.executable, "-m", "aleppo2016", "hub-link", hub.url, "--repo", repo.url],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


# --------------------------------------------------------------------------
# Memory of a process, as the kernel accounts it
# --------------------------------------------------------------------------

def memory(pid: int) -> dict[str, int]:
    """Resident (RSS) and proportional (PSS: shared pages divided among their users) bytes of a process."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name.lower()] = int(rest.split()[0]) * 1024
    return values


def cpu_seconds(pid: int, children: bool = False) -> float:
    """CPU time a process has used so far (user + system), in seconds; with `children`, also that of
    the children it has waited for (a server's git, a kernel that has ended)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime (fields 16, 17)
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all the machine's cores have spent on anything but waiting, since boot (/proc/stat)."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def hub_cpu_seconds(hub: Hub) -> float:
    """CPU time of everything the hub runs (itself, its proxy, students' servers and kernels, with the
    children they have waited for)."""
    total = 0.0
    for pid in [p for pids in hub.processes().values() for p in pids]:
        try:
            total += cpu_seconds(pid, children=True)
        except OSError:  # ended while listed
            continue
    return total


def thread_nice_values(pid: int) -> dict[int, int]:
    """Each thread's nice value (Linux keeps one per thread): field 19 of /proc/PID/task/TID/stat."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out[int(task.name)] = int((task / "stat").read_text().rsplit(")", 1)[1].split()[16])
        except OSError:  # the thread ended while listed
            continue
    return out


def command_line(pid: int) -> str:
    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return " ".join(c.decode(errors="replace") for c in cmd if c)


def process_name(pid: int) -> str:
    text = command_line(pid)
    # A student's kernel and server are started by jupyter/hub/student/ (plain ipykernel and
    # jupyterhub-singleuser are named too, for a hub configured without it).
    for name, marks in (("kernel", ("student/kernels/python3/kernel.py", "ipykernel")),
                        ("server", ("student/server.py", "jupyterhub-singleuser")),
                        ("proxy", ("configurable-http-proxy",)), ("hub", ("jupyterhub",))):
        if any(mark in text for mark in marks):
            return name
    return text[:60]


# --------------------------------------------------------------------------
# A student without a browser: REST calls and a kernel websocket, as the front end makes them
# --------------------------------------------------------------------------

class KernelClient:
    """A notebook's kernel over the server's websocket (the JSON protocol JupyterLab's front end speaks)."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.session = uuid.uuid4().hex
        self.comms: dict[str, dict[str, Any]] = {}  # widget models the kernel opened: id -> state

    @classmethod
    async def connect(cls, hub: Hub, user: str, kernel_id: str) -> "KernelClient":
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        # A browser waits for its websocket as long as it takes; tornado's default 20 s is too short for a
        # class starting at once on a small machine.
        request = HTTPRequest(url, headers={"Authorization": f"token {hub.token}"}, connect_timeout=300,
                              request_timeout=300)
        ws = await websocket_connect(request, max_message_size=256 * 1024 * 1024)
        return cls(ws)

    def _message(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "student", "session": self.session,
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"}
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
                "buffers": []}

    async def request(self, msg_type: str, content: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
        """Send a shell request; return when the kernel is idle after it: its reply, errors and outputs.

        A widget's comm_msg gets no reply, only the busy and idle statuses around its handling.
        """
        msg = self._message(msg_type, content)
        msg_id = msg["header"]["msg_id"]
        await self.ws.write_message(json.dumps(msg))
        result: dict[str, Any] = {"reply": None, "errors": [], "stdout": "", "idle": False}
        replies = msg_type != "comm_msg"
        deadline = time.monotonic() + timeout
        while not (result["idle"] and (result["reply"] is not None or not replies)):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{msg_type}: no answer from the kernel within {timeout:.0f} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            if isinstance(raw, bytes):
                continue  # a binary frame (widget buffers): nothing we read
            reply = json.loads(raw)
            kind = reply["header"]["msg_type"]
            if kind == "comm_open":
                self.comms[reply["content"]["comm_id"]] = reply["content"].get("data", {}).get("state", {})
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "error":
                result["errors"].append(f"{reply['content']['ename']}: {reply['content']['evalue']}")
            elif kind == "stream" and reply["content"]["name"] == "stderr":
                result["errors"].append("stderr: " + reply["content"]["text"][:300])
            elif kind == "stream":
                result["stdout"] += reply["content"]["text"]
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                result["idle"] = True
            elif reply.get("channel") == "shell" and kind.endswith("_reply"):
                result["reply"] = reply["content"]
                if reply["content"].get("status") == "error":
                    result["errors"].append(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        return result

    async def execute(self, code: str, timeout: float = 300) -> dict[str, Any]:
        return await self.request("execute_request", {"code": code, "silent": False, "store_history": True,
                                                      "user_expressions": {}, "allow_stdin": False,
                                                      "stop_on_error": True}, timeout)

    async def widget_message(self, model_id: str, data: dict[str, Any]) -> float:
        """Send a widget change as the front end sends it; seconds until the kernel is idle after handling it."""
        start = time.perf_counter()
        done = await self.request("comm_msg", {"comm_id": model_id, "data": data})
        if done["errors"]:
            raise AssertionError(f"the widget change raised: {done['errors']}")
        return time.perf_counter() - start

    def close(self) -> None:
        self.ws.close()


# --------------------------------------------------------------------------
# One student's lesson through the API: start, pull the link's repository, run, answer, explore
# --------------------------------------------------------------------------

def wait_for_server(hub: Hub, user: str, timeout: float = 300) -> None:
    """Wait until the hub says the student's server is ready."""
    deadline = time.monotonic() + timeout
    while True:
        model = hub.request("GET", f"/hub/api/users/{user}")
        server = model.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        if not server:  # listed from the start request on, while pending; gone only if the start failed
            raise RuntimeError(f"{user}'s server stopped while starting:\n{hub.log_tail(20)}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{user}'s server was not ready within {timeout:.0f} s:\n{hub.log_tail(20)}")
        time.sleep(0.5)


def pull(hub: Hub, user: str, repo_url: str, branch: str = "student") -> None:
    """What the hub link does in the student's server: nbgitpuller's clone or merge, read to its end."""
    from urllib.parse import urlencode

    from aleppo2016.delivery import HUB_FOLDER

    query = urlencode({"repo": repo_url, "branch": branch, "targetpath": HUB_FOLDER})
    request = urllib.request.Request(f"{hub.url}/user/{user}/git-pull/api?{query}",
                                     headers={"Authorization": f"token {hub.token}"})
    events = []
    with urllib.request.urlopen(request, timeout=300) as response:
        for line in response:
            if line.startswith(b"data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    if not events or events[-1].get("phase") != "finished":
        raise RuntimeError(f"nbgitpuller did not finish for {user}: {events[-3:]}")


# What JupyterLab 4's front end asks a student's server for when it opens a notebook, in order,
# as Chromium made the requests on this hub (JupyterLab 4.6, 30 November 2026): its page, its
# settings, the folder and the notebook, the export formats, a checkpoint, the workspace it saves.
# Not here: the session (student_arrives starts it) and most static files (see open_in_lab).
_LAB_OPENS = (
    "GET lab/workspaces/{workspace}/tree/{path}", "GET api/kernelspecs", "GET api/me", "GET lab/api/settings",
    "GET api/kernels", "GET api/sessions", "GET lab/api/workspaces", "GET lab/api/translations/default",
    "GET api/config/jupyterlabapputilsextensionannouncements", "GET lsp/status", "GET lab/api/translations",
    "GET lab/api/settings/@jupyterlab/codemirror-extension:plugin",
    "GET lab/api/themes/@jupyterlab/theme-light-extension/index.css", "GET api/contents?content=1&hash=0",
    "GET lab/api/settings/@jupyterlab/docmanager-extension:plugin",
    "GET lab/api/settings/@jupyterlab/notebook-extension:panel", "GET lab/api/workspaces/{workspace}",
    "GET lab/api/settings?ids_only=true", "GET lab/api/update", "PUT lab/api/workspaces/{workspace}",
    "GET api/contents/{path}?content=0&hash=0", "GET api/contents/{folder}?content=1&hash=0",
    "GET api/contents/{path}?type=notebook&content=1&hash=1", "GET api/nbconvert",
    "GET api/contents/{folder}?content=1&hash=0", "GET api/contents/{path}/checkpoints",
    "POST api/contents/{path}/checkpoints",
)


def open_in_lab(hub: Hub, user: str, path: str) -> int:
    """What a student's JupyterLab asks their server for when it opens the notebook at `path` (before
    its kernel starts): _LAB_OPENS, and of the static files the main bundle and each extension's
    entry file, named in the page. Returns the bytes received.

    The other static files JupyterLab loads as it starts (77 files, 6.6 MB on this hub; about 0.1 s
    of the server's CPU a student, measured here) are left out: which ones depends on JupyterLab's
    build, and a student's browser keeps them after the first visit."""
    base = f"/user/{user}/"
    values = {"workspace": f"t{secrets.token_hex(6)}", "path": path, "folder": path.rsplit("/", 1)[0]}
    received = 0
    for step in _LAB_OPENS:
        method, address = step.split(" ", 1)
        address = address.format(**values)
        body = None
        if method == "PUT":
            body = json.dumps({"data": {"layout-restorer:data": {"main": {"current": f"notebook:{path}"}}},
                               "metadata": {"id": values["workspace"]}}).encode()
        elif method == "POST":
            body = b""
        page = hub.fetch(base + address, method, body)
        received += len(page)
        if address.startswith("lab/workspaces/"):  # the page: the scripts it names, fetched as a browser would
            config = json.loads(re.search(rb'id="jupyter-config-data" type="application/json">(.*?)</script>',
                                          page, re.S).group(1))
            scripts = re.findall(rb'src="[^"]*/static/lab/(main\.[^"?]+\.js)', page)
            received += sum(len(hub.fetch(f"{base}static/lab/{name.decode()}")) for name in scripts)
            received += sum(len(hub.fetch(f"{base}lab/extensions/{ext['name']}/{ext['load']}"))
                            for ext in config.get("federated_extensions", []))
    return received


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


_QUESTION_PROBE = """from aleppo2016 import quiz as _quiz
_q = Out[{count}]
_q.answer = _quiz.question_type(_q.spec["type"]).sample_answers(_q.spec)[0]
print(_q.check_button.model_id)
"""
_ATTEMPTS = """print(sum(len(r["attempts"]) for r in _quiz.answered({notebook!r})))
"""
_EXPLORER_PROBE = """import json as _json
_e = Out[{count}]
print(_json.dumps({{b.model_id: b.value for b in _e.figure_boxes.values()}}))
"""
_EXPLORER_STATE = """print(_json.dumps({"boxes": {b.model_id: b.value for b in _e.figure_boxes.values()}, "shown": len(_e.matching)}))
"""


async def start_server(hub: Hub, user: str) -> float:
    """Start the student's server through the hub's API; return the seconds until the hub says it is ready."""
    start = time.perf_counter()
    await asyncio.to_thread(hub.request, "POST", f"/hub/api/users/{user}/server")
    await asyncio.to_thread(wait_for_server, hub, user)
    return time.perf_counter() - start


async def student_arrives(hub: Hub, user: str, repo_url: str, notebook: str = "03_figures.ipynb",
                          delay: float = 0.0, started: float | None = None) -> tuple[dict[str, Any], KernelClient]:
    """A student arrives (after `delay` seconds), through the API: their server started, the link's
    repository pulled, `notebook` run top to bottom in a kernel, one question answered (its Check
    pressed, as the front end's widget message). Returns the times and errors, and the open kernel.
    If the server was `started` before the lesson (that many seconds it took), it is not started again."""
    from aleppo2016.delivery import HUB_FOLDER

    await asyncio.sleep(delay)
    out: dict[str, Any] = {"user": user, "errors": []}
    start = time.perf_counter()
    out["server_start"] = await start_server(hub, user) if started is None else started
    begin = time.perf_counter()
    await asyncio.to_thread(pull, hub, user, repo_url)
    out["pull"] = time.perf_counter() - begin
    path = f"{HUB_FOLDER}/notebooks/{notebook}"
    begin = time.perf_counter()
    out["lab_bytes"] = await asyncio.to_thread(open_in_lab, hub, user, path)
    out["open_lab"] = time.perf_counter() - begin
    session = await asyncio.to_thread(hub.request, "POST", f"/user/{user}/api/sessions",
                                      {"path": path, "type": "notebook", "name": notebook,
                                       "kernel": {"name": "python3"}})
    kernel = await KernelClient.connect(hub, user, session["kernel"]["id"])
    try:
        await kernel.request("kernel_info_request", {}, timeout=300)
        out["to_kernel"] = time.perf_counter() - start
        begin = time.perf_counter()
        explorer = question = None
        for source in code_cells(hub.home(user) / path):
            done = await kernel.execute(source)
            out["errors"] += done["errors"]
            count = done["reply"].get("execution_count")
            if question is None and source.lstrip().startswith("quiz.question("):
                question = count
            if explorer is None and source.strip().endswith("FiguresExplorer()"):
                explorer = count
        out["run_all"] = time.perf_counter() - begin
        if question is None or explorer is None:
            raise AssertionError(f"{notebook} has no question or no FiguresExplorer cell to drive")
        probe = await kernel.execute(_QUESTION_PROBE.format(count=question))
        out["errors"] += probe["errors"]
        check_id = probe["stdout"].strip()
        out["check_seconds"] = [await kernel.widget_message(check_id, {"method": "custom",
                                                                       "content": {"event": "click"}})]
        attempts = await kernel.execute(_ATTEMPTS.format(notebook=notebook.removesuffix(".ipynb")))
        out["answered"] = int(attempts["stdout"].strip() or 0)
        probe = await kernel.execute(_EXPLORER_PROBE.format(count=explorer))
        out["errors"] += probe["errors"]
        out["explorer_state"] = json.loads(probe["stdout"])
    except BaseException:
        kernel.close()
        raise
    return out, kernel


async def change_explorer(out: dict[str, Any], kernel: KernelClient, changes: int, pause: tuple[float, float],
                          rng: Any) -> list[float]:
    """The student changes the figures explorer `changes` times, a pause of `pause` seconds (a student
    reading the chart) before each; each change is the front end's widget message. Returns the
    response times. Boxes are ticked or unticked one after another, so every change redraws the chart."""
    state, responses = out["explorer_state"], []
    boxes = list(state)
    for _ in range(changes):
        await asyncio.sleep(rng.uniform(*pause))
        box = boxes[out.setdefault("changes_made", 0) % len(boxes)]
        out["changes_made"] += 1
        state[box] = not state[box]
        responses.append(await kernel.widget_message(
            box, {"method": "update", "state": {"value": state[box]}, "buffer_paths": []}))
    return responses


async def student_explores(out: dict[str, Any], kernel: KernelClient, changes: int, pause: tuple[float, float],
                           seed: int) -> dict[str, Any]:
    """With the whole class: `changes` more explorer changes (:func:`change_explorer`), then the
    kernel's explorer is checked against every change sent, and the student's websocket closed."""
    import random

    try:
        out["explorer_seconds"] = await change_explorer(out, kernel, changes, pause, random.Random(seed))
        after = await kernel.execute(_EXPLORER_STATE)
    finally:
        kernel.close()
    state = out.pop("explorer_state")
    out["errors"] += after["errors"]
    seen = json.loads(after["stdout"])
    out["explorer_followed"] = seen["boxes"] == state  # every change reached the kernel's widget
    out["explorer_shows"], out["explorer_ticked"] = seen["shown"], sum(state.values())
    return out


@dataclass
class StudentPages:
    """A student's JupyterLab behind the hub, in the shape tests/browser/lab.py's Notebook drives."""

    hub: Hub
    user: str

    def url(self, notebook: str) -> str:
        """The notebook in a new, empty workspace (see lab.LabServer.url for why)."""
        return f"{self.hub.url}/user/{self.user}/lab/workspaces/t{secrets.token_hex(6)}/tree/{notebook}"

    @property
    def root(self) -> Path:
        """The student's home: the folder their JupyterLab shows."""
        return self.hub.home(self.user)

    def log_tail(self, lines: int = 40) -> str:
        return self.hub.log_tail(lines)

    def shutdown_kernels(self) -> None:
        for session in self.hub.request("GET", f"/user/{self.user}/api/sessions") or []:
            self.hub.request("DELETE", f"/user/{self.user}/api/sessions/{session['id']}")


def log_in(page: Any, hub: Hub, user: str, goto: bool = True) -> None:
    """Log `user` in on the hub's login page (the one `page` shows if not `goto`); wait for their JupyterLab."""
    if goto:
        page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    page.wait_for_url(f"**/user/{user}/lab**", timeout=lab.TIMEOUT_MS)


def class_lessons(hub: Hub, users: list[str], repo_url: str, *, arrival: float = 0.0, lesson_changes: int = 4,
                  lesson_pause: tuple[float, float] = (2.0, 6.0), working_changes: int = 6, changes: int = 6,
                  pause: tuple[float, float] = (0.5, 2.0), notebook: str = "03_figures.ipynb",
                  arriving: threading.Event | None = None, prestart: bool = False
                  ) -> list[dict[str, Any] | BaseException]:
    """A class, in three parts (with `prestart`, after every student's server was started before the
    lesson, as a hub administrator can: the admin page's "Start All", or the REST API).

    1. The lesson: the students arrive spread evenly over `arrival` seconds (:func:`student_arrives`:
       server, pull, run all, a question) and each then changes the figures explorer
       `lesson_changes` times, reading the chart for `lesson_pause` seconds before each change,
       while the others are still arriving (``lesson_seconds``).
    2. The class at work: once every one is in, `working_changes` more each, at the same pace
       (``working_seconds``).
    3. A stress test: the whole class at once, `changes` changes each, `pause` apart
       (:func:`student_explores`, ``explorer_seconds``): more clicks than a lesson makes, to show
       where the machine's limit is.

    `arriving` is set once the first student has run the notebook. A failed student is returned as
    their exception. Runs its own event loop in a thread of its own, so it works beside Playwright's
    (sync API) loop.
    """
    import random

    step = arrival / max(len(users) - 1, 1)

    async def paced(out: dict[str, Any], kernel: KernelClient, key: str, changes: int, seed: str
                    ) -> tuple[dict[str, Any], KernelClient]:
        """`changes` explorer changes at a reading pace, their times kept as out[key] (the websocket
        closed if one fails)."""
        try:
            out[key] = await change_explorer(out, kernel, changes, lesson_pause, random.Random(seed))
        except BaseException:
            kernel.close()
            raise
        return out, kernel

    async def lesson(i: int, user: str, started: Any) -> tuple[dict[str, Any], KernelClient]:
        if isinstance(started, BaseException):  # the server did not start before the lesson
            raise started
        out, kernel = await student_arrives(hub, user, repo_url, notebook, delay=i * step, started=started)
        if arriving is not None:
            arriving.set()
        return await paced(out, kernel, "lesson_seconds", lesson_changes, f"lesson {i}")

    async def at_work(i: int, out: dict[str, Any], kernel: KernelClient) -> tuple[dict[str, Any], KernelClient]:
        return await paced(out, kernel, "working_seconds", working_changes, f"work {i}")

    async def each(step: Any, done: list[Any]) -> list[Any]:
        """`step` for every student still in; a student who fails keeps their exception."""
        results = iter(await asyncio.gather(*(step(i, *a) for i, a in enumerate(done)
                                               if not isinstance(a, BaseException)), return_exceptions=True))
        return [a if isinstance(a, BaseException) else next(results) for a in done]

    async def lessons() -> list[Any]:
        started: list[Any] = [None] * len(users)
        if prestart:
            started = await asyncio.gather(*(start_server(hub, user) for user in users), return_exceptions=True)
        arrived = await asyncio.gather(*(lesson(i, user, s) for i, (user, s) in enumerate(zip(users, started))),
                                       return_exceptions=True)
        if arriving is not None:
            arriving.set()  # even if no student got that far
        working = await each(at_work, arrived)
        return await each(lambda i, out, kernel: student_explores(out, kernel, changes=changes, pause=pause,
                                                                  seed=i), working)

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, lessons()).result()
