from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/follow-up/", views.follow_up_create_view, name="follow_up"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("search/", views.search, name="search"),
    path("editorial-policy/", views.EditorialPolicyView.as_view(), name="editorial_policy"),
    path("audience/", views.audience_set, name="audience"),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
]
