"""``cocity consultation import|export|recompute``: Pol.is exports in and out of a territory.

Usage::

    cocity consultation import PATH [--territory SLUG] [--title T] [--status closed|open|draft]
        [--members-only] [--no-compute]
    cocity consultation export ID OUT [--territory SLUG]
    cocity consultation recompute ID [--territory SLUG]

``import`` reads a Pol.is export folder (``comments.csv`` and ``votes.csv``, or only
``participants-votes.csv``) or a zip of one into a new consultation, all or nothing, and
computes its opinion map at once (``--no-compute`` leaves that to ``cocity worker``).
``export`` writes consultation ``ID`` as a Pol.is folder, or as a zip when ``OUT`` ends in
``.zip``. ``recompute`` computes and stores the opinion map now.

(``cocity opinion analyse FOLDER`` analyses export files without a database.)
Exit status 1 when a file is refused; every problem is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cocity.dataio.management.commands._common import territory_from_option
from cocity.engagement.analysis import opinion_result_compute
from cocity.engagement.models import Conversation, ConversationStatus
from cocity.engagement.polis import conversation_import_polis, polis_export_write, polis_zip


class Command(BaseCommand):
    help = (
        "Import a Pol.is export (folder or zip) as a consultation, export a consultation in "
        "Pol.is's format (folder or .zip), or recompute its opinion map."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="import a Pol.is export folder or zip")
        imp.add_argument("path")
        imp.add_argument("--territory", help="short name (slug) of the territory")
        imp.add_argument("--title", default="", help="default: the export's topic")
        imp.add_argument("--status", choices=ConversationStatus.values, default="closed")
        imp.add_argument("--members-only", action="store_true", help="not public")
        imp.add_argument("--no-compute", action="store_true", help="leave the map to the worker")
        exp = actions.add_parser("export", help="export a consultation in Pol.is's format")
        exp.add_argument("id", type=int)
        exp.add_argument("out", help="a folder, or a file name ending in .zip")
        exp.add_argument("--territory", help="short name (slug) of the territory")
        rec = actions.add_parser("recompute", help="compute and store the opinion map now")
        rec.add_argument("id", type=int)
        rec.add_argument("--territory", help="short name (slug) of the territory")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = territory_from_option(options["territory"])
        action = options["action"]
        if action == "import":
            self._import(territory, options)
            return
        conversation = Conversation.objects.filter(territory=territory, pk=options["id"]).first()
        if conversation is None:
            raise CommandError(
                _("No consultation %(id)s in %(territory)s.")
                % {"id": options["id"], "territory": territory.slug}
            )
        if action == "export":
            out = Path(options["out"])
            if out.suffix.lower() == ".zip":
                out.write_bytes(polis_zip(conversation=conversation))
            else:
                polis_export_write(conversation=conversation, folder=out)
            self.stdout.write(_("Wrote %(out)s") % {"out": out})
        else:
            self._compute(conversation, force=True)

    def _import(self, territory: Any, options: dict[str, Any]) -> None:
        path = Path(options["path"])
        source: dict[str, Any]
        if path.is_dir():
            source = {"folder": path}
        elif path.is_file():
            if path.stat().st_size > settings.COCITY_IMPORT_MAX_BYTES * 10:
                raise CommandError(_("%(name)s is too large.") % {"name": path.name})
            source = {"zip_data": path.read_bytes()}
        else:
            raise CommandError(_("No such file or folder: %(path)s") % {"path": path})
        try:
            summary = conversation_import_polis(
                territory=territory,
                actor=None,
                title=options["title"],
                status=options["status"],
                is_public=not options["members_only"],
                **source,
            )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise SystemExit(1) from None
        self.stdout.write(
            _(
                "Imported consultation %(id)s “%(title)s”: %(participants)d participants, "
                "%(statements)d statements, %(votes)d votes."
            )
            % {
                "id": summary.conversation.pk,
                "title": summary.conversation.title,
                "participants": summary.participants,
                "statements": summary.statements,
                "votes": summary.votes,
            }
        )
        if not options["no_compute"]:
            self._compute(summary.conversation, force=False)

    def _compute(self, conversation: Conversation, *, force: bool) -> None:
        stored = opinion_result_compute(conversation=conversation, force=force)
        if stored is None:
            self.stdout.write(_("No opinion map: there are no votes yet."))
            return
        sizes = ", ".join(str(g["size"]) for g in stored.payload["groups"])
        self.stdout.write(
            _("Opinion map version %(v)d: %(n)d groups (%(sizes)s people), %(s).2f s.")
            % {
                "v": stored.version,
                "n": stored.payload["n_groups"],
                "sizes": sizes,
                "s": stored.seconds,
            }
        )
