"""Two-factor devices in the admin: who has set up an app, and a reset for a lost phone.

django-otp registers its own device admins, which let anyone with the model permissions
edit keys and delete devices without a trace. They are replaced by one read-only list whose
only action is the audited reset (accounts.two_factor.reset), open to editors.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy, two_factor
from accounts.models import SessionActivity

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at", "throttling_failure_count"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset_two_factor"]

    def has_module_permission(self, request):
        return policy.may_reset_second_factor(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.may_reset_second_factor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Reset two-factor sign-in of the selected people (lost phone)")
    def reset_two_factor(self, request, queryset):
        users = get_user_model().objects.filter(pk__in=queryset.values("user_id"))
        for target in users:
            try:
                two_factor.reset(user=request.user, target=target)
            except PermissionDenied as refusal:
                self.message_user(request, f"{target}: {refusal}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{target}: two-factor sign-in reset and signed out everywhere. They set "
                    "it up again at their next sign-in.",
                    messages.SUCCESS,
                )


@admin.register(SessionActivity)
class SessionActivityAdmin(admin.ModelAdmin):
    """Read-only: who is signed in where. Ending a session is done by its owner."""

    list_display = ["user", "address", "user_agent", "started_at", "last_seen"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "address", "user_agent", "started_at", "last_seen"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
