"""Pages of maturity models: the default model, copies, versions, publishing, dimensions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.readiness import selectors, services
from cocity.readiness.forms import DimensionForm, MaturityModelForm, ModelCopyForm
from cocity.readiness.models import Dimension, MaturityModel
from cocity.readiness.views.pages import MANAGE, VIEW, _form_page, _page, _service_error
from cocity.territories.models import Territory


def _model(territory: Territory, pk: int) -> MaturityModel:
    try:
        return selectors.maturity_model_get(territory=territory, pk=pk)
    except MaturityModel.DoesNotExist:
        raise Http404 from None


@territory_view(VIEW)
def model_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _page(
        request,
        "readiness/model_list.html",
        {
            "models": selectors.maturity_model_list(territory=territory),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_POST
def model_install_default(request: HttpRequest, territory: Territory) -> HttpResponse:
    model = services.maturity_model_install_default(territory=territory, actor=request.user)
    messages.success(request, _("The default model is ready to use."))
    return redirect("readiness:model_detail", territory.slug, model.pk)


@territory_view(VIEW)
def model_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    return _page(
        request,
        "readiness/model_detail.html",
        {
            "model": model,
            "dimensions": list(model.dimensions.all()),
            "versions": selectors.maturity_model_list(territory=territory).filter(
                family=model.family
            ),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def model_copy(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    source = _model(territory, pk)
    form = ModelCopyForm(
        request.POST or None, initial={"name": _("%(name)s (adapted)") % {"name": source.name}}
    )
    if request.method == "POST":
        copy = save_with_service(
            form,
            lambda: services.maturity_model_copy(
                model=source, actor=request.user, name=form.cleaned_data["name"]
            ),
        )
        if copy:
            messages.success(request, _("Copy made. Adapt it, then publish it."))
            return redirect("readiness:model_detail", territory.slug, copy.pk)
    return _form_page(
        request,
        form,
        _("Copy and adapt %(name)s") % {"name": source},
        intro=_(
            "The copy is a new model with its own history; rounds of the original are untouched."
        ),
    )


@territory_view(MANAGE)
@require_POST
def model_new_version(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    version = services.maturity_model_new_version(model=_model(territory, pk), actor=request.user)
    messages.success(
        request,
        _("Version %(v)s made as a draft; earlier rounds keep their version.")
        % {"v": version.version},
    )
    return redirect("readiness:model_detail", territory.slug, version.pk)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    if model.is_published:
        messages.error(
            request, _("Published versions are frozen. Make a new version to change it.")
        )
        return redirect("readiness:model_detail", territory.slug, model.pk)
    form = MaturityModelForm(
        request.POST or None,
        initial={
            "name": model.name,
            "description": model.description,
            "level_names": "\n".join(model.level_names),
        },
    )
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: services.maturity_model_update(
                model=model, actor=request.user, **form.cleaned_data
            ),
        )
        is not None
    ):
        messages.success(request, _("Model saved."))
        return redirect("readiness:model_detail", territory.slug, model.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": model})


@territory_view(MANAGE)
@require_POST
def model_publish(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.maturity_model_publish(model=model, actor=request.user)
        messages.success(request, _("Published: rounds can now use this version."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:model_detail", territory.slug, model.pk)


@territory_view(MANAGE)
@require_POST
def model_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.maturity_model_delete(model=model, actor=request.user)
    except ValidationError as error:
        _service_error(request, error)
        return redirect("readiness:model_detail", territory.slug, model.pk)
    messages.success(request, _("Draft removed."))
    return redirect("readiness:model_list", territory.slug)


def _dimension_page(
    request: HttpRequest, territory: Territory, model: MaturityModel, dimension: Dimension | None
) -> HttpResponse:
    if model.is_published:
        messages.error(
            request, _("Published versions are frozen. Make a new version to change it.")
        )
        return redirect("readiness:model_detail", territory.slug, model.pk)
    initial = DimensionForm.initial_for(dimension) if dimension else {}
    form = DimensionForm(request.POST or None, model=model, initial=initial)

    def save() -> Dimension:
        if dimension is None:
            return services.dimension_create(model=model, actor=request.user, **form.cleaned_data)
        return services.dimension_update(
            dimension=dimension, actor=request.user, **form.cleaned_data
        )

    if request.method == "POST" and save_with_service(form, save) is not None:
        messages.success(request, _("Dimension saved."))
        return redirect("readiness:model_detail", territory.slug, model.pk)
    title = _("Edit %(name)s") % {"name": dimension} if dimension else _("New dimension")
    return _form_page(request, form, title)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def dimension_create(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _dimension_page(request, territory, _model(territory, pk), None)


def _dimension(model: MaturityModel, dpk: int) -> Dimension:
    found = next((d for d in model.dimensions.all() if d.pk == dpk), None)
    if found is None:
        raise Http404
    return found


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def dimension_edit(request: HttpRequest, territory: Territory, pk: int, dpk: int) -> HttpResponse:
    model = _model(territory, pk)
    return _dimension_page(request, territory, model, _dimension(model, dpk))


@territory_view(MANAGE)
@require_POST
def dimension_delete(request: HttpRequest, territory: Territory, pk: int, dpk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.dimension_delete(dimension=_dimension(model, dpk), actor=request.user)
        messages.success(request, _("Dimension removed."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:model_detail", territory.slug, model.pk)
