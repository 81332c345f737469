from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "cocity.network"
    label = "network"
    verbose_name = _("Ecosystem intelligence")

    def ready(self) -> None:
        from cocity.network import permissions  # noqa: F401  (registers the rules)
