"""Forms of the board's workspace: a decision names its revision, with a comment."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reviews.models import Review, StatementGrade


class RevisionSeenForm(forms.Form):
    """The revision the member read, by number and content hash: a decision binds to it."""

    revision_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


class StartReviewForm(RevisionSeenForm):
    """Pick up the submitted revision shown on the page."""


class ReviewForm(RevisionSeenForm):
    """A board member's decision on the revision under review, with a comment."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Review.Decision.choices)
    comment = forms.CharField(
        label=_("Comment for the authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required when you request changes or reject."),
        max_length=5000,
    )

    def clean_comment(self):
        return self.cleaned_data.get("comment", "").strip()

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Review.Decision.REQUEST_CHANGES and not cleaned.get("comment"):
            self.add_error(
                "comment",
                ValidationError(_("Tell the authors what to change."), code="comment_required"),
            )
        if decision == Review.Decision.REJECT and not cleaned.get("comment"):
            self.add_error(
                "comment",
                ValidationError(
                    _("Give the authors the reason for rejecting."), code="reason_required"
                ),
            )
        return cleaned


class _FixedDecisionForm(ReviewForm):
    """A ReviewForm whose decision is set by the button the member pressed."""

    fixed_decision: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.initial = self.fixed_decision
        field.disabled = True
        field.widget = forms.HiddenInput()


class ApproveForm(_FixedDecisionForm):
    """Approve, signing off each statement of the revision with a GRADE-style certainty."""

    fixed_decision = Review.Decision.APPROVE
    GRADE_PREFIX = "grade_"

    def __init__(self, *args, revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Optional; it goes into the audit trail.")
        self.fields["go_live_at"] = forms.DateTimeField(
            label=_("Go live at (UTC)"),
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            help_text=_(
                "Optional. Empty: readers see this revision as soon as it is approved. A time: "
                "readers keep the current page until then. Only the approval that completes "
                "the quorum sets it."
            ),
        )
        required = not settings.VETTED_UNGRADED_STATEMENTS_ALLOWED
        blank = [("", _("Signed off, ungraded"))] if not required else [("", "—")]
        sections = revision.snapshot.get("sections", []) if revision is not None else []
        for section in sections:
            for statement in section.get("statements", []):
                self.fields[f"{self.GRADE_PREFIX}{statement['id']}"] = forms.ChoiceField(
                    label=_("Certainty: “%(text)s”") % {"text": statement.get("text", "")[:160]},
                    choices=[*blank, *StatementGrade.Certainty.choices],
                    required=required,
                )

    def go_live_at(self):
        """The optional go-live time (aware), or None to go live on approval."""
        return self.cleaned_data.get("go_live_at")

    def grades(self) -> dict[int, str]:
        """{statement_id: grade} from the grade fields ("" where left ungraded)."""
        return {
            int(name.removeprefix(self.GRADE_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(self.GRADE_PREFIX)
        }


class RequestChangesForm(_FixedDecisionForm):
    fixed_decision = Review.Decision.REQUEST_CHANGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("Required: what should the authors change?")


class RejectForm(_FixedDecisionForm):
    fixed_decision = Review.Decision.REJECT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _("Reason for the authors")
        self.fields["comment"].help_text = _("Required.")


class TransitionCommentForm(forms.Form):
    """An optional note for the audit trail (archive, restore, re-review)."""

    comment = forms.CharField(
        label=_("Note for the audit trail"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self):
        return self.cleaned_data.get("comment", "").strip()


TRANSITION_FORMS = {
    "start_review": StartReviewForm,
    "approve": ApproveForm,
    "request_changes": RequestChangesForm,
    "reject": RejectForm,
}
