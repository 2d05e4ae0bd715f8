"""Past one server: the container recipe, and nginx in front of two replicas with sticky sessions."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from bench import load
from bench.browser import free_port
from bench.stclient import Session, run_async
from deploy import replicas

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_is_slim_pinned_non_root_and_checks_health():
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.M)
    assert "pip install -r requirements.txt" in DOCKERFILE
    assert all("==" in line for line in _requirements() if line)
    user = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"HEALTHCHECK .*\n.*/_stcore/health", DOCKERFILE)
    assert 'CMD ["streamlit", "run", "app.py"' in DOCKERFILE


def test_the_image_holds_every_package_the_app_imports():
    copied = set(re.findall(r"^COPY (\S+) ", DOCKERFILE, re.M))
    for package in ("pages", "labs", "charts", "ui", "dlcore", ".streamlit", "app.py"):
        assert package in copied or f"{package}" in DOCKERFILE.split(), package


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines]


def test_nginx_config_has_websockets_affinity_and_upload_room():
    text = replicas.nginx_config(Path("/w"), "127.0.0.1", 8080, ["127.0.0.1:1", "127.0.0.1:2"])
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "hash $route_key consistent;" in text
    assert "client_max_body_size 12m;" in text
    assert text.count("        server 127.0.0.1:") == 2
    assert "pid /w/nginx.pid;" in text


NO_NGINX = not os.access(replicas.NGINX, os.X_OK)


@pytest.mark.skipif(
    NO_NGINX, reason=f"nginx is not installed ({replicas.NGINX}): apt-get install nginx"
)
@pytest.mark.timeout(240)
def test_two_replicas_behind_nginx_keep_each_visitor_on_one():
    with replicas.cluster(2, free_port()) as c:
        backends = {replicas.backend(s) for s in c.replicas}
        seen = run_async(_visitors(c.url, 12))
        # Everything one visitor sent (page, health, websocket, upload) reached one replica ...
        assert all(len(s) == 1 for s in seen), seen
        # ... and the visitors were spread over both (all 12 on one: odds 1 in 2048).
        assert set().union(*seen) == backends
        samples = run_async(
            load.crowd(c.url, 4, load.Options(seconds=8, think=(0.3, 0.8), warm=False), PATHS)
        )
    assert [s.error for s in samples if s.error] == []
    assert sum(s.kind == "move" for s in samples) >= 8


PATHS = ["/Convolution?cv_panel=Pooling", "/Activation_Functions?act_panel=Softmax"]


async def _visitors(url: str, n: int) -> list[set[str]]:
    return list(await asyncio.gather(*(_visit(url) for _ in range(n))))


async def _visit(url: str) -> set[str]:
    session = Session(url)
    await session.connect()
    try:
        run = await session.open(*load.UPLOAD_PAGE)
        done = await session.upload(
            run.uploaders[0], "a.jpg", load.pattern_image(64, 48, 1, "JPEG")
        )
        assert done.status.startswith("FINISHED") and not done.exceptions
        pooling = await session.open("Convolution", "cv_panel=Pooling")
        moved = await session.move(pooling.sliders[0], 0.5)
        assert not moved.exceptions
    finally:
        await session.close()
    return session.replicas
