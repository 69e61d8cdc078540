from django.urls import path

from articles import views
from articles.corrections import CorrectionsFeed, corrections
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/follow-up/", views.follow_up_create_view, name="follow_up"),
    path("articles/<slug:slug>/ask/", views.follow_up_page, name="follow_up_page"),
    path("forms/token/", views.form_token, name="form_token"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("search/", views.search, name="search"),
    path("editorial-policy/", views.EditorialPolicyView.as_view(), name="editorial_policy"),
    path("audience/", views.audience_set, name="audience"),
    path("feeds/latest/", LatestArticlesFeed(), name="feed"),
    path("corrections/", corrections, name="corrections"),
    path("feeds/corrections/", CorrectionsFeed(), name="corrections_feed"),
]
