"""``cocity equity_results --territory SLUG``: compute a territory's equity results here, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cocity.core.models import ResultStatus
from cocity.dataio.management.commands._common import territory_from_option
from cocity.equity.findings import findings_for
from cocity.equity.services import equity_result_request


class Command(BaseCommand):
    help = (
        "Compute the spatial equity results of a territory from its current data, and print them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--territory", help="short name (slug) of the territory")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = territory_from_option(options["territory"])
        result = equity_result_request(territory=territory, run="now")
        if result.status != ResultStatus.READY:
            raise CommandError(
                _("The results could not be computed: %(error)s") % {"error": result.error}
            )
        result.refresh_from_db()
        for finding in findings_for(result.payload):
            self.stdout.write(f"- {finding}")
