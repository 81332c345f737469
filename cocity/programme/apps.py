from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "cocity.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from cocity.programme import permissions  # noqa: F401  (registers the rules)
