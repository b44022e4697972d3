"""Shared fixtures: expensive things built once per session, real local servers."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from narrascope.cli import main
from narrascope.config import Settings
from narrascope.embed import Encoder

CODEBOOK = """
[[theme]]
id = "nk-troops-heroism"
label = "Heroism of North Korean troops"
description = "Praise of the courage and sacrifice of North Korean soldiers fighting for Russia."
examples = [
  "The Korean soldiers fought heroically to liberate the Kursk region.",
  "The courage of the Korean People's Army fighters will never be forgotten.",
]

[[theme]]
id = "harvest"
label = "Harvest news"
description = "Reports on crops, grain yields and the harvest season."
examples = ["Farmers gathered a record wheat harvest this autumn."]
"""


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.toml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


@pytest.fixture
def settings(db: str) -> Settings:
    return Settings(db=db)


def run_cli(db: str, *args: str, input: str | None = None) -> Result:
    """Run the real CLI in-process against `db`."""
    return CliRunner().invoke(main, ["--db", db, *args], input=input, catch_exceptions=False)


def cli_json(db: str, *args: str, input: str | None = None) -> tuple[int, object]:
    result = run_cli(db, *args, "--json", input=input)
    return result.exit_code, json.loads(result.stdout)


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    drip: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """A real HTTP server on 127.0.0.1 serving routes the test defines."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                route = routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if route.drip:  # a few bytes at a time, each within the read timeout
                        for i in range(0, len(route.body), 64):
                            self.wfile.write(route.body[i : i + 64])
                            self.wfile.flush()
                            time.sleep(route.drip)
                    else:
                        self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield srv
    srv.close()


def article_html(title: str, body: str, date: str = "2026-03-01") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{date}T08:00:00Z">'
        f"</head><body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{paragraphs}"
        "</article><footer>Copyright the fictional outlet</footer></body></html>"
    ).encode()
