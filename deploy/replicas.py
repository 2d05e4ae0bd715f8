"""N replicas of the app behind nginx, with sticky sessions: ``python -m deploy.replicas``.

    python -m deploy.replicas --replicas 2 --port 8080     # then open http://127.0.0.1:8080

Streamlit keeps a visitor's session (widget state, uploaded files, caches of
its own) in the process its websocket reached, so replicas need session
affinity: the visitor's websocket, its uploads (``/_stcore/upload_file/...``)
and its media files must all reach the same replica. nginx (Debian's
``nginx`` package, open source) has no sticky-cookie directive, so the
config below makes one: a visitor without the ``lab_replica`` cookie is
routed by a fresh random key (``$request_id``) and given that key as the
cookie; every later request hashes the cookie to the same replica
(``hash ... consistent``, so adding a replica moves few visitors). Each
response says which replica answered in ``X-Replica`` (for the tests).

The replicas are ``streamlit run app.py`` on free loopback ports; nginx runs
as the current user with every path in a temporary directory. Ctrl-C stops
everything.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.browser import Server, start_server, stop_server, wait_healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROUTE_COOKIE = "lab_replica"

CONFIG = """\
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}

http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    # Streamlit's own cap is 10 MB (.streamlit/config.toml); this leaves room for the
    # multipart envelope and lets Streamlit give the clear message.
    client_max_body_size 12m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}
    # Sticky sessions without nginx plus: a new visitor gets a random key as a cookie.
    map $cookie_{cookie} $route_key {{
        "" $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $set_route {{
        "" "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}

    upstream lab {{
        hash $route_key consistent;
{servers}
    }}

    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://lab;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;  # a websocket stays open while the visitor reads
            proxy_buffering off;
            add_header Set-Cookie $set_route always;
            add_header X-Replica $upstream_addr always;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    """The proxy's base URL and the replicas behind it."""

    url: str
    replicas: list[Server]
    work: Path


def nginx_config(work: Path, host: str, port: int, backends: list[str]) -> str:
    """The nginx configuration for ``backends`` (``"127.0.0.1:8501"``, ...).

    Examples
    --------
    >>> text = nginx_config(Path("/tmp/x"), "127.0.0.1", 8080, ["127.0.0.1:1", "127.0.0.1:2"])
    >>> "hash $route_key consistent" in text and "server 127.0.0.1:2;" in text
    True
    """
    servers = "\n".join(f"        server {b};" for b in backends)
    return CONFIG.format(work=work, host=host, port=port, servers=servers, cookie=ROUTE_COOKIE)


def backend(server: Server) -> str:
    """``"127.0.0.1:8501"`` from a server's base URL."""
    return server.url.split("://", 1)[1]


@contextlib.contextmanager
def cluster(replicas: int, port: int, host: str = "127.0.0.1") -> Iterator[Cluster]:
    """``replicas`` app servers and nginx in front of them on ``host:port``, all stopped
    on the way out."""
    work = Path(tempfile.mkdtemp(prefix="lab-replicas-"))
    started: list[Server] = []
    proxy = None
    try:
        for i in range(replicas):
            started.append(start_server("app.py", work / f"replica-{i}.log"))
        for server in started:  # they boot at once: the waits overlap
            wait_healthy(server)
        conf = work / "nginx.conf"
        conf.write_text(nginx_config(work, host, port, [backend(s) for s in started]))
        proxy = subprocess.Popen(
            [NGINX, "-p", str(work), "-c", str(conf), "-g", "daemon off;"],
            stderr=(work / "nginx.out").open("w"),
        )
        url = f"http://{host}:{port}"
        wait_healthy(Server(url, proxy, work / "nginx.out"), timeout_s=30)  # via a replica
        yield Cluster(url, started, work)
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for server in started:
            stop_server(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve other machines")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 16:
        parser.error("--replicas: 1 to 16")
    with cluster(args.replicas, args.port, args.host) as c:
        print(f"{args.replicas} replicas behind {c.url} (logs in {c.work}); Ctrl-C stops")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
