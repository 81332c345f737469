from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "cocity.readiness"
    label = "readiness"
    verbose_name = _("Readiness")

    def ready(self) -> None:
        from cocity.readiness import permissions  # noqa: F401  (registers the rules)
