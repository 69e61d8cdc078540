"""The desk's forms. Each validates its own input; services do the saving."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from articles.models import (
    STATEMENT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Audience,
    Disclaimer,
    SectionKind,
    Statement,
    Topic,
)
from articles.services import Move
from citations.importers import MAX_IMPORT_BYTES
from citations.models import Reference

HEADING_MAX_LENGTH = 200
PASTED_IDENTIFIER_MAX_LENGTH = 500
TITLE_MAX_LENGTH = 300


def _helper(*fields, submit: str, action: str = "", css_class: str = "") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    helper.form_class = css_class
    helper.layout = Layout(*fields, Submit("save", submit, css_class="btn-primary"))
    return helper


class VersionForm(forms.Form):
    """The article version the user saw; a stale one is a conflict, not an overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _variant_field_name(audience: Audience) -> str:
    return f"variant_{audience.slug}"


def _variant_audiences() -> list[Audience]:
    """Audiences that can have their own wording: every one but the default."""
    default = Audience.objects.default()
    return [a for a in Audience.objects.all() if default is None or a.pk != default.pk]


class VariantFieldsMixin:
    """One optional text field per non-default audience."""

    variant_max_length = STATEMENT_MAX_LENGTH

    def _add_variant_fields(self, initial: dict[int, str] | None = None) -> list[str]:
        names = []
        for audience in _variant_audiences():
            name = _variant_field_name(audience)
            self.fields[name] = forms.CharField(
                label=f"Wording for “{audience.label}”",
                required=False,
                max_length=self.variant_max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Optional. Empty uses the default wording.",
                initial=(initial or {}).get(audience.pk, ""),
            )
            names.append(name)
        self.variant_audiences = _variant_audiences()
        return names

    def variants(self) -> dict[Audience, str]:
        return {
            a: self.cleaned_data.get(_variant_field_name(a), "") for a in self.variant_audiences
        }


class ArticleForm(VariantFieldsMixin, VersionForm):
    """The question, topic and summary, with the summary's audience variants."""

    variant_max_length = SUMMARY_MAX_LENGTH

    title = forms.CharField(
        label="Question",
        max_length=TITLE_MAX_LENGTH,
        help_text="The reader's question; it is the article's title.",
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.all())
    summary = forms.CharField(
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. The short answer shown above the evidence.",
    )
    disclaimer = forms.ModelChoiceField(
        queryset=Disclaimer.objects.filter(audience=None),
        required=False,
        empty_label="The topic's disclaimer",
        help_text="Readers see the chosen disclaimer in the wording for their audience.",
    )

    def __init__(self, *args, creating: bool = False, variants=None, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        names = [] if creating else self._add_variant_fields(variants)
        if creating:
            self.fields["version"].required = False
            self.variant_audiences = []
        if creating:
            del self.fields["disclaimer"]
        self.helper = _helper(
            "title",
            "topic",
            "summary",
            *([] if creating else ["disclaimer"]),
            *names,
            Field("version"),
            submit="Create article" if creating else "Save article",
            action=action,
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Write the reader's question.", code="required")
        return title


class SectionForm(VersionForm):
    kind = forms.ModelChoiceField(queryset=SectionKind.objects.all(), empty_label=None)
    heading = forms.CharField(
        max_length=HEADING_MAX_LENGTH,
        required=False,
        help_text="Leave empty to use the kind's usual heading.",
    )
    position = forms.IntegerField(required=False, min_value=1)

    def __init__(
        self,
        *args,
        section_count: int | None = None,
        action: str = "",
        prefix_id: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if section_count is None:
            del self.fields["position"]
            fields = ["kind", "heading"]
            submit = "Add section"
        else:
            self.fields["position"].max_value = section_count
            self.fields["position"].widget.attrs["max"] = section_count
            self.fields["position"].help_text = f"1 to {section_count}."
            fields = ["kind", "heading", "position"]
            submit = "Save section"
        self.section_count = section_count
        self.helper = _helper(*fields, Field("version"), submit=submit, action=action)

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is not None and self.section_count and position > self.section_count:
            raise ValidationError(
                "Choose a position from 1 to %(count)s.",
                code="out_of_range",
                params={"count": self.section_count},
            )
        return position


class StatementAddForm(VersionForm):
    style = forms.ChoiceField(choices=Statement.Style.choices, initial=Statement.Style.BULLET)
    text = forms.CharField(
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Markdown. HTML is shown as text, never run.",
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "style", "text", Field("version"), submit="Add statement", action=action
        )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise ValidationError("Write the statement.", code="required")
        return text


class StatementForm(VariantFieldsMixin, StatementAddForm):
    position = forms.IntegerField(
        min_value=1, required=False, help_text="Its place within the section."
    )

    def __init__(self, *args, statement_count: int = 1, variants=None, action: str = "", **kwargs):
        super().__init__(*args, action=action, **kwargs)
        self.statement_count = statement_count
        self.fields["position"].max_value = statement_count
        self.fields["position"].widget.attrs["max"] = statement_count
        names = self._add_variant_fields(variants)
        self.helper = _helper(
            "style",
            "text",
            "position",
            *names,
            Field("version"),
            submit="Save statement",
            action=action,
        )

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is not None and position > self.statement_count:
            raise ValidationError(
                "Choose a position from 1 to %(count)s.",
                code="out_of_range",
                params={"count": self.statement_count},
            )
        return position


class MoveForm(VersionForm):
    direction = forms.ChoiceField(choices=[(Move.UP, "Up"), (Move.DOWN, "Down")])


class CitationAddForm(VersionForm):
    reference = forms.ModelChoiceField(
        queryset=Reference.objects.all(),
        error_messages={
            "invalid_choice": "That reference is not in the library (it may have "
            "been deleted). Pick one from the search results."
        },
    )


class ReferenceSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by author, year, title, DOI or PMID", required=False, max_length=200
    )


class AuthorsField(forms.CharField):
    """One author per line, “Family, Given”; stored as CSL-style name dicts."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                ", ".join(part for part in (a.get("family", ""), a.get("given", "")) if part)
                for a in value
                if isinstance(a, dict)
            )
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        authors = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            family, _comma, given = line.partition(",")
            author = {"family": family.strip()}
            if given.strip():
                author["given"] = given.strip()
            authors.append(author)
        return authors


class ReferenceForm(forms.ModelForm):
    """A reference by hand. DOI and PMID are normalized by the model; duplicates by the service."""

    authors = AuthorsField(
        required=False,
        help_text="One per line: “Family, Given” (given names may be initials).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Reference
        fields = [
            "kind",
            "authors",
            "title",
            "journal",
            "journal_abbrev",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "url",
            "evidence_grade",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pasted forms such as "https://doi.org/…" or "PMID: 123" are longer than what is
        # stored; the model normalizes them and then checks the length.
        for name in ("doi", "pmid"):
            self.fields[name].max_length = PASTED_IDENTIFIER_MAX_LENGTH
            self.fields[name].validators = [MaxLengthValidator(PASTED_IDENTIFIER_MAX_LENGTH)]
        self.fields["doi"].widget.attrs.pop("maxlength", None)
        self.fields["pmid"].widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            self.fields["version"].required = True
        self.helper = _helper(
            *self.Meta.fields,
            Field("version"),
            submit="Save reference" if self.instance.pk else "Add reference",
        )

    def validate_unique(self):
        # citations.services.reference_create/update report duplicates with a link to them.
        pass

    def validate_constraints(self):
        pass


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Reference file",
        help_text="RIS (.ris), BibTeX (.bib) or PubMed MEDLINE (.nbib), up to 5 MB.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file", submit="Preview import")
        self.helper.form_enctype = "multipart/form-data"
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                "This file is %(size)s MB; the limit is 5 MB. Split it into smaller exports.",
                code="too_large",
                params={"size": f"{upload.size / 1024 / 1024:.1f}"},
            )
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RetractForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why it was retracted",
        help_text="A sentence readers and authors can understand.",
    )
    notice = forms.CharField(
        max_length=500,
        label="Retraction notice",
        help_text="The notice's DOI (10.…) or web address.",
    )


class DeskLoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("username", "password", submit="Log in")
