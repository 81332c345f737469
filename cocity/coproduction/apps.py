from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoproductionConfig(AppConfig):
    name = "cocity.coproduction"
    label = "coproduction"
    verbose_name = _("Co-production")

    def ready(self) -> None:
        from cocity.coproduction import permissions  # noqa: F401  (registers the rules)
