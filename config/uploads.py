"""Refuse oversized uploads early, with the desk's own message, instead of receiving them whole.

The only upload Vetted takes is a reference file for import, at most ``MAX_IMPORT_BYTES``
(5 MB). Two guards sit in front of the desk's form check:

* ``UploadLimitMiddleware`` answers 413 from the declared Content-Length before reading the
  body, and parses multipart bodies before any other code does, so that
* ``ImportSizeLimitHandler``, the first upload handler, can stop the parser as soon as a file
  grows past the limit: nothing past it is read into memory or a temporary file.

In production nginx refuses bodies past its ``client_max_body_size`` before Django sees them
(``deploy/nginx/vetted.conf``); these guards hold without it, e.g. under ``make serve``.
"""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from citations.importers import MAX_IMPORT_BYTES

# Room for the multipart framing, the CSRF token and the form's other fields.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
MAX_MULTIPART_BYTES = MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES


class UploadTooLarge(MultiPartParserError):
    """A request body or uploaded file past the limit; ``size`` is how big it was seen to be.

    A MultiPartParserError, so that without the middleware Django still answers 400 rather
    than 500.
    """

    def __init__(self, size: int):
        super().__init__(f"Upload of {size} bytes refused: the limit is {MAX_IMPORT_BYTES}.")
        self.size = size


def too_large_message(size: int) -> str:
    """The desk's own sentence for a file of ``size`` bytes, e.g. "This file is 7.3 MB; …".

    The import form owns the wording; asking it keeps one message for both ways of refusing.
    """
    from desk.forms import ImportUploadForm  # the desk imports models; load it on demand

    placeholder = UploadedFile(file=io.BytesIO(), name="upload", size=size)
    form = ImportUploadForm(data={}, files={"file": placeholder})
    errors = form.errors.get("file")
    if errors:
        return str(errors[0])
    megabytes = MAX_IMPORT_BYTES // (1024 * 1024)
    return f"This request is larger than the {megabytes} MB limit for uploads."


class ImportSizeLimitHandler(FileUploadHandler):
    """Stop the multipart parser once a body or a file passes the import limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > MAX_MULTIPART_BYTES:
            raise UploadTooLarge(content_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        received = start + len(raw_data)
        if received > MAX_IMPORT_BYTES:
            raise UploadTooLarge(received)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handler (memory or temporary file) builds the file.
        return None


class UploadLimitMiddleware:
    """Answer 413 with a clear page for an upload past the limit, before any view runs.

    Place it before CsrfViewMiddleware's view processing reads the body, i.e. anywhere in
    MIDDLEWARE: every ``__call__`` runs before any ``process_view``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            declared = _content_length(request)
            if declared > MAX_MULTIPART_BYTES:
                return self.refuse(request, declared)
            try:
                # Parse now, so the handler's refusal surfaces here and not as a 500 later.
                request.FILES  # noqa: B018
            except UploadTooLarge as exc:
                return self.refuse(request, max(exc.size, declared))
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, size: int) -> HttpResponse:
        return render(
            request,
            "ops/upload_too_large.html",
            {"message": too_large_message(size), "back": request.path},
            status=413,
        )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
