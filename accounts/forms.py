"""The code fields; templates/accounts/_code_field.html renders them with their label, help
and errors tied together, and autocomplete="one-time-code"."""

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
    )


class SetupForm(forms.Form):
    device = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(
        label="Code from the app",
        max_length=32,
        help_text="After adding the account, enter the 6-digit code the app shows.",
    )
