"""The chat page's web server: the built files of web/static, with the assistant's address written into the pages.

    python web/serve.py --port 8080 --rasa-port 5005

Pages carry the socket.io server's address in the marker __RASA_SERVER_URL__; it becomes WEB_RASA_URL when that is
set, else the address the page was asked for with the Rasa port (http://localhost:5005 for http://localhost:8080/).
Text files are sent gzip-compressed to browsers that accept it.
"""
import argparse
import gzip
import os
from functools import lru_cache
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Tuple
from urllib.parse import urlsplit

STATIC = Path(__file__).resolve().parent / "static"
SERVER_URL_MARK = b"__RASA_SERVER_URL__"
COMPRESSED_TYPES = (".html", ".js", ".css", ".svg", ".json", ".txt")


@lru_cache(maxsize=64)
def file_bytes(path: Path, modified: float) -> Tuple[bytes, bytes]:
    """A static file and its gzip-compressed form (cached until the file changes)."""
    raw = path.read_bytes()
    return raw, gzip.compress(raw, compresslevel=9, mtime=0)


class PageHandler(SimpleHTTPRequestHandler):
    rasa_port = 5005
    rasa_url = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(STATIC), **kwargs)

    def server_url(self) -> str:
        if self.rasa_url:
            return self.rasa_url
        host = urlsplit("//" + (self.headers.get("Host") or "localhost")).hostname or "localhost"
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.rasa_port}"

    def do_GET(self) -> None:
        self.send_static(head_only=False)

    def do_HEAD(self) -> None:
        self.send_static(head_only=True)

    def send_static(self, head_only: bool) -> None:
        route = urlsplit(self.path).path
        path = Path(self.translate_path(route + ("index.html" if route.endswith("/") else "")))
        if not path.is_file() or STATIC not in path.resolve().parents:
            self.send_error(404, "Not found")
            return
        raw, compressed = file_bytes(path, path.stat().st_mtime)
        if path.suffix == ".html":
            raw = raw.replace(SERVER_URL_MARK, self.server_url().encode())
            compressed = gzip.compress(raw, mtime=0)
        use_gzip = path.suffix in COMPRESSED_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
        body = compressed if use_gzip else raw
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        if path.suffix == ".html":
            self.send_header("Content-Security-Policy", self.content_policy())
        else:  # the widget's script and style may be loaded by any site that embeds it
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def content_policy(self) -> str:
        server = urlsplit(self.server_url())
        sockets = f"{'wss' if server.scheme == 'https' else 'ws'}://{server.netloc}"
        return (f"default-src 'self'; connect-src 'self' {self.server_url()} {sockets}; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the parent's signature
        if os.environ.get("WEB_LOG_REQUESTS"):
            super().log_message(format, *args)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    arguments.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    arguments.add_argument("--host", default="0.0.0.0")
    options = arguments.parse_args()
    PageHandler.rasa_port = options.rasa_port
    PageHandler.rasa_url = os.environ.get("WEB_RASA_URL", "").rstrip("/")
    with ThreadingHTTPServer((options.host, options.port), PageHandler) as server:
        print(f"Chat page on http://localhost:{options.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
