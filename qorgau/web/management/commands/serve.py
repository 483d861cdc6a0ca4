"""`qorgau serve`: the production web server, gunicorn, with the settings of the environment.

Static files are served by WhiteNoise from STATIC_ROOT, so the command collects them first.
Workers default to WEB_CONCURRENCY, else 2 × CPU cores + 1 (the cores this process may use).
"""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers() -> int:
    raw = os.environ.get("WEB_CONCURRENCY", "")
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise CommandError(f"WEB_CONCURRENCY must be a whole number of workers, not {raw!r}")
        return int(raw)
    return 2 * cores() + 1


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn run from inside the command: Django is already set up in the master."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from qorgau.wsgi import application

        return application


class Command(BaseCommand):
    help = (
        "Serve Qorgau in production with gunicorn: settings from the environment "
        "(docs/configuration.md), static files through WhiteNoise, workers sized to the cores."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("QORGAU_BIND", "127.0.0.1:8000"),
            help="address:port, or unix:PATH (default QORGAU_BIND, else 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers", type=int, help="processes (default WEB_CONCURRENCY, else 2 × cores + 1)"
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="threads per worker; above 1, gthread workers"
        )
        parser.add_argument(
            "--timeout", type=int, default=60, help="seconds before a stuck worker is restarted"
        )
        parser.add_argument("--access-log", action="store_true", help="log every request to stdout")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="static files are collected already"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] if options["workers"] is not None else default_workers()
        if workers < 1 or options["threads"] < 1 or options["timeout"] < 1:
            raise CommandError("--workers, --threads and --timeout must be at least 1")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: this is the production server, turn DEBUG off.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # The workers are forked from this process: none may inherit its database connection.
        connections.close_all()
        config = {
            "bind": options["bind"],
            "workers": workers,
            "threads": options["threads"],
            "worker_class": "gthread" if options["threads"] > 1 else "sync",
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "keepalive": 5,
            # A worker is replaced now and then, so a slow leak can never grow without bound.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "accesslog": "-" if options["access_log"] else None,
            "errorlog": "-",
            "proc_name": "qorgau",
            # gunicorn's runtime control socket is one path per machine user: two servers (a
            # benchmark beside a deployment) would fight over it, and nothing here uses it.
            "control_socket_disable": True,
        }
        threads, bind = options["threads"], options["bind"]
        self.stdout.write(f"qorgau serve: {workers} worker(s) × {threads} thread(s) on {bind}")
        self.stdout.flush()
        Server(config).run()
