"""Writes to the reference library: by hand (library), from files (imports), in the background
(import_jobs). Callers import from here."""

from citations.services.import_jobs import (
    import_job_confirm,
    import_job_for_file,
    import_job_retry,
    import_job_run,
    import_jobs_fail_stale,
)
from citations.services.imports import (
    ImportPreview,
    references_import,
    references_import_parsed,
    references_import_preview,
)
from citations.services.library import (
    EDITABLE_FIELDS,
    reference_create,
    reference_delete_uncited,
    reference_find_duplicate,
    reference_mark_retracted,
    reference_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ImportPreview",
    "import_job_confirm",
    "import_job_for_file",
    "import_job_retry",
    "import_job_run",
    "import_jobs_fail_stale",
    "reference_create",
    "reference_delete_uncited",
    "reference_find_duplicate",
    "reference_mark_retracted",
    "reference_update",
    "references_import",
    "references_import_parsed",
    "references_import_preview",
]
