"""Reader-facing forms: the audience chooser, the follow-up question and the search box."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Audience

FOLLOW_UP_MAX_LENGTH = 1000
FOLLOW_UP_MIN_LENGTH = 10
SEARCH_MAX_LENGTH = 200


class AudienceForm(forms.Form):
    """'Which best describes you?' — the reader's audience, remembered in a cookie."""

    audience = forms.ModelChoiceField(
        queryset=Audience.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Which best describes you?"),
        help_text=_("Your choice helps us use language that's most understandable for you."),
        error_messages={"invalid_choice": _("Please pick one of the listed options.")},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, audiences=None, current=None, next_url="", **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if current is not None:
            initial.setdefault("audience", current.slug)
        initial.setdefault("next", next_url)
        super().__init__(*args, initial=initial, **kwargs)
        field = self.fields["audience"]
        field.queryset = Audience.objects.all()
        if audiences is not None:
            # Reuse the list the page already loaded: no extra query to draw the radios.
            field.choices = [(a.slug, a.label) for a in audiences]
        self.helper = FormHelper()
        self.helper.form_action = reverse("articles:audience")
        self.helper.form_id = "audience-form"
        self.helper.form_class = "audience-form"
        self.helper.layout = Layout(
            "audience",
            "next",
            Submit("apply", _("Use this wording"), css_class="btn-sm"),
        )


class FollowUpForm(forms.Form):
    """A reader's follow-up question, with a honeypot that people never see."""

    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": FOLLOW_UP_MAX_LENGTH}),
        help_text=_("Up to %(max)s characters. Please do not include personal health details.")
        % {"max": FOLLOW_UP_MAX_LENGTH},
        required=False,
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only if you would like an editor to reply."),
    )
    # Bots fill every field; the CSS hides this one from people and aria-hidden from readers.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # Drawn by hand in templates/articles/article_detail.html (partial "follow_up"): the same
    # markup on the shared page and on the page drawn for one reader, without a form helper.

    def clean_question(self):
        question = (self.cleaned_data.get("question") or "").strip()
        if not question:
            raise ValidationError(_("Please type your question."), code="required")
        if len(question) < FOLLOW_UP_MIN_LENGTH:
            raise ValidationError(
                _("Please write at least %(min)s characters so editors understand the question."),
                code="too_short",
                params={"min": FOLLOW_UP_MIN_LENGTH},
            )
        if len(question) > FOLLOW_UP_MAX_LENGTH:
            raise ValidationError(
                _("Please keep your question under %(max)s characters (it has %(len)s)."),
                code="too_long",
                params={"max": FOLLOW_UP_MAX_LENGTH, "len": len(question)},
            )
        return question

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("We could not accept this submission. Please clear autofilled fields."),
                code="honeypot",
            )
        return ""

    @property
    def is_honeypot_hit(self) -> bool:
        return any(e.code == "honeypot" for e in self.errors.as_data().get("website", []))


class SearchForm(forms.Form):
    """The search box; overlong text is cut, never refused."""

    q = forms.CharField(label=_("Search answers"), required=False, strip=True)

    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())[:SEARCH_MAX_LENGTH]
