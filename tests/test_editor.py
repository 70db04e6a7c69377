"""yaml-language-server, the server behind VS Code's and Neovim's YAML support, driven over
stdio against a repository made by ``planctl init``: it finds the schema the plan's header
names (no "Unable to load schema") and flags a wrong key and a wrong type on the same
lines ``planctl validate`` reports. The server is the npm package pinned in
tests/node/package-lock.json (``make test`` runs ``npm ci`` there).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / "tests" / "node"
SERVER = NODE_DIR / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
BIN = Path(sys.executable).parent


def _server() -> Path:
    if not SERVER.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed for yaml-language-server; 'make test' installs it")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, capture_output=True)
    return SERVER


class LanguageServer:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's stdio."""

    def __init__(self, root: Path) -> None:
        node = shutil.which("node") or "node"
        self.proc = subprocess.Popen(
            [node, str(_server()), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        settings = {
            "yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}
        }
        self.settings = settings
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"workspace": {"configuration": True}},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _read(self, out: BinaryIO) -> None:
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.messages.put(json.loads(out.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m).get("result")

    def wait(self, wanted: Any, timeout: float = 60) -> dict[str, Any]:
        """The next message ``wanted`` accepts, answering the server's own requests meanwhile."""
        end = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.1, end - time.monotonic()))
            if "method" in message and "id" in message:  # the server asks: configuration, ...
                items = message.get("params", {}).get("items", [])
                answer = [self.settings.get(i.get("section", ""), None) for i in items] if items else None
                self._send({"id": message["id"], "result": answer})
                continue
            if wanted(message):
                return message

    def diagnostics(self, path: Path) -> list[dict[str, Any]]:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        found = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        result: list[dict[str, Any]] = found["params"]["diagnostics"]
        return result

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def validate_lines(repo: Path) -> set[int]:
    done = subprocess.run(
        [BIN / "planctl", "validate", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return {d["line"] for d in json.loads(done.stdout)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "council"
    root.mkdir()
    done = subprocess.run([BIN / "planctl", "init"], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return root


def test_the_language_server_and_validate_flag_the_same_lines(repo: Path) -> None:
    plan = repo / "plans" / "my-plan.yaml"
    server = LanguageServer(repo)
    try:
        clean = server.diagnostics(plan)
        assert not [d for d in clean if "schema" in d["message"].lower()], clean
        assert clean == []
        text = plan.read_text(encoding="utf-8")
        # a wrong type (text where a list belongs) on line 8, a wrong key on line 9
        text = text.replace("owners: []\n", "owners: Leicester City Council\ndeadline: 2026\n")
        other = plan.with_name("broken.yaml")
        other.write_text(text.replace("id: my-plan\n", "id: broken\n"), encoding="utf-8")
        found = server.diagnostics(other)
    finally:
        server.close()
    messages = [d["message"] for d in found]
    assert not [m for m in messages if "Unable to load schema" in m], messages
    editor_lines = {d["range"]["start"]["line"] + 1 for d in found if d.get("severity", 1) <= 2}
    planctl_lines = validate_lines(repo)
    assert planctl_lines == {8, 9}
    assert editor_lines == planctl_lines, (messages, planctl_lines)
