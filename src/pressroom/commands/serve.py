"""``pressroom serve``: the portal under gunicorn, static files by WhiteNoise, no CDN needed.

``serve()`` is also what ``pressroom run`` calls to start the site beside the
background work. Workers are processes (``gthread`` class: a few threads each, so
keep-alive connections and slow clients do not block a whole worker); they share
the page cache through files or Redis, never through memory.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
THREADS_PER_WORKER = 4


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "serve",
        help="serve the portal (gunicorn) at http://127.0.0.1:8000",
        description="Serve the news portal with gunicorn; static files are served too.",
    )
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on ({DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: 2 per CPU core + 1)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return serve(args.host, args.port, args.workers)


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def prepare() -> None:
    """What the server needs before it forks: static files collected, no open connections."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if settings.DEBUG:
        print(
            "pressroom: warning: PRESSROOM_DEBUG is on; never serve readers this way",
            file=sys.stderr,
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    # Serve the collected (and compressed) copies, not the app folders: settings chose the
    # folders if nothing was collected yet when they were read.
    settings.WHITENOISE_USE_FINDERS = False
    connections.close_all()  # each worker opens its own


def serve(host: str, port: int, workers: int | None = None) -> int:
    """Run the site until interrupted (blocking). Django must be set up."""
    from gunicorn.app.base import BaseApplication

    if workers is not None and workers < 1:
        print("pressroom: --workers must be at least 1", file=sys.stderr)
        return 2
    prepare()
    from pressroom.wsgi import application  # after prepare(): its middleware reads the settings

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "pressroom",
        "control_socket_disable": True,  # gunicorn >= 24: no socket in $HOME; two servers may run
    }

    class _Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if (
                    key in self.cfg.settings
                ):  # options newer than the installed gunicorn are skipped
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(
        f"pressroom: serving http://{host}:{port}/ with {options['workers']} workers",
        file=sys.stderr,
    )
    _Server().run()
    return 0
