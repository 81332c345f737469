"""Writes to readiness: models and their versions, rounds, answers, targets, the register.

Every service checks its input before writing and writes in one transaction; a
``ValidationError`` names the field that is wrong and nothing is saved.

One module per domain; the names are re-exported here, so callers write
``services.round_open(...)``.
"""

from cocity.readiness.services.interface_register import (
    INTERFACE_FIELDS,
    interface_item_create,
    interface_item_delete,
    interface_item_update,
)
from cocity.readiness.services.maturity_models import (
    DIMENSION_FIELDS,
    dimension_create,
    dimension_delete,
    dimension_update,
    maturity_model_copy,
    maturity_model_delete,
    maturity_model_install_default,
    maturity_model_new_version,
    maturity_model_publish,
    maturity_model_update,
)
from cocity.readiness.services.readiness_settings import (
    readiness_settings_of,
    readiness_settings_update,
)
from cocity.readiness.services.rounds import (
    RESPONDENT_ROLES,
    AnswerInput,
    action_link_create,
    action_link_delete,
    answers_save,
    eligible_respondents,
    invitation_delete,
    round_close,
    round_invite,
    round_open,
    round_targets_set,
    stakeholder_of,
)

__all__ = [
    "DIMENSION_FIELDS",
    "INTERFACE_FIELDS",
    "RESPONDENT_ROLES",
    "AnswerInput",
    "action_link_create",
    "action_link_delete",
    "answers_save",
    "dimension_create",
    "dimension_delete",
    "dimension_update",
    "eligible_respondents",
    "interface_item_create",
    "interface_item_delete",
    "interface_item_update",
    "invitation_delete",
    "maturity_model_copy",
    "maturity_model_delete",
    "maturity_model_install_default",
    "maturity_model_new_version",
    "maturity_model_publish",
    "maturity_model_update",
    "readiness_settings_of",
    "readiness_settings_update",
    "round_close",
    "round_invite",
    "round_open",
    "round_targets_set",
    "stakeholder_of",
]
