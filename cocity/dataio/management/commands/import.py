"""``cocity import stakeholders|partnerships FILE`` and ``cocity import status JOB_ID``.

A file is checked and saved in this process, printing progress as it goes, whatever its size
(the same code the background task runs). ``--background`` queues it instead for
``cocity worker``; ``cocity import status JOB_ID`` then shows how far it got. Nothing is saved
when any row is bad: every problem is printed, and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.dataio.management.commands._common import territory_from_option
from cocity.dataio.models import ImportJob, ImportStatus
from cocity.dataio.services import import_job_create


class Command(BaseCommand):
    help = (
        "Import stakeholders or partnerships from a CSV or XLSX file into a territory, "
        "or show the status of an import: 'import status JOB_ID'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["stakeholders", "partnerships", "status"])
        parser.add_argument("target", help="the file to import, or the job number for 'status'")
        parser.add_argument("--territory", help="short name (slug) of the territory")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="", dest="file_format")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import for 'cocity worker' and return at once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "status":
            self._status(options["target"])
            return
        territory = territory_from_option(options["territory"])
        path = Path(options["target"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        size = path.stat().st_size
        if size > settings.COCITY_IMPORT_MAX_BYTES:
            raise CommandError(
                _("%(name)s is %(size).1f MB; the limit is %(limit)s MB.")
                % {
                    "name": path.name,
                    "size": size / 1024 / 1024,
                    "limit": settings.COCITY_IMPORT_MAX_BYTES // (1024 * 1024),
                }
            )
        self._last_printed: tuple[str, int] = ("", -1)
        job = import_job_create(
            territory=territory,
            actor=None,
            kind=options["kind"],
            file_name=path.name,
            data=path.read_bytes(),
            file_format=options["file_format"],
            run="queue" if options["background"] else "now",
            on_progress=self._progress,
        )
        if job.status == ImportStatus.QUEUED:
            self.stdout.write(
                _(
                    "Import %(id)s queued (%(rows)s rows). Run 'cocity worker' and follow it "
                    "with 'cocity import status %(id)s'."
                )
                % {"id": job.pk, "rows": job.rows_total}
            )
            return
        self._report(job)

    def _progress(self, job: ImportJob) -> None:
        # One line per status and per tenth of the file, so a log stays readable.
        tenth = (10 * job.rows_done) // job.rows_total if job.rows_total else 0
        if (job.status, tenth) == self._last_printed:
            return
        self._last_printed = (job.status, tenth)
        if job.status == ImportStatus.VALIDATING:
            self.stdout.write(
                _("Checking rows: %(done)s of %(total)s (%(percent)s%%)")
                % {"done": job.rows_done, "total": job.rows_total, "percent": job.percent}
            )
        elif job.status == ImportStatus.SAVING:
            self.stdout.write(
                _("All %(total)s rows are correct; saving…") % {"total": job.rows_total}
            )

    def _report(self, job: ImportJob) -> None:
        if job.status == ImportStatus.SUCCEEDED:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported %(n)s %(kind)s from %(file)s into %(territory)s (import %(id)s).")
                    % {
                        "n": job.rows_imported,
                        "kind": job.get_kind_display().lower(),
                        "file": job.file_name,
                        "territory": job.territory.slug,
                        "id": job.pk,
                    }
                )
            )
            for note in job.notes:
                self.stdout.write(note)
            return
        if job.status != ImportStatus.FAILED:
            self.stdout.write(
                _("Import %(id)s: %(status)s, %(done)s of %(total)s rows checked (%(percent)s%%).")
                % {
                    "id": job.pk,
                    "status": job.get_status_display(),
                    "done": job.rows_done,
                    "total": job.rows_total,
                    "percent": job.percent,
                }
            )
            return
        for e in job.errors:
            where = _("row %(row)s") % {"row": e["row"]} if e["row"] is not None else _("file")
            if e["column"]:
                where = _("%(where)s, column %(column)s") % {"where": where, "column": e["column"]}
            self.stderr.write(f"{where}: {e['message']}")
        raise CommandError(
            ngettext(
                "Nothing was imported from %(file)s: %(n)s problem found.",
                "Nothing was imported from %(file)s: %(n)s problems found.",
                job.error_count,
            )
            % {"file": job.file_name, "n": job.error_count}
        )

    def _status(self, target: str) -> None:
        try:
            job = ImportJob.objects.select_related("territory").get(pk=int(target))
        except (ValueError, ImportJob.DoesNotExist):
            raise CommandError(_("No import with the number “%(id)s”.") % {"id": target}) from None
        self._report(job)
