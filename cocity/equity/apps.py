from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquityConfig(AppConfig):
    name = "cocity.equity"
    label = "equity"
    verbose_name = _("Spatial equity")

    def ready(self) -> None:
        from cocity.equity import permissions  # noqa: F401  (registers the rules)
