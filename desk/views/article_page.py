"""The article's working copy at the desk: every form on one page, and saving the question."""

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from articles.models import Article, ArticleSummaryVariant
from articles.services import content as services
from desk import forms
from desk.permissions import DeskAccessMixin, desk_article_or_404
from desk.selectors import article_tree, field_changes
from reviews import services as workflow
from reviews.comments import comment_threads, threads_by_anchor

# The article page ---------------------------------------------------------------------------


def _summary_variants(article: Article) -> dict[int, str]:
    return dict(
        ArticleSummaryVariant.objects.filter(article=article).values_list("audience_id", "text")
    )


def _article_form(article: Article, data=None) -> forms.ArticleForm:
    return forms.ArticleForm(
        data,
        initial={
            "title": article.title,
            "topic": article.topic_id,
            "summary": article.summary,
            "disclaimer": article.disclaimer_id,
            "version": article.version,
        },
        variants=_summary_variants(article),
        action=reverse("desk:article", args=[article.pk]),
    )


def _problem_links(article: Article, problems) -> list[dict]:
    """Each submission problem with a link to the spot that needs fixing."""
    page = reverse("desk:article", args=[article.pk])
    links = []
    for problem in problems:
        if problem.reference_id:
            url = reverse("desk:reference_edit", args=[problem.reference_id])
        elif problem.statement_id:
            url = f"{page}#statement-{problem.statement_id}"
        elif problem.section_id:
            url = f"{page}#section-{problem.section_id}"
        else:
            url = f"{page}#sections"
        links.append({"message": problem.message, "url": url, "code": problem.code})
    return links


def _transitions(article: Article, user) -> dict[str, bool]:
    return {
        name: workflow.transition_allowed_for(article=article, name=name, user=user)
        for name in ("submit", "withdraw", "revise")
    }


def render_article_page(
    request,
    article: Article,
    *,
    status=HTTPStatus.OK,
    article_form=None,
    bound=None,
    conflict=None,
    problems=None,
):
    """The article's working copy with every form; ``bound`` keeps a failed form's input."""
    article.refresh_from_db()
    bound = bound or {}
    sections = article_tree(article)
    editable = article.is_content_editable
    count = len(sections)
    for section in sections:
        action = reverse("desk:section_update", args=[article.pk, section.pk])
        section.form = bound.get(("section", section.pk)) or forms.SectionForm(
            initial={
                "kind": section.kind_id,
                "heading": section.heading,
                "position": section.order + 1,
                "version": article.version,
            },
            section_count=count,
            action=action,
        )
        add_action = reverse("desk:statement_add", args=[article.pk, section.pk])
        section.add_form = bound.get(("statement_add", section.pk)) or forms.StatementAddForm(
            initial={"version": article.version},
            action=add_action,
        )
    for section in sections:
        # Many forms share the page; distinct ids keep labels tied to their own inputs.
        section.form.auto_id = f"section-{section.pk}-%s"
        section.add_form.auto_id = f"add-statement-{section.pk}-%s"
        section.form.helper.form_action = reverse(
            "desk:section_update", args=[article.pk, section.pk]
        )
        section.add_form.helper.form_action = reverse(
            "desk:statement_add", args=[article.pk, section.pk]
        )
    section_add_form = bound.get("section_add") or forms.SectionForm(
        initial={"version": article.version},
        action=reverse("desk:section_add", args=[article.pk]),
    )
    section_add_form.auto_id = "add-section-%s"
    section_add_form.helper.form_action = reverse("desk:section_add", args=[article.pk])
    context = {
        "article": article,
        "editable": editable,
        "sections": sections,
        "article_form": article_form or _article_form(article),
        "section_add_form": section_add_form,
        "conflict": conflict,
        "problems": _problem_links(article, problems) if problems else None,
        "transitions": _transitions(article, request.user),
        "revisions": list(article.revisions.order_by("-number")[:5]),
        "comment_threads": threads_by_anchor(comment_threads(article)),
    }
    return render(request, "desk/article_edit.html", context, status=status)


class ArticleEditView(DeskAccessMixin, View):
    """GET: the whole working copy; POST: save the question, topic and summary."""

    def get(self, request, pk):
        return render_article_page(request, desk_article_or_404(request.user, pk))

    def post(self, request, pk):
        article = desk_article_or_404(request.user, pk)
        form = _article_form(article, request.POST)
        if not form.is_valid():
            return render_article_page(
                request, article, article_form=form, status=HTTPStatus.BAD_REQUEST
            )
        data = form.cleaned_data
        try:
            services.article_update(
                user=self.request.user,
                article_pk=article.pk,
                version=data["version"],
                title=data["title"],
                topic=data["topic"],
                summary=data["summary"],
                summary_variants=form.variants(),
                disclaimer=data.get("disclaimer"),
            )
        except services.ArticleLocked as locked:
            messages.error(request, str(locked))
            return render_article_page(request, article, status=HTTPStatus.CONFLICT)
        except services.ArticleConflict as conflict:
            current = conflict.current
            saved_variants = _summary_variants(current)
            labels = {"title": "Question", "topic": "Topic", "summary": "Summary"}
            yours = {"title": data["title"], "topic": data["topic"], "summary": data["summary"]}
            saved = {"title": current.title, "topic": current.topic, "summary": current.summary}
            for audience, text in form.variants().items():
                key = f"variant_{audience.slug}"
                labels[key] = f"Summary for “{audience.label}”"
                yours[key] = text
                saved[key] = saved_variants.get(audience.pk, "")
            messages.error(request, str(conflict))
            return render_article_page(
                request,
                article,
                status=HTTPStatus.CONFLICT,
                article_form=_rebound(_article_form, current, request.POST),
                conflict=field_changes(labels, yours, saved),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render_article_page(
                request, article, article_form=form, status=HTTPStatus.BAD_REQUEST
            )
        messages.success(request, "Article saved.")
        return redirect("desk:article", article.pk)


def _rebound(factory, current: Article, data, **kwargs):
    """The user's input again, now carrying the saved version so a deliberate re-save works."""
    data = data.copy()
    data["version"] = str(current.version)
    form = factory(current, data, **kwargs)
    form.is_valid()
    return form
