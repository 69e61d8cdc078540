from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("two-factor/setup/", views.SetupView.as_view(), name="setup"),
    path("two-factor/backup-codes/", views.BackupCodesView.as_view(), name="backup_codes"),
    path("sessions/", views.SessionsView.as_view(), name="sessions"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
