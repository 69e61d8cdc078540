"""Desk views for importing references: upload and preview, confirm, follow the import.

The uploaded bytes wait in the server-side session between preview and confirm: nothing is
sent back to the browser to be trusted later, the 5 MB cap bounds the session row, and the
token (the file's SHA-256) ties the confirmation to the exact preview the user saw.

Confirming stores the file as an ImportJob and queues it for the task worker; the request
answers at once with the job's page, which refreshes itself until the import is finished. A
large file is previewed by its first PREVIEW_RECORDS records so the upload answers quickly;
the import itself checks every record and imports nothing if any is broken.
"""

import base64
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.views import View
from django.views.generic import ListView

from articles import policies
from citations.importers import ImportFileError, read_reference_sample
from citations.jobs import ImportJob
from citations.services import (
    import_job_confirm,
    import_job_for_file,
    import_job_retry,
    import_jobs_fail_stale,
)
from citations.services.import_jobs import file_sha256
from citations.services.imports import preview_parsed
from desk import forms
from desk.permissions import DeskAccessMixin

IMPORT_SESSION_KEY = "desk_import"
# Records parsed and matched while the user waits; the rest are checked by the import.
PREVIEW_RECORDS = 200
# Broken-record messages kept in the session, to answer a confirmation of a broken file.
SESSION_PROBLEMS = 50
REFRESH_SECONDS = 2
RECENT_JOBS = 25


def visible_jobs(user):
    """The imports a user may follow: their own; every import for an editor."""
    jobs = ImportJob.objects.visible_to(user, editor=policies.is_editor(user))
    # The file's bytes (up to 5 MB) stay in the database unless a retry needs them.
    return jobs.select_related("created_by").defer("data")


def _already_confirmed(request, job: ImportJob):
    """Point to an existing import of the same file instead of importing it twice."""
    when = formats.date_format(job.created_at, "DATETIME_FORMAT")
    if visible_jobs(request.user).filter(pk=job.pk).exists():
        messages.info(request, f"This file was already confirmed for import on {when}.")
        return redirect(job)
    messages.info(
        request,
        f"This file was already imported by someone else on {when}; its references are in the "
        "library. Nothing was imported twice.",
    )
    return redirect("desk:references")


class ReferenceImportView(DeskAccessMixin, View):
    template_name = "desk/reference_import.html"

    def get(self, request):
        return self.render({"form": forms.ImportUploadForm()})

    def render(self, context, status=HTTPStatus.OK):
        context.setdefault("recent_jobs", visible_jobs(self.request.user)[:5])
        return render(self.request, self.template_name, context, status=status)

    def post(self, request):
        form = forms.ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render({"form": form}, status=HTTPStatus.BAD_REQUEST)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            parsed, total = read_reference_sample(data, upload.name, limit=PREVIEW_RECORDS)
        except ImportFileError as error:
            form.add_error("file", ValidationError(str(error), code="import_file"))
            return self.render({"form": form}, status=HTTPStatus.BAD_REQUEST)
        preview = preview_parsed(parsed)
        token = file_sha256(data)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "filename": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
            "problems": preview.error_messages[:SESSION_PROBLEMS],
        }
        return self.render(
            {
                "form": forms.ImportUploadForm(),
                "preview": preview,
                "filename": upload.name,
                "total": total,
                "sampled": total > len(parsed.records),
                "earlier_job": import_job_for_file(sha256=token),
                "confirm_form": forms.ImportConfirmForm(initial={"token": token}),
            }
        )


class ReferenceImportConfirmView(DeskAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = forms.ImportConfirmForm(request.POST)
        pending = request.session.get(IMPORT_SESSION_KEY) or {}
        token = form.cleaned_data["token"] if form.is_valid() else ""
        if not token or token != pending.get("token"):
            # A second click, or a confirmation after the session moved on: the same file
            # already queued or imported is shown, never imported again.
            job = import_job_for_file(sha256=token) if token else None
            if job is not None:
                return _already_confirmed(request, job)
            messages.error(
                request,
                "That preview has expired or was replaced by another upload. "
                "Upload the file again; nothing was imported.",
            )
            return redirect("desk:reference_import")
        if pending.get("problems"):
            return render(
                request,
                ReferenceImportView.template_name,
                {"form": forms.ImportUploadForm(), "import_errors": pending["problems"]},
                status=HTTPStatus.BAD_REQUEST,
            )
        data = base64.b64decode(pending["data"])
        job, created = import_job_confirm(
            data=data, filename=pending["filename"], user=request.user
        )
        request.session.pop(IMPORT_SESSION_KEY, None)
        if not created:
            return _already_confirmed(request, job)
        return redirect(job)


class ImportJobView(DeskAccessMixin, View):
    """One import's progress, then its result; only its author and editors may see it."""

    http_method_names = ["get"]

    def get(self, request, pk):
        import_jobs_fail_stale()
        job = visible_jobs(request.user).filter(pk=pk).first()
        if job is None:
            raise Http404("No such import.")
        return render(
            request,
            "desk/reference_import_job.html",
            {
                "job": job,
                "refresh_seconds": None if job.finished else REFRESH_SECONDS,
                "may_retry": job.status == ImportJob.Status.FAILED
                and job.created_by_id == request.user.pk,
            },
        )


class ImportJobRetryView(DeskAccessMixin, View):
    """Queue a failed import's file again (its author only), as a new import."""

    http_method_names = ["post"]

    def post(self, request, pk):
        job = ImportJob.objects.filter(pk=pk, created_by=request.user).first()
        if job is None:
            raise Http404("No such import.")
        again, created = import_job_retry(job=job, user=request.user)
        if not created and again.pk != job.pk:
            return _already_confirmed(request, again)
        return redirect(again)


class ImportJobListView(DeskAccessMixin, ListView):
    template_name = "desk/reference_import_jobs.html"
    context_object_name = "jobs"
    paginate_by = RECENT_JOBS

    def get_queryset(self):
        import_jobs_fail_stale()
        return visible_jobs(self.request.user)
