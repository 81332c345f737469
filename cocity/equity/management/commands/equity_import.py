"""``cocity equity_import areas|indicators|assets FILE --territory SLUG``: import into a territory.

The file is read, checked and saved in this process, printing progress, whatever its size (the
code the web upload and the background task run); ``--background`` queues it for
``cocity worker`` instead. Nothing is saved when any row is bad: every problem is printed and
the command exits with status 1. The equity results are computed afterwards (by a task for a
large territory; ``cocity equity_results`` computes them here).

For files without a database, see ``cocity equity join|report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.dataio.management.commands._common import territory_from_option
from cocity.equity.models import EquityImport, ImportKind, ImportStatus
from cocity.equity.services import OPTIONS, equity_import_create


class Command(BaseCommand):
    help = (
        "Import areas (GeoJSON), indicators per area (CSV) or digital assets (CSV or GeoJSON "
        "points) into a territory's spatial equity data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--territory", help="short name (slug) of the territory")
        parser.add_argument("--type", dest="asset_type", help="give every asset this type")
        for name in sorted({n for names in OPTIONS.values() for n in names} - {"asset_type"}):
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import for 'cocity worker' and return at once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        territory = territory_from_option(options["territory"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        kind = options["kind"]
        given = {name: options.get(name) for name in OPTIONS[ImportKind(kind)]}
        self._last: tuple[str, int] = ("", -1)
        job = equity_import_create(
            territory=territory,
            actor=None,
            kind=kind,
            file_name=path.name,
            data=path.read_bytes(),
            options={k: v for k, v in given.items() if v},
            run="queue" if options["background"] else "now",
            on_progress=self._progress,
            size_limit=False,
        )
        if job.status == ImportStatus.QUEUED:
            self.stdout.write(
                _("Import %(id)s queued. Run 'cocity worker' to carry it out.") % {"id": job.pk}
            )
            return
        if job.status == ImportStatus.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported %(n)s rows of %(file)s into %(territory)s (import %(id)s).")
                    % {
                        "n": job.rows_total,
                        "file": job.file_name,
                        "territory": territory.slug,
                        "id": job.pk,
                    }
                )
            )
            for note in job.notes:
                self.stdout.write(note)
            return
        for error in job.errors:
            self.stderr.write(f"{error['row'] or _('file')}: {error['message']}")
        raise CommandError(
            ngettext(
                "Nothing was imported from %(file)s: %(n)s problem found.",
                "Nothing was imported from %(file)s: %(n)s problems found.",
                job.error_count,
            )
            % {"file": job.file_name, "n": job.error_count}
        )

    def _progress(self, job: EquityImport) -> None:
        # One line per step and per tenth saved, so that a log stays readable.
        tenth = (10 * job.rows_done) // job.rows_total if job.rows_total else 0
        if (job.status, tenth) == self._last or job.is_finished:
            return
        self._last = (job.status, tenth)
        if job.status == ImportStatus.SAVING and job.rows_total:
            self.stdout.write(
                _("Saving: %(done)s of %(total)s (%(percent)s%%)")
                % {"done": job.rows_done, "total": job.rows_total, "percent": job.percent}
            )
        else:
            self.stdout.write(f"{job.get_status_display()}…")
