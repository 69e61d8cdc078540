"""The account pages: enter a code, set up two-factor sign-in, backup codes, and sessions."""

from base64 import b32encode
from http import HTTPStatus
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import forms, policy, sessions, two_factor
from articles import policies

# Backup codes wait here between the POST that makes them and the page that shows them once.
FRESH_CODES_KEY = "_vetted_fresh_backup_codes"


def next_url(request) -> str:
    """Where to go after this page: a safe ``next``, else the person's own workspace."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    user = request.user
    if user.is_staff:
        return reverse("admin:index")
    if policies.can_use_desk(user):
        return reverse("desk:dashboard")
    return reverse("accounts:two_factor")


def _raw_next(request) -> str:
    """The ``next`` to carry through a form; it is checked when it is followed."""
    return (request.GET.get("next") or request.POST.get("next") or "")[:2000]


class AccountView(LoginRequiredMixin, View):
    login_url = reverse_lazy("desk:login")


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


class VerifyView(AccountView):
    """After the password: a code from the app, or a backup code."""

    template_name = "accounts/verify.html"

    def get(self, request):
        if request.user.is_verified():
            return redirect(next_url(request))
        if not two_factor.has_device(request.user):
            if policy.second_factor_required(request.user):
                return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
            return redirect(next_url(request))
        return self._render(forms.CodeForm())

    def post(self, request):
        if request.user.is_verified():
            return redirect(next_url(request))
        form = forms.CodeForm(request.POST)
        if form.is_valid():
            try:
                device = two_factor.verify(user=request.user, code=form.cleaned_data["code"])
            except two_factor.CodeRefused as refusal:
                form.add_error("code", str(refusal))
            else:
                sessions.rotate(request)
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    left = two_factor.backup_codes_left(request.user)
                    messages.warning(
                        request,
                        f"You signed in with a backup code; {left} left. Set up your app "
                        "again or make new backup codes on the two-factor page.",
                    )
                return redirect(next_url(request))
        return self._render(form, status=HTTPStatus.BAD_REQUEST)

    def _render(self, form, status=HTTPStatus.OK):
        context = {"form": form, "next": _raw_next(self.request), "gate": True}
        return render(self.request, self.template_name, context, status=status)


class TwoFactorView(AccountView):
    """The overview: set up or not, backup codes left, and the links to change either."""

    def get(self, request):
        context = {
            "enrolled": two_factor.has_device(request.user),
            "codes_left": two_factor.backup_codes_left(request.user),
            "required": policy.second_factor_required(request.user),
            "account_section": "two_factor",
        }
        return render(request, "accounts/two_factor.html", context)


class SetupView(AccountView):
    """Scan the QR code (or type the key), then confirm with a code from the app.

    Setting up a new phone when one is already set up needs a verified session: the gate
    sends an unverified person to the code page first, and this page refuses them too.
    """

    template_name = "accounts/setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor.has_device(user):
            return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        device = two_factor.pending_app_device(user=request.user)
        return self._render(device, forms.SetupForm(initial={"device": device.pk}))

    def post(self, request):
        form = forms.SetupForm(request.POST)
        if form.is_valid():
            try:
                device, codes = two_factor.confirm_app_device(
                    user=request.user,
                    device_id=form.cleaned_data["device"],
                    code=form.cleaned_data["code"],
                )
            except two_factor.CodeRefused as refusal:
                form.add_error("code", str(refusal))
            else:
                sessions.rotate(request)
                django_otp.login(request, device)
                messages.success(request, "Two-factor sign-in is on.")
                if codes:
                    request.session[FRESH_CODES_KEY] = codes
                    query = urlencode({"next": next_url(request)})
                    return redirect(f"{reverse('accounts:backup_codes')}?{query}")
                return redirect(next_url(request))
        device = two_factor.pending_app_device(user=request.user)
        form.data = form.data.copy()
        form.data["device"] = device.pk
        return self._render(device, form, status=HTTPStatus.BAD_REQUEST)

    def _render(self, device, form, status=HTTPStatus.OK):
        qr = segno.make(device.config_url, error="m")
        context = {
            "form": form,
            "qr_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": _grouped(b32encode(device.bin_key).decode()),
            "next": _raw_next(self.request),
            "required": policy.second_factor_required(self.request.user),
            "gate": not self.request.user.is_verified(),
            "account_section": "two_factor",
        }
        return render(self.request, self.template_name, context, status=status)


class BackupCodesView(AccountView):
    """Fresh codes are shown once; a POST replaces every code with new ones."""

    def get(self, request):
        codes = request.session.pop(FRESH_CODES_KEY, None)
        context = {
            "codes": [_grouped(code) for code in codes or []],
            "codes_left": two_factor.backup_codes_left(request.user),
            "enrolled": two_factor.has_device(request.user),
            "next": next_url(request),
            "account_section": "two_factor",
        }
        return render(request, "accounts/backup_codes.html", context)

    def post(self, request):
        try:
            codes = two_factor.regenerate_backup_codes(user=request.user)
        except two_factor.CodeRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("accounts:two_factor")
        request.session[FRESH_CODES_KEY] = codes
        messages.success(request, "New backup codes made. The old ones no longer work.")
        return redirect("accounts:backup_codes")


class SessionsView(AccountView):
    """Where this account is signed in, with a way to end the others."""

    def get(self, request):
        rows = sessions.active(request.user)
        current = request.session.session_key
        context = {
            "rows": rows,
            "current_key": current,
            "others": sum(1 for row in rows if row.session_key != current),
            "account_section": "sessions",
        }
        return render(request, "accounts/sessions.html", context)

    def post(self, request):
        current = request.session.session_key
        if "everywhere_else" in request.POST:
            count = sessions.end_others(user=request.user, current_key=current)
            messages.success(
                request, f"Signed out of {count} other session{'s' if count != 1 else ''}."
            )
        else:
            value = request.POST.get("end", "")
            ended = value.isdigit() and sessions.end_one(
                user=request.user, activity_id=int(value), current_key=current
            )
            if ended:
                messages.success(request, "That session is signed out.")
            else:
                messages.info(request, "That session had already ended.")
        return redirect("accounts:sessions")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("articles:home")
