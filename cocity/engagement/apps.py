from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "cocity.engagement"
    label = "engagement"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from cocity.engagement import permissions  # noqa: F401  (registers the rules)
