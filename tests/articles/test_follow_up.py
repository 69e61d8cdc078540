"""Reader follow-up questions: stored once, refused clearly, rate-limited, triaged by editors."""

from http import HTTPStatus

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage

from articles.admin import FollowUpQuestionAdmin
from articles.audiences import AUDIENCE_COOKIE
from articles.models import Article, FollowUpQuestion
from articles.roles import AUTHORS, EDITORS
from articles.services import client_hash, follow_up_convert_to_draft
from tests import factories

QUESTION = "Does stretching before a run help prevent cramps in older runners?"


@pytest.fixture
def editor(roles):
    # Built directly: the shared EditorFactory passes its role to the model as a field.
    return factories.UserFactory(is_staff=True, role=EDITORS)


@pytest.fixture
def author(roles):
    return factories.UserFactory(role=AUTHORS)


@pytest.fixture
def article(audiences):
    return factories.article_submit_for_readers(
        factories.article_with_evidence(slug="cramps", title="Why do feet cramp?")
    )


def _post(client, article, **data):
    return client.post(
        f"/articles/{article.slug}/follow-up/",
        {"question": QUESTION, "email": "", "website": "", **data},
        REMOTE_ADDR="203.0.113.7",
    )


def test_follow_up_create_stores_question_with_audience_and_redirects(client, article):
    client.cookies[AUDIENCE_COOKIE] = "student"
    response = _post(client, article)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == "/articles/cramps/#follow-up"
    question = FollowUpQuestion.objects.get()
    assert question.article == article
    assert question.audience.slug == "student"
    assert question.question == QUESTION
    assert question.status == FollowUpQuestion.Status.NEW
    html = client.get(response.url).content.decode()
    assert "your question has reached our editors" in html


def test_follow_up_create_stores_salted_hash_never_the_address(client, article):
    _post(client, article)
    stored = FollowUpQuestion.objects.get().client_hash
    assert stored == client_hash("203.0.113.7")
    assert "203.0.113.7" not in stored
    assert len(stored) == 64


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type your question."),
        ("   ", "Please type your question."),
        ("Why?", "at least 10 characters"),
        ("x" * 1001, "under 1000 characters"),
    ],
)
def test_follow_up_create_refuses_bad_question_and_saves_nothing(
    client, article, question, message
):
    response = _post(client, article, question=question)
    html = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in html
    assert "Your question was not sent" in html
    assert FollowUpQuestion.objects.count() == 0


def test_follow_up_create_honeypot_hit_saves_nothing(client, article):
    response = _post(client, article, website="http://spam.example")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not accept this submission" in response.content.decode()
    assert FollowUpQuestion.objects.count() == 0


def test_follow_up_create_bad_email_saves_nothing(client, article):
    response = _post(client, article, email="not-an-email")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert FollowUpQuestion.objects.count() == 0


def test_follow_up_create_rate_limited_per_address(client, article, settings):
    settings.VETTED_FOLLOW_UP_RATE = 2
    assert _post(client, article).status_code == HTTPStatus.FOUND
    assert _post(client, article).status_code == HTTPStatus.FOUND
    response = _post(client, article)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Please try again later" in response.content.decode()
    assert FollowUpQuestion.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        f"/articles/{article.slug}/follow-up/",
        {"question": QUESTION},
        REMOTE_ADDR="198.51.100.1",
    )
    assert other.status_code == HTTPStatus.FOUND
    assert FollowUpQuestion.objects.count() == 3


def test_follow_up_create_rate_window_expires(client, article, settings):
    settings.VETTED_FOLLOW_UP_RATE = 1
    settings.VETTED_FOLLOW_UP_WINDOW_SECONDS = 60
    _post(client, article)
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    FollowUpQuestion.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    # The cache's counter for the window expires with it (its timeout is the window).
    cache.clear()
    assert _post(client, article).status_code == HTTPStatus.FOUND
    assert FollowUpQuestion.objects.count() == 2


def test_follow_up_create_refused_for_draft_article(client, audiences):
    draft = factories.article_with_evidence(slug="draft-only")
    response = _post(client, draft)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert FollowUpQuestion.objects.count() == 0


def test_follow_up_create_get_not_allowed(client, article):
    response = client.get(f"/articles/{article.slug}/follow-up/")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_follow_up_convert_to_draft_makes_one_draft(article, editor):
    question = FollowUpQuestion.objects.create(article=article, question=QUESTION)
    draft = follow_up_convert_to_draft(follow_up=question, created_by=editor)
    again = follow_up_convert_to_draft(follow_up=question, created_by=editor)
    question.refresh_from_db()
    assert draft == again
    assert draft.status == Article.Status.DRAFT
    assert draft.title == QUESTION
    assert draft.topic == article.topic
    assert question.status == FollowUpQuestion.Status.CONVERTED
    assert question.converted_article == draft
    assert Article.objects.filter(title=QUESTION).count() == 1


def test_follow_up_admin_action_converts_selected(rf, article, editor):
    question = FollowUpQuestion.objects.create(article=article, question=QUESTION)
    request = rf.post("/admin/articles/followupquestion/")
    request.user = editor
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = FollowUpQuestionAdmin(FollowUpQuestion, admin_site)
    model_admin.convert_to_draft(request, FollowUpQuestion.objects.filter(pk=question.pk))
    question.refresh_from_db()
    assert question.converted_article.status == Article.Status.DRAFT
    assert any("Draft created" in str(m) for m in get_messages(request))


def test_follow_up_admin_queue_visible_to_editor(client, article, editor):
    FollowUpQuestion.objects.create(article=article, question=QUESTION)
    client.force_login(editor)
    response = client.get("/admin/articles/followupquestion/")
    assert response.status_code == HTTPStatus.OK
    assert QUESTION[:40] in response.content.decode()


def test_follow_up_admin_queue_refused_to_author(client, article, author):
    author.is_staff = True
    author.save()
    client.force_login(author)
    response = client.get("/admin/articles/followupquestion/")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_follow_up_admin_dismiss_keeps_converted(rf, article, editor):
    converted = FollowUpQuestion.objects.create(article=article, question=QUESTION)
    follow_up_convert_to_draft(follow_up=converted, created_by=editor)
    fresh = FollowUpQuestion.objects.create(article=article, question=QUESTION + " Again?")
    request = rf.post("/admin/articles/followupquestion/")
    request.user = editor
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = FollowUpQuestionAdmin(FollowUpQuestion, admin_site)
    model_admin.mark_dismissed(request, FollowUpQuestion.objects.all())
    converted.refresh_from_db()
    fresh.refresh_from_db()
    assert converted.status == FollowUpQuestion.Status.CONVERTED
    assert fresh.status == FollowUpQuestion.Status.DISMISSED
