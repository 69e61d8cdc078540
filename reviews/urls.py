from django.urls import path

from reviews import views

app_name = "board"

urlpatterns = [
    path("", views.BoardListView.as_view(), name="list"),
]
