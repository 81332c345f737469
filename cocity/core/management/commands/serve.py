"""``cocity serve``: the production web server (gunicorn, static files by WhiteNoise)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the production web server (DEBUG off, static files served by the app)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("COCITY_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("COCITY_WORKERS", "2"))
        )
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true", help="Skip migrations.")
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("cocity serve runs with DEBUG off; unset COCITY_DEBUG.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.base import BaseApplication

        from cocity.wsgi import application

        bind, workers, threads = options["bind"], options["workers"], options["threads"]

        class App(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", bind)
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("accesslog", os.environ.get("COCITY_ACCESS_LOG") or None)

            def load(self) -> Any:
                return application

        self.stdout.write(f"cocity is serving on http://{bind}/ (Ctrl-C stops it)")
        App().run()
