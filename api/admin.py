"""API tokens in the admin: staff editors and superusers create and revoke them.

A new token's secret is shown once, in the message after saving; only its hash is stored.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, Scope
from api.tokens import scope_refusal, token_create, token_revoke
from articles import policies


class ApiTokenCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_in_days = forms.IntegerField(label=_("Expires in (days)"), min_value=1, required=False)

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        for scope in cleaned.get("scopes") or []:
            refusal = scope_refusal(user, scope)
            if refusal:
                self.add_error("scopes", refusal)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "scopes", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    list_select_related = ["user"]
    actions = ["revoke"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def _allowed(self, request) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.is_superuser or policies.is_editor(request.user))
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scopes", "expires_in_days"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        token, raw = token_create(
            user=form.cleaned_data["user"],
            scopes=form.cleaned_data["scopes"],
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data.get("expires_in_days"),
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved token.
        for name in ("pk", "prefix", "key_hash", "scopes", "expires_at", "created_at"):
            setattr(obj, name, getattr(token, name))
        self.message_user(
            request,
            _("The new token is %(raw)s — copy it now: it will not be shown again.") % {"raw": raw},
            level=messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, _("Revoked %(count)d tokens.") % {"count": queryset.count()})
