"""Changes to an article's tree: sections and statements added, moved and deleted."""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from articles.models import EvidenceSection
from articles.services import content as services
from desk import forms
from desk.permissions import DeskAccessMixin, desk_article_or_404
from desk.views.article_page import render_article_page


class TreeActionView(DeskAccessMixin, View):
    """A POST that changes the article's tree, refused when stale or not editable."""

    http_method_names = ["post"]
    form_class = forms.VersionForm
    success_message = "Saved."
    slot = None

    def get_form(self, data):
        return self.form_class(data)

    def perform(self, form, article):
        raise NotImplementedError

    def slot_key(self):
        return self.slot

    def success_url(self, article, result):
        return reverse("desk:article", args=[article.pk]) + "#sections"

    def render_failure(self, article, form, status, conflict=None):
        key = self.slot_key()
        bound = {key: form} if key is not None else {}
        return render_article_page(
            self.request, article, bound=bound, status=status, conflict=conflict
        )

    def post(self, request, pk, **kwargs):
        self.article = article = desk_article_or_404(request.user, pk)
        form = self.get_form(request.POST)
        if not form.is_valid():
            messages.error(request, "Nothing was saved: please correct the form.")
            return self.render_failure(article, form, HTTPStatus.BAD_REQUEST)
        try:
            result = self.perform(form, article)
        except services.ArticleLocked as locked:
            messages.error(request, str(locked))
            return self.render_failure(article, form, HTTPStatus.CONFLICT)
        except services.ArticleConflict as conflict:
            messages.error(request, str(conflict))
            data = request.POST.copy()
            data["version"] = str(conflict.current.version)
            form = self.get_form(data)
            form.is_valid()
            return self.render_failure(
                article,
                form,
                HTTPStatus.CONFLICT,
                conflict=self.conflict_changes(form, conflict.current),
            )
        except ObjectDoesNotExist as missing:
            raise Http404("That part of the article no longer exists.") from missing
        except ValidationError as error:
            form.add_error(None, error)
            messages.error(request, " ".join(error.messages))
            return self.render_failure(article, form, HTTPStatus.BAD_REQUEST)
        messages.success(request, self.success_message)
        return redirect(self.success_url(article, result))

    def conflict_changes(self, form, current):
        # The clash is elsewhere in the tree; the box still explains and keeps the input.
        return []


class SectionAddView(TreeActionView):
    slot = "section_add"
    success_message = "Section added."

    def get_form(self, data):
        return forms.SectionForm(data)

    def perform(self, form, article):
        return services.section_add(
            user=self.request.user,
            article_pk=article.pk,
            version=form.cleaned_data["version"],
            kind=form.cleaned_data["kind"],
            heading=form.cleaned_data["heading"],
        )

    def success_url(self, article, section):
        return reverse("desk:article", args=[article.pk]) + f"#section-{section.pk}"


class SectionUpdateView(TreeActionView):
    success_message = "Section saved."

    def slot_key(self):
        return ("section", self.kwargs["section_pk"])

    def get_form(self, data):
        count = EvidenceSection.objects.filter(article=self.article).count()
        return forms.SectionForm(data, section_count=count)

    def perform(self, form, article):
        data = form.cleaned_data
        return services.section_update(
            user=self.request.user,
            section_pk=self.kwargs["section_pk"],
            article_pk=article.pk,
            version=data["version"],
            kind=data["kind"],
            heading=data["heading"],
            position=data.get("position"),
        )

    def success_url(self, article, section):
        return reverse("desk:article", args=[article.pk]) + f"#section-{section.pk}"


class SectionMoveView(TreeActionView):
    form_class = forms.MoveForm
    success_message = "Section moved."

    def perform(self, form, article):
        services.section_move(
            user=self.request.user,
            section_pk=self.kwargs["section_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )


class SectionDeleteView(TreeActionView):
    success_message = "Section deleted."

    def perform(self, form, article):
        services.section_delete(
            user=self.request.user,
            section_pk=self.kwargs["section_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
        )


class StatementAddView(TreeActionView):
    success_message = "Statement added."

    def slot_key(self):
        return ("statement_add", self.kwargs["section_pk"])

    def get_form(self, data):
        return forms.StatementAddForm(data)

    def perform(self, form, article):
        data = form.cleaned_data
        return services.statement_add(
            user=self.request.user,
            section_pk=self.kwargs["section_pk"],
            article_pk=article.pk,
            version=data["version"],
            style=data["style"],
            text=data["text"],
        )

    def success_url(self, article, statement):
        return reverse("desk:article", args=[article.pk]) + f"#statement-{statement.pk}"


class StatementMoveView(TreeActionView):
    form_class = forms.MoveForm
    success_message = "Statement moved."

    def perform(self, form, article):
        services.statement_move(
            user=self.request.user,
            statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )

    def success_url(self, article, result):
        return reverse("desk:article", args=[article.pk]) + (
            f"#statement-{self.kwargs['statement_pk']}"
        )


class StatementDeleteView(TreeActionView):
    success_message = "Statement deleted."

    def perform(self, form, article):
        services.statement_delete(
            user=self.request.user,
            statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
        )
