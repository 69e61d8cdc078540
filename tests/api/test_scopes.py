"""Every endpoint × scope × role: a token works only within its scope and its user's role."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group

from api.models import Scope
from api.tokens import scope_refusal, token_create
from articles.models import Article
from articles.roles import BOARD
from tests import factories
from tests.api.conftest import ApiClient, draft_payload, problem

ENDPOINTS = [
    ("get", "/api/v1/drafts", "drafts:write"),
    ("post", "/api/v1/drafts", "drafts:write"),
    ("post", "/api/v1/drafts/batch", "drafts:write"),
    ("get", "/api/v1/drafts/{draft}", "drafts:write"),
    ("put", "/api/v1/drafts/{draft}", "drafts:write"),
    ("post", "/api/v1/drafts/{draft}/submit", "drafts:write"),
    ("post", "/api/v1/drafts/{draft}/withdraw", "drafts:write"),
    ("get", "/api/v1/articles", "content:read"),
    ("get", "/api/v1/articles/{slug}", "content:read"),
    ("get", "/api/v1/review/queue", "review:read"),
    ("get", "/api/v1/review/{pending}", "review:read"),
]
ROLES = ["author", "editor", "board", "reader"]


@pytest.fixture
def world(setup, roles):
    users = {
        "author": factories.AuthorFactory(),
        "editor": factories.EditorFactory(),
        "board": factories.BoardMemberFactory().user,
        "reader": factories.UserFactory(),
    }
    draft = factories.article_with_evidence(authors=[users["author"]], topic=setup["topic"])
    public = factories.article_with_evidence(
        authors=[users["author"]], slug="public", topic=setup["topic"]
    )
    factories.article_submit_for_readers(public)
    return {"users": users, "draft": draft, "public": public}


def _call(client: ApiClient, method: str, path: str, world: dict):
    path = path.format(
        draft=world["draft"].pk, slug=world["public"].slug, pending=world["public"].pk
    )
    if method == "get":
        return client.get(path)
    if path.endswith("withdraw") and world["draft"].status == Article.Status.DRAFT:
        world["draft"] = factories.article_submit_for_readers(world["draft"])
    body = {"drafts": [draft_payload()]} if path.endswith("batch") else draft_payload()
    if method == "put":
        return client.put(path, body, headers={"If-Match": f'"{world["draft"].version}"'})
    return client.post(path, body if path.endswith(("drafts", "batch")) else {})


@pytest.mark.parametrize(("method", "path", "scope"), ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_endpoint_scope_role(client, world, method, path, scope, role):
    user = world["users"][role]
    held = [s for s in Scope.values if scope_refusal(user, s) is None]
    wrong = [s for s in held if s != scope]
    if wrong:
        _, raw = token_create(user=user, scopes=wrong)
        refused = _call(ApiClient(client, raw), method, path, world)
        assert refused.status_code == HTTPStatus.FORBIDDEN
        assert problem(refused)["type"].endswith("insufficient-scope")
    if scope not in held:
        assert scope_refusal(user, scope)
        return
    _, raw = token_create(user=user, scopes=[scope])
    response = _call(ApiClient(client, raw), method, path, world)
    if role == "editor" and path.endswith(("submit", "withdraw")):
        # Editors open every draft, but only an article's authors submit or withdraw it.
        assert response.status_code == HTTPStatus.FORBIDDEN
    else:
        assert response.status_code < 400, response.content


def test_an_editor_may_not_submit_what_they_did_not_write(client, world):
    _, raw = token_create(user=world["users"]["editor"], scopes=["drafts:write"])
    url = f"/api/v1/drafts/{world['draft'].pk}/submit"
    assert ApiClient(client, raw).post(url).status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.get(pk=world["draft"].pk).status == Article.Status.DRAFT


def test_review_queue_shows_provenance_and_who_may_decide(client, world):
    board = world["users"]["board"]
    Article.objects.filter(pk=world["public"].pk).update(
        provenance="machine", pipeline_name="drafter", pipeline_model="m1"
    )
    _, raw = token_create(user=board, scopes=["review:read"])
    api = ApiClient(client, raw)

    [item] = api.get("/api/v1/review/queue").json()["items"]

    assert item["slug"] == "public" and item["provenance"] == "machine"
    assert (item["pipeline"], item["model"], item["revision"]) == ("drafter", "m1", 1)
    assert item["may_decide"] is True
    assert api.get("/api/v1/review/queue", provenance="person").json()["items"] == []
    detail = api.get(f"/api/v1/review/{world['public'].pk}").json()
    assert detail["snapshot"]["title"] == world["public"].title
    assert api.get(f"/api/v1/review/{world['draft'].pk}").status_code == HTTPStatus.NOT_FOUND


def test_the_author_sees_why_they_may_not_decide(client, world):
    author = world["users"]["author"]
    author.groups.add(Group.objects.get(name=BOARD))
    factories.BoardMemberFactory(user=author)
    _, raw = token_create(user=author, scopes=["review:read"])
    [item] = ApiClient(client, raw).get("/api/v1/review/queue").json()["items"]
    assert item["may_decide"] is False and "author" in item["why_not"]
