"""Desk views for articles: login, dashboard, editing the tree, preview and workflow."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from articles.audiences import audience_for_request
from articles.models import Article, ArticleSummaryVariant, EvidenceSection, Statement
from articles.selectors import article_page_context
from articles.snapshots import build_snapshot
from citations.models import Reference
from desk import forms, services
from desk.permissions import DeskAccessMixin, desk_article_or_404
from desk.selectors import article_tree, dashboard_rows, field_changes
from reviews import services as workflow

REFERENCE_SEARCH_LIMIT = 20


class DeskLoginView(auth_views.LoginView):
    """Authors are not staff, so they log in here rather than at the admin's door."""

    template_name = "desk/login.html"
    authentication_form = forms.DeskLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("desk:dashboard")


class DeskLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("desk:login")


class DashboardView(DeskAccessMixin, TemplateView):
    """My articles, those waiting on me first, with the board's latest comments."""

    template_name = "desk/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = dashboard_rows(self.request.user)
        context["action_rows"] = [row for row in rows if row.needs_action]
        context["other_rows"] = [row for row in rows if not row.needs_action]
        return context


class ArticleCreateView(DeskAccessMixin, View):
    def get(self, request):
        return self._render(forms.ArticleForm(creating=True))

    def post(self, request):
        form = forms.ArticleForm(request.POST, creating=True)
        if not form.is_valid():
            return self._render(form, status=HTTPStatus.BAD_REQUEST)
        try:
            article = services.article_create(
                user=request.user, title=form.cleaned_data["title"],
                topic=form.cleaned_data["topic"], summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, status=HTTPStatus.BAD_REQUEST)
        messages.success(request, "Article created. Add its evidence sections below.")
        return redirect("desk:article", article.pk)

    def _render(self, form, status=HTTPStatus.OK):
        return render(self.request, "desk/article_create.html", {"form": form}, status=status)


# The article page ---------------------------------------------------------------------------


def _summary_variants(article: Article) -> dict[int, str]:
    return dict(
        ArticleSummaryVariant.objects.filter(article=article).values_list("audience_id", "text")
    )


def _article_form(article: Article, data=None) -> forms.ArticleForm:
    return forms.ArticleForm(
        data,
        initial={"title": article.title, "topic": article.topic_id, "summary": article.summary,
                 "version": article.version},
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
    request, article: Article, *, status=HTTPStatus.OK, article_form=None, bound=None,
    conflict=None, problems=None,
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
            initial={"kind": section.kind_id, "heading": section.heading,
                     "position": section.order + 1, "version": article.version},
            section_count=count, action=action,
        )
        add_action = reverse("desk:statement_add", args=[article.pk, section.pk])
        section.add_form = bound.get(("statement_add", section.pk)) or forms.StatementAddForm(
            initial={"version": article.version}, action=add_action,
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
            return render_article_page(request, article, article_form=form,
                                       status=HTTPStatus.BAD_REQUEST)
        data = form.cleaned_data
        try:
            services.article_update(
                article_pk=article.pk, version=data["version"], title=data["title"],
                topic=data["topic"], summary=data["summary"], summary_variants=form.variants(),
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
                request, article, status=HTTPStatus.CONFLICT,
                article_form=_rebound(_article_form, current, request.POST),
                conflict=field_changes(labels, yours, saved),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render_article_page(request, article, article_form=form,
                                       status=HTTPStatus.BAD_REQUEST)
        messages.success(request, "Article saved.")
        return redirect("desk:article", article.pk)


def _rebound(factory, current: Article, data, **kwargs):
    """The user's input again, now carrying the saved version so a deliberate re-save works."""
    data = data.copy()
    data["version"] = str(current.version)
    form = factory(current, data, **kwargs)
    form.is_valid()
    return form


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
        bound = {self.slot_key(): form} if self.slot else {}
        return render_article_page(self.request, article, bound=bound, status=status,
                                   conflict=conflict)

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
            return self.render_failure(article, form, HTTPStatus.CONFLICT,
                                       conflict=self.conflict_changes(form, conflict.current))
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
            article_pk=article.pk, version=form.cleaned_data["version"],
            kind=form.cleaned_data["kind"], heading=form.cleaned_data["heading"],
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
            section_pk=self.kwargs["section_pk"], article_pk=article.pk, version=data["version"],
            kind=data["kind"], heading=data["heading"], position=data.get("position"),
        )

    def success_url(self, article, section):
        return reverse("desk:article", args=[article.pk]) + f"#section-{section.pk}"


class SectionMoveView(TreeActionView):
    form_class = forms.MoveForm
    success_message = "Section moved."

    def perform(self, form, article):
        services.section_move(
            section_pk=self.kwargs["section_pk"], article_pk=article.pk,
            version=form.cleaned_data["version"], direction=form.cleaned_data["direction"],
        )


class SectionDeleteView(TreeActionView):
    success_message = "Section deleted."

    def perform(self, form, article):
        services.section_delete(section_pk=self.kwargs["section_pk"], article_pk=article.pk,
                                version=form.cleaned_data["version"])


class StatementAddView(TreeActionView):
    success_message = "Statement added."

    def slot_key(self):
        return ("statement_add", self.kwargs["section_pk"])

    def get_form(self, data):
        return forms.StatementAddForm(data)

    def perform(self, form, article):
        data = form.cleaned_data
        return services.statement_add(
            section_pk=self.kwargs["section_pk"], article_pk=article.pk, version=data["version"],
            style=data["style"], text=data["text"],
        )

    def render_failure(self, article, form, status, conflict=None):
        return render_article_page(
            self.request, article, bound={self.slot_key(): form}, status=status,
            conflict=conflict,
        )

    def success_url(self, article, statement):
        return reverse("desk:article", args=[article.pk]) + f"#statement-{statement.pk}"


class StatementMoveView(TreeActionView):
    form_class = forms.MoveForm
    success_message = "Statement moved."

    def perform(self, form, article):
        services.statement_move(
            statement_pk=self.kwargs["statement_pk"], article_pk=article.pk,
            version=form.cleaned_data["version"], direction=form.cleaned_data["direction"],
        )

    def success_url(self, article, result):
        return reverse("desk:article", args=[article.pk]) + (
            f"#statement-{self.kwargs['statement_pk']}"
        )


class StatementDeleteView(TreeActionView):
    success_message = "Statement deleted."

    def perform(self, form, article):
        services.statement_delete(statement_pk=self.kwargs["statement_pk"],
                                  article_pk=article.pk, version=form.cleaned_data["version"])


# One statement: text, variants, position and citations ------------------------------------


def _statement_or_404(article: Article, statement_pk: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("section__kind"), pk=statement_pk,
        section__article=article,
    )


def _statement_variants(statement: Statement) -> dict[int, str]:
    return {v.audience_id: v.text for v in statement.variants.all()}


def _statement_form(statement: Statement, article: Article, data=None) -> forms.StatementForm:
    return forms.StatementForm(
        data,
        initial={"style": statement.style, "text": statement.text,
                 "position": statement.order + 1, "version": article.version},
        statement_count=statement.section.statements.count(),
        variants=_statement_variants(statement),
        action=reverse("desk:statement", args=[article.pk, statement.pk]),
    )


def render_statement_page(request, article, statement, *, form=None, cite_form=None,
                          conflict=None, status=HTTPStatus.OK):
    article.refresh_from_db()
    search = forms.ReferenceSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = []
    if query:
        cited = statement.citations.values("reference_id")
        results = list(
            Reference.objects.search(query).exclude(pk__in=cited)[:REFERENCE_SEARCH_LIMIT]
        )
    position = list(
        statement.section.statements.order_by("order", "pk").values_list("pk", flat=True)
    ).index(statement.pk) + 1
    context = {
        "article": article,
        "editable": article.is_content_editable,
        "statement": statement,
        "position": position,
        "form": form or _statement_form(statement, article),
        "citations": list(statement.citations.select_related("reference").order_by("order",
                                                                                    "pk")),
        "search_form": search,
        "query": query,
        "results": results,
        "cite_form": cite_form,
        "conflict": conflict,
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
            return render_statement_page(request, article, statement, form=form,
                                         status=HTTPStatus.BAD_REQUEST)
        data = form.cleaned_data
        try:
            services.statement_update(
                statement_pk=statement.pk, article_pk=article.pk, version=data["version"],
                style=data["style"], text=data["text"], variants=form.variants(),
                position=data.get("position"),
            )
        except services.ArticleLocked as locked:
            messages.error(request, str(locked))
            return render_statement_page(request, article, statement, form=form,
                                         status=HTTPStatus.CONFLICT)
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
                request, article, saved, form=rebound, status=HTTPStatus.CONFLICT,
                conflict=field_changes(labels, yours, theirs),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render_statement_page(request, article, statement, form=form,
                                         status=HTTPStatus.BAD_REQUEST)
        messages.success(request, "Statement saved.")
        return redirect(reverse("desk:article", args=[article.pk]) + f"#statement-{statement.pk}")


class StatementActionView(TreeActionView):
    """A citation change; failures come back to the statement page."""

    def success_url(self, article, result):
        return reverse("desk:statement", args=[article.pk, self.kwargs["statement_pk"]])

    def render_failure(self, article, form, status, conflict=None):
        statement = _statement_or_404(article, self.kwargs["statement_pk"])
        return render_statement_page(self.request, article, statement, cite_form=form,
                                     status=status)


class CitationAddView(StatementActionView):
    form_class = forms.CitationAddForm
    success_message = "Citation added."

    def perform(self, form, article):
        return services.citation_add(
            statement_pk=self.kwargs["statement_pk"], article_pk=article.pk,
            version=form.cleaned_data["version"], reference=form.cleaned_data["reference"],
        )


class CitationMoveView(StatementActionView):
    form_class = forms.MoveForm
    success_message = "Citation moved."

    def perform(self, form, article):
        services.citation_move(
            citation_pk=self.kwargs["citation_pk"], statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk, version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )


class CitationRemoveView(StatementActionView):
    success_message = "Citation removed."

    def perform(self, form, article):
        services.citation_remove(
            citation_pk=self.kwargs["citation_pk"], statement_pk=self.kwargs["statement_pk"],
            article_pk=article.pk, version=form.cleaned_data["version"],
        )


# Preview and workflow -----------------------------------------------------------------------


class ArticlePreviewView(DeskAccessMixin, View):
    """The working copy through the public page's own rendering path, with a Preview banner."""

    def get(self, request, pk):
        article = desk_article_or_404(request.user, pk)
        context = article_page_context(
            article=article, snapshot=build_snapshot(article), revision=None,
            audience=audience_for_request(request), preview=True, request=request,
        )
        return render(request, "articles/article_detail.html", context)


class TransitionView(DeskAccessMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def transition(self, article, user):
        raise NotImplementedError

    def post(self, request, pk):
        article = desk_article_or_404(request.user, pk)
        try:
            self.transition(article, request.user)
        except workflow.TransitionRefused as refusal:
            if refusal.status == HTTPStatus.NOT_FOUND:
                raise Http404(refusal.message) from refusal
            messages.error(request, refusal.message)
            return render_article_page(request, article, status=refusal.status,
                                       problems=refusal.problems)
        messages.success(request, self.success_message)
        return redirect("desk:article", article.pk)


class ArticleSubmitView(TransitionView):
    success_message = "Submitted to the Medical Advisory Board. Its content is now read-only."

    def transition(self, article, user):
        workflow.article_submit(article=article, user=user)


class ArticleWithdrawView(TransitionView):
    success_message = "Submission withdrawn; the article is a draft again."

    def transition(self, article, user):
        workflow.article_withdraw(article=article, user=user)


class ArticleReviseView(TransitionView):
    success_message = "A new working copy is open. Readers keep seeing the approved revision."

    def transition(self, article, user):
        workflow.article_revise(article=article, user=user)
