"""One statement at the desk: its text, audience wording, position and citations."""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from articles.models import Article, Statement
from articles.services import content as services
from citations.models import Reference
from desk import forms
from desk.permissions import DeskAccessMixin, desk_article_or_404
from desk.readability import reading_level
from desk.selectors import field_changes
from desk.views.tree import TreeActionView
from reviews.comments import comment_threads, threads_by_anchor

REFERENCE_SEARCH_LIMIT = 20
BROWSE_LIMIT = 6


# One statement: text, variants, position and citations ------------------------------------


def _statement_or_404(article: Article, statement_pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("section__kind"),
        pk=statement_pk,
        section__article=article,
    )


def _statement_variants(statement: Statement) -> dict[int, str]:
    return {v.audience_id: v.text for v in statement.variants.all()}


def _statement_form(statement: Statement, article: Article, data=None) -> forms.StatementForm:
    return forms.StatementForm(
        data,
        initial={
            "style": statement.style,
            "text": statement.text,
            "position": statement.order + 1,
            "version": article.version,
        },
        statement_count=statement.section.statements.count(),
        variants=_statement_variants(statement),
        action=reverse("desk:statement", args=[article.pk, statement.pk]),
    )


def render_statement_page(
    request, article, statement, *, form=None, cite_form=None, conflict=None, status=HTTPStatus.OK
):
    article.refresh_from_db()
    search = forms.ReferenceSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results, recent, most_cited = [], [], []
    citable = Reference.objects.exclude(pk__in=statement.citations.values("reference_id"))
    if query:
        results = list(citable.search(query)[:REFERENCE_SEARCH_LIMIT])
    else:
        # Nothing typed yet: let the author browse the library from here.
        recent = list(citable.not_retracted().order_by("-created_at", "-pk")[:BROWSE_LIMIT])
        most_cited = list(
            citable.not_retracted()
            .annotate(times_cited=Count("citations"))
            .filter(times_cited__gt=0)
            .order_by("-times_cited", "-created_at")[:BROWSE_LIMIT]
        )
    position = (
        list(
            statement.section.statements.order_by("order", "pk").values_list("pk", flat=True)
        ).index(statement.pk)
        + 1
    )
    context = {
        "article": article,
        "editable": article.is_content_editable,
        "statement": statement,
        "position": position,
        "form": form or _statement_form(statement, article),
        "citations": list(statement.citations.select_related("reference").order_by("order", "pk")),
        "search_form": search,
        "query": query,
        "results": results,
        "recent": recent,
        "most_cited": most_cited,
        "reading_level": reading_level(statement.text),
        "cite_form": cite_form,
        "conflict": conflict,
        "comment_threads": threads_by_anchor(comment_threads(article)),
    }
    return render(request, "desk/statement_edit.html", context, status=status)


class StatementEditView(DeskAccessMixin, View):
    def get(self, request, pk, statement_pk):
        article = desk_article_or_404(request.user, pk)
        return render_statement_page(request, article, _statement_or_404(article, statement_pk))

    def post(self, request, pk, statement_pk):
        article = desk_article_or_404(request.user, pk)
        statement = _statement_or_404(article, statement_pk)
        form = _statement_form(statement, article, request.POST)
        if not form.is_valid():
            return render_statement_page(
                request, article, statement, form=form, status=HTTPStatus.BAD_REQUEST
            )
        data = form.cleaned_data
        try:
            services.statement_update(
                user=self.request.user,
                statement_pk=statement.pk,
                article_pk=article.pk,
                version=data["version"],
                style=data["style"],
                text=data["text"],
                variants=form.variants(),
                position=data.get("position"),
            )
        except services.ArticleLocked as locked:
            messages.error(request, str(locked))
            return render_statement_page(
                request, article, statement, form=form, status=HTTPStatus.CONFLICT
            )
        except services.ArticleConflict as conflict:
            messages.error(request, str(conflict))
            saved = Statement.objects.get(pk=statement.pk)
            saved_variants = _statement_variants(saved)
            labels = {"style": "Style", "text": "Text"}
            yours = {"style": data["style"], "text": data["text"]}
            theirs = {"style": saved.style, "text": saved.text}
            for audience, text in form.variants().items():
                key = f"variant_{audience.slug}"
                labels[key] = f"Wording for “{audience.label}”"
                yours[key], theirs[key] = text, saved_variants.get(audience.pk, "")
            data_copy = request.POST.copy()
            data_copy["version"] = str(conflict.current.version)
            rebound = _statement_form(saved, conflict.current, data_copy)
            rebound.is_valid()
            return render_statement_page(
                request,
                article,
                saved,
                form=rebound,
                status=HTTPStatus.CONFLICT,
                conflict=field_changes(labels, yours, theirs),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render_statement_page(
                request, article, statement, form=form, status=HTTPStatus.BAD_REQUEST
            )
        messages.success(request, "Statement saved.")
        return redirect(reverse("desk:article", args=[article.pk]) + f"#statement-{statement.pk}")


class StatementActionView(TreeActionView):
    """A citation change; failures come back to the statement page."""

    def success_url(self, article, result):
        return reverse("desk:statement", args=[article.pk, self.kwargs["statement_pk"]])

    def render_failure(self, article, form, status, conflict=None):
        statement = _statement_or_404(article, self.kwargs["statement_pk"])
        return render_statement_page(
            self.request, article, statement, cite_form=form, status=status
        )


class CitationAddView(StatementActionView):
    form_class = forms.CitationAddForm
    success_message = "Citation added."

    def perform(self, form, article):
        return services.citation_add(
            user=self.request.user,
            statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
            reference=form.cleaned_data["reference"],
        )


class CitationMoveView(StatementActionView):
    form_class = forms.MoveForm
    success_message = "Citation moved."

    def perform(self, form, article):
        services.citation_move(
            user=self.request.user,
            citation_pk=self.kwargs["citation_pk"],
            statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )


class CitationRemoveView(StatementActionView):
    success_message = "Citation removed."

    def perform(self, form, article):
        services.citation_remove(
            user=self.request.user,
            citation_pk=self.kwargs["citation_pk"],
            statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk,
            version=form.cleaned_data["version"],
        )
