"""Desk views for the reference library: list, add, edit, delete, retract (imports: imports.py)."""

from http import HTTPStatus

from concurrency.exceptions import RecordModifiedError
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from articles import policies
from articles.services import reference_citing_articles, reference_delete
from citations.models import Reference
from citations.services import (
    reference_create,
    reference_find_duplicate,
    reference_update,
)
from desk import forms
from desk.permissions import DeskAccessMixin
from desk.selectors import field_changes
from reviews.services import TransitionRefused, reference_retract

# The reference library ----------------------------------------------------------------------


class ReferenceListView(DeskAccessMixin, ListView):
    template_name = "desk/reference_list.html"
    context_object_name = "references"
    paginate_by = 50

    def get_queryset(self):
        self.search_form = forms.ReferenceSearchForm(self.request.GET)
        query = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        return Reference.objects.search(query).order_by("title", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_form"] = self.search_form
        return context


def _duplicates_from(error: ValidationError) -> list[Reference]:
    """The existing references a duplicate-DOI/PMID error points to, for links."""
    pks = []
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                if item.code == "duplicate_reference" and item.params:
                    pks.append(item.params["reference_pk"])
    return list(Reference.objects.filter(pk__in=pks))


REFERENCE_LABELS = {
    name: str(Reference._meta.get_field(name).verbose_name).capitalize()
    for name in forms.ReferenceForm.Meta.fields
}


class ReferenceFormView(DeskAccessMixin, View):
    """Add (no pk) or edit a reference; a duplicate links to the copy already in the library."""

    def get_reference(self, pk):
        return get_object_or_404(Reference, pk=pk) if pk else None

    def get(self, request, pk=None):
        reference = self.get_reference(pk)
        initial = {"version": reference.version} if reference else {}
        form = forms.ReferenceForm(instance=reference, initial=initial)
        return self.render(reference, form)

    def post(self, request, pk=None):
        reference = self.get_reference(pk)
        form = forms.ReferenceForm(request.POST, instance=reference)
        if not form.is_valid():
            return self.render(reference, form, status=HTTPStatus.BAD_REQUEST)
        fields = {name: form.cleaned_data[name] for name in forms.ReferenceForm.Meta.fields}
        try:
            if reference is None:
                duplicate = reference_find_duplicate(
                    doi=fields["doi"],
                    pmid=fields["pmid"],
                    title=fields["title"],
                    year=fields["year"],
                )
                if duplicate is not None:
                    form.add_error(
                        None,
                        ValidationError(
                            "This reference is already in the library.", code="duplicate_reference"
                        ),
                    )
                    return self.render(
                        None, form, status=HTTPStatus.BAD_REQUEST, duplicates=[duplicate]
                    )
                saved = reference_create(user=request.user, **fields)
            else:
                fresh = Reference.objects.get(pk=reference.pk)
                saved = reference_update(
                    reference=fresh, version=form.cleaned_data["version"], **fields
                )
        except ValidationError as error:
            duplicates = _duplicates_from(error)
            form.add_error(None, error)
            return self.render(
                reference, form, status=HTTPStatus.BAD_REQUEST, duplicates=duplicates
            )
        except RecordModifiedError:
            current = Reference.objects.get(pk=reference.pk)
            messages.error(
                request,
                "Someone else saved this reference after you opened it, so "
                "nothing was saved. Compare below, then save again.",
            )
            saved_values = {name: getattr(current, name) for name in REFERENCE_LABELS}
            saved_values["authors"] = forms.AuthorsField().prepare_value(current.authors)
            yours = dict(fields)
            yours["authors"] = forms.AuthorsField().prepare_value(fields["authors"])
            data = request.POST.copy()
            data["version"] = str(current.version)
            rebound = forms.ReferenceForm(data, instance=current)
            rebound.is_valid()
            return self.render(
                current,
                rebound,
                status=HTTPStatus.CONFLICT,
                conflict=field_changes(REFERENCE_LABELS, yours, saved_values),
            )
        messages.success(request, f"Saved “{saved.title}”.")
        return redirect("desk:reference_edit", saved.pk)

    def render(self, reference, form, *, status=HTTPStatus.OK, duplicates=(), conflict=None):
        context = {
            "reference": reference,
            "form": form,
            "duplicates": duplicates,
            "conflict": conflict,
            "retract_form": forms.RetractForm(),
            "can_retract": policies.may_retract(self.request.user),
        }
        if reference is not None:
            context["working"], context["live"] = reference_citing_articles(reference=reference)
        return render(self.request, "desk/reference_form.html", context, status=status)


class ReferenceDeleteView(ReferenceFormView):
    http_method_names = ["post"]

    def post(self, request, pk):
        reference = get_object_or_404(Reference, pk=pk)
        try:
            reference_delete(reference=reference)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            form = forms.ReferenceForm(instance=reference, initial={"version": reference.version})
            return self.render(reference, form, status=HTTPStatus.CONFLICT)
        messages.success(request, f"Deleted “{reference.title}”.")
        return redirect("desk:references")


class ReferenceRetractView(DeskAccessMixin, View):
    """Editors only: retract a source, send live articles citing it back to the board."""

    http_method_names = ["post"]

    def post(self, request, pk):
        reference = get_object_or_404(Reference, pk=pk)
        if not policies.may_retract(request.user):
            raise PermissionDenied("Only editors mark a reference retracted.")
        form = forms.RetractForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for e in form.errors.values() for m in e))
            return redirect("desk:reference_edit", reference.pk)
        try:
            result = reference_retract(
                reference=reference,
                user=request.user,
                reason=form.cleaned_data["reason"],
                notice=form.cleaned_data["notice"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("desk:reference_edit", reference.pk)
        except TransitionRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        if result.sent_back:
            titles = "; ".join(f"“{a.title}”" for a in result.sent_back)
            messages.warning(
                request,
                f"Marked retracted. Sent back to the board for re-review: {titles}. "
                "Editors and the approving board members have been alerted.",
            )
        if result.drafts or result.live_elsewhere:
            titles = "; ".join(f"“{a.title}”" for a in [*result.drafts, *result.live_elsewhere])
            messages.warning(
                request,
                f"These articles cite it and cannot be submitted until the citation "
                f"is replaced: {titles}.",
            )
        if not (result.sent_back or result.drafts or result.live_elsewhere):
            messages.success(request, "Marked retracted. No article cites it.")
        return redirect("desk:reference_edit", reference.pk)
