"""The author's desk, a module per page: dashboard, article page, tree, statement, workflow,
and the reference library."""

from desk.views.article_page import ArticleEditView
from desk.views.comments import CommentFollowupView
from desk.views.dashboard import ArticleCreateView, DashboardView, DeskLoginView, DeskLogoutView
from desk.views.imports import (
    IMPORT_SESSION_KEY,
    ImportJobListView,
    ImportJobRetryView,
    ImportJobView,
    ReferenceImportConfirmView,
    ReferenceImportView,
)
from desk.views.references import (
    ReferenceDeleteView,
    ReferenceFormView,
    ReferenceListView,
    ReferenceRetractView,
)
from desk.views.statement import (
    CitationAddView,
    CitationMoveView,
    CitationRemoveView,
    StatementEditView,
)
from desk.views.tree import (
    SectionAddView,
    SectionDeleteView,
    SectionMoveView,
    SectionUpdateView,
    StatementAddView,
    StatementDeleteView,
    StatementMoveView,
)
from desk.views.workflow import (
    ArticlePreviewView,
    ArticleReviseView,
    ArticleSubmitView,
    ArticleWithdrawView,
)

__all__ = [
    "IMPORT_SESSION_KEY",
    "ArticleCreateView",
    "ArticleEditView",
    "ArticlePreviewView",
    "ArticleReviseView",
    "ArticleSubmitView",
    "ArticleWithdrawView",
    "CitationAddView",
    "CitationMoveView",
    "CitationRemoveView",
    "CommentFollowupView",
    "DashboardView",
    "DeskLoginView",
    "DeskLogoutView",
    "ImportJobListView",
    "ImportJobRetryView",
    "ImportJobView",
    "ReferenceDeleteView",
    "ReferenceFormView",
    "ReferenceImportConfirmView",
    "ReferenceImportView",
    "ReferenceListView",
    "ReferenceRetractView",
    "SectionAddView",
    "SectionDeleteView",
    "SectionMoveView",
    "SectionUpdateView",
    "StatementAddView",
    "StatementDeleteView",
    "StatementEditView",
    "StatementMoveView",
]
