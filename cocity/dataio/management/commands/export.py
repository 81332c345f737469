"""``cocity export KIND --territory SLUG --format csv|xlsx|json [--out FILE]``.

By default the export holds what an anonymous visitor of a public territory may read: no
drafts and no trust ratings. ``--include-private`` exports as the instance's administrator
(drafts, and the ``trust`` kind), for backups and migrations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cocity.dataio.exporters import EXPORT_KINDS, FORMATS, export_file
from cocity.dataio.management.commands._common import territory_from_option


class Command(BaseCommand):
    help = "Export a territory's data (stakeholders, partnerships, ...) as CSV, XLSX or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(EXPORT_KINDS))
        parser.add_argument("--territory", help="short name (slug) of the territory")
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="include drafts and allow trust ratings (as an administrator sees them)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        territory = territory_from_option(options["territory"])
        viewer: Any = AnonymousUser()
        if options["include_private"]:
            # An unsaved superuser: has_perm answers yes to everything, nothing is stored.
            viewer = get_user_model()(username="cocity-export", is_superuser=True, is_active=True)
        try:
            exported = export_file(
                territory=territory, user=viewer, kind=options["kind"], fmt=options["fmt"]
            )
        except PermissionError:
            raise CommandError(
                _("Exporting %(kind)s of %(territory)s needs --include-private.")
                % {"kind": options["kind"], "territory": territory.slug}
            ) from None
        if options["out"]:
            Path(options["out"]).write_bytes(exported.content)
            self.stderr.write(
                _("Wrote %(file)s (%(n)s bytes).")
                % {"file": options["out"], "n": len(exported.content)}
            )
        elif options["fmt"] == "xlsx":
            raise CommandError(_("An XLSX file cannot go to the terminal; give --out FILE."))
        else:
            self.stdout.write(exported.content.decode("utf-8-sig"), ending="")
