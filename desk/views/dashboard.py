"""Desk pages around the articles: signing in, the dashboard, a new article."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from articles.services import content as services
from desk import forms
from desk.permissions import DeskAccessMixin
from desk.selectors import dashboard_page


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
        value = self.request.GET.get("page", "")
        number = int(value) if value.isdigit() and len(value) < 6 else 1
        page = dashboard_page(self.request.user, number)
        context["page"] = page
        context["action_rows"] = page.action_rows
        context["other_rows"] = page.other_rows
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
                user=request.user,
                title=form.cleaned_data["title"],
                topic=form.cleaned_data["topic"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, status=HTTPStatus.BAD_REQUEST)
        messages.success(request, "Article created. Add its evidence sections below.")
        return redirect("desk:article", article.pk)

    def _render(self, form, status=HTTPStatus.OK):
        return render(self.request, "desk/article_create.html", {"form": form}, status=status)
