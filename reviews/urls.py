from django.urls import path

from reviews import views
from reviews.compare import compare
from reviews.release_views import release

app_name = "board"

urlpatterns = [
    path("", views.BoardListView.as_view(), name="list"),
    path("compare/<int:pk>/", compare, name="compare"),
    path("release/<int:pk>/", release, name="release"),
]
