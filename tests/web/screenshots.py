"""Take the portal's screenshots for docs/screenshots/ (not a test; run it by hand).

    .venv/bin/python -m tests.web.screenshots [OUT_DIR]

Loads the demo content into a fresh state folder, starts ``pressroom serve`` on a
loopback port and photographs home, a section page and an article in each language
(1280 px wide), plus home and an article at 360 px and a search, with Debian's Chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import REPO
from tests.web.conftest import DEMO
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

ARTICLE_SOURCE_ID = 1154138  # the reference page's first story


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="pressroom-shots-"))
    env = {**os.environ, "PRESSROOM_HOME": str(home), "PRESSROOM_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "pressroom.cli"]
    subprocess.run([*cli, "ingest", *map(str, DEMO)], env=env, check=True, capture_output=True)
    article_id = subprocess.run(
        [*cli, "manage", "shell", "-c",
         "from pressroom.store.models import Article; "
         f"print(Article.objects.get(source_id={ARTICLE_SOURCE_ID}, lang='en').pk)"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            shots = []
            for lang in ("en", "ru", "kk"):
                shots += [
                    (f"{lang}-home.png", f"/{lang}/", 1280, False),
                    (f"{lang}-section.png", f"/{lang}/section/society/", 1280, False),
                    (f"{lang}-article.png", f"/{lang}/article/{article_id}/", 1280, True),
                ]
            shots += [
                ("en-home-360px.png", "/en/", 360, False),
                ("ru-article-360px.png", f"/ru/article/{article_id}/", 360, False),
                ("en-search.png", "/en/search/?q=Shymkent+housing", 1280, True),
            ]
            for name, path, width, full in shots:
                page = browser.new_page(viewport={"width": width, "height": 1000})
                page.goto(base + path)
                page.screenshot(path=str(out / name), full_page=full)
                page.close()
                print(out / name)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    default = REPO / "docs" / "screenshots"
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
