from django.urls import path

from desk import views

app_name = "desk"

article = "articles/<int:pk>/"
section = article + "sections/<int:section_pk>/"
statement = article + "statements/<int:statement_pk>/"
citation = statement + "citations/<int:citation_pk>/"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.DeskLoginView.as_view(), name="login"),
    path("logout/", views.DeskLogoutView.as_view(), name="logout"),
    path("articles/new/", views.ArticleCreateView.as_view(), name="article_create"),
    path(article, views.ArticleEditView.as_view(), name="article"),
    path(article + "preview/", views.ArticlePreviewView.as_view(), name="article_preview"),
    path(article + "submit/", views.ArticleSubmitView.as_view(), name="article_submit"),
    path(article + "withdraw/", views.ArticleWithdrawView.as_view(), name="article_withdraw"),
    path(article + "revise/", views.ArticleReviseView.as_view(), name="article_revise"),
    path(
        article + "comments/<int:thread_pk>/",
        views.CommentFollowupView.as_view(),
        name="comment_followup",
    ),
    path(article + "sections/add/", views.SectionAddView.as_view(), name="section_add"),
    path(section, views.SectionUpdateView.as_view(), name="section_update"),
    path(section + "move/", views.SectionMoveView.as_view(), name="section_move"),
    path(section + "delete/", views.SectionDeleteView.as_view(), name="section_delete"),
    path(section + "statements/add/", views.StatementAddView.as_view(), name="statement_add"),
    path(statement, views.StatementEditView.as_view(), name="statement"),
    path(statement + "move/", views.StatementMoveView.as_view(), name="statement_move"),
    path(statement + "delete/", views.StatementDeleteView.as_view(), name="statement_delete"),
    path(statement + "citations/add/", views.CitationAddView.as_view(), name="citation_add"),
    path(citation + "move/", views.CitationMoveView.as_view(), name="citation_move"),
    path(citation + "remove/", views.CitationRemoveView.as_view(), name="citation_remove"),
    path("references/", views.ReferenceListView.as_view(), name="references"),
    path("references/new/", views.ReferenceFormView.as_view(), name="reference_create"),
    path("references/import/", views.ReferenceImportView.as_view(), name="reference_import"),
    path(
        "references/import/confirm/",
        views.ReferenceImportConfirmView.as_view(),
        name="reference_import_confirm",
    ),
    path("references/imports/", views.ImportJobListView.as_view(), name="reference_import_jobs"),
    path(
        "references/imports/<int:pk>/",
        views.ImportJobView.as_view(),
        name="reference_import_job",
    ),
    path(
        "references/imports/<int:pk>/retry/",
        views.ImportJobRetryView.as_view(),
        name="reference_import_retry",
    ),
    path("references/<int:pk>/", views.ReferenceFormView.as_view(), name="reference_edit"),
    path(
        "references/<int:pk>/delete/", views.ReferenceDeleteView.as_view(), name="reference_delete"
    ),
    path(
        "references/<int:pk>/retract/",
        views.ReferenceRetractView.as_view(),
        name="reference_retract",
    ),
]
