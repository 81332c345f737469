"""``cocity demo``: a running demo of cocity in one command.

Migrates the database, generates the demo territory once (Norrhamn, with one login per
role), collects the static files, prints the address and the logins, and starts the
production server (``cocity serve``). A second run keeps the data and prints the same
logins; ``--reset`` generates everything again, with new passwords.

Passwords: the demo logins (``facilitator``, ``officer``, ``partner``, ``citizen``,
``observer`` and the staff superuser ``admin``) share one password, made with
:func:`secrets.token_urlsafe` when the demo is generated, so that no password is ever in the
repository. It is printed, and saved in ``COCITY_DATA_DIR/demo-logins.txt`` (mode 600) so
that the next run can print it again; delete that file and run ``cocity demo`` for a new one.

Dates: the demo is dated from today (``--today`` to choose the day). Its data is the same
whatever the day, shifted in time, so its "recent activity" is always recent;
``demo_generate()`` itself uses a fixed anchor day, for tests and benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from cocity.demo import (
    DEFAULT_SEED,
    DEFAULT_SLUG,
    DemoLogin,
    demo_delete,
    demo_exists,
    demo_generate,
    demo_logins_set,
    demo_logins_valid,
)
from cocity.demo.extensions import demo_extensions_delete, demo_extensions_generate
from cocity.demo.generator import region_slug_for
from cocity.demo.logins import logins_path, logins_read, logins_write
from cocity.territories.models import Territory


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("give a date as YYYY-MM-DD, e.g. 2026-06-30")) from None


def _url(bind: str) -> str:
    host, _sep, port = bind.rpartition(":")
    if not host or host.startswith("unix"):
        return "http://127.0.0.1:8000/"
    if host in {"0.0.0.0", "[::]", "::"}:  # noqa: S104 - recognising, not binding
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = (
        "Run the demo: migrate, generate the demo territory once, print the logins, and serve "
        "on http://127.0.0.1:8000/. The logins share a password made for this installation "
        "and saved in COCITY_DATA_DIR/demo-logins.txt (readable by you only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo and generate it again."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything but do not serve."
        )
        parser.add_argument("--bind", default=None, help="Address to serve on (host:port).")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Another seed makes another city."
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Date the demo data from this day (default: today; the data is the same, "
            "shifted in time).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(_("Preparing the database…"))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)

        path = logins_path(settings.DATA_DIR)
        try:
            logins = self._demo(options, path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        self.stdout.write(_("Collecting static files…"))
        call_command("collectstatic", interactive=False, verbosity=0)

        bind = options["bind"] or "127.0.0.1:8000"
        self._print_logins(_url(bind), logins, path)
        if not options["no_serve"]:
            serve_options: dict[str, Any] = {"no_migrate": True, "no_collectstatic": True}
            if options["bind"]:
                serve_options["bind"] = options["bind"]
            call_command("serve", **serve_options)

    def _demo(self, options: dict[str, Any], path: Any) -> tuple[DemoLogin, ...]:
        if options["reset"]:
            demo_extensions_delete(slug=DEFAULT_SLUG)
        if options["reset"] and demo_delete(slug=DEFAULT_SLUG):
            self.stdout.write(_("Deleted the previous demo."))
        if not demo_exists(slug=DEFAULT_SLUG):
            self.stdout.write(_("Generating the demo territory…"))
            summary = demo_generate(
                seed=options["seed"],
                slug=DEFAULT_SLUG,
                today=options["today"] or timezone.localdate(),
            )
            demo_extensions_generate(
                territory=Territory.objects.get(slug=DEFAULT_SLUG),
                seed=options["seed"],
                today=options["today"] or timezone.localdate(),
            )
            logins_write(path, summary.logins)
            self.stdout.write(
                _(
                    "Created %(stakeholders)d stakeholders, %(partnerships)d partnerships, "
                    "%(collaborations)d records of joint work, %(ratings)d trust ratings, "
                    "%(initiatives)d initiatives and %(areas)d areas."
                )
                % {
                    "stakeholders": summary.stakeholders,
                    "partnerships": summary.partnerships,
                    "collaborations": summary.collaborations,
                    "ratings": summary.trust_ratings,
                    "initiatives": summary.initiatives,
                    "areas": summary.areas,
                }
            )
            return summary.logins
        saved = logins_read(path)
        if saved is None or not demo_logins_valid(saved):
            # The passwords are only stored hashed: without the file, make new ones.
            self.stdout.write(_("No saved demo logins were found; setting new passwords."))
            city = Territory.objects.get(slug=DEFAULT_SLUG)
            region = Territory.objects.filter(slug=region_slug_for(DEFAULT_SLUG)).first()
            saved = demo_logins_set(
                territory=city, region=region, password=secrets.token_urlsafe(9)
            )
            logins_write(path, saved)
        else:
            self.stdout.write(_("The demo territory exists; keeping its data."))
        if options["today"] or options["seed"] != DEFAULT_SEED:
            self.stdout.write(_("--seed and --today take effect with --reset."))
        return saved

    def _print_logins(self, url: str, logins: tuple[DemoLogin, ...], path: Any) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(_("cocity demo: open %(url)s") % {"url": url}))
        out.write(_("The demo city: %(url)st/%(slug)s/") % {"url": url, "slug": DEFAULT_SLUG})
        out.write("")
        out.write(_("Sign in as (role, username, password):"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            out.write(f"  {login.role:<12} {login.username:<{width}}  {login.password}")
        out.write("")
        out.write(_("The logins are saved in %(path)s (readable by you only).") % {"path": path})
