"""Whole-response cache for the public article page, and its exact invalidation.

Anonymous readers get the stored bytes of a page: no SQL, no template. Three small entries
per article decide whether a stored page is still the right one:

* ``gen:<slug>`` — a random token, replaced after every committed change to what the page
  shows (the article row, its displayed revision, a retraction of a reference it cites);
* ``site`` — the same for things many pages show (audiences, disclaimers, topics, board
  members' names);
* ``ptr:<slug>`` — the pointer: the displayed revision's hash, the state, Last-Modified and
  the audience slugs, stamped with the two tokens it was built under.

A pointer counts only while both tokens still match, and a render reads the tokens *before*
its first query. A page built from data that changed meanwhile is therefore stored under
tokens that are already gone, and never served. The page itself is stored under a key made
of the deploy version, the revision hash, the audience, the host and the two tokens.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

from articles.audiences import AUDIENCE_COOKIE

PREFIX = "vetted:resp:"
SITE_KEY = f"{PREFIX}site"
# The server keeps a page a day at most; tokens a month (a lost token only costs a render).
PAGE_SECONDS = 60 * 60 * 24
TOKEN_SECONDS = 60 * 60 * 24 * 30
MESSAGES_COOKIE = "messages"

# Sent with the slug after a committed change to a page: a CDN purge can listen here.
article_page_changed = Signal()


def _pointer_key(slug: str) -> str:
    return f"{PREFIX}ptr:{slug}"


def _gen_key(slug: str) -> str:
    return f"{PREFIX}gen:{slug}"


def _new_token() -> str:
    return secrets.token_hex(6)


def _git_head(base: Path) -> str:
    head = base / ".git" / "HEAD"
    try:
        text = head.read_text().strip()
        if text.startswith("ref: "):
            ref = text[5:]
            loose = base / ".git" / ref
            if loose.exists():
                return loose.read_text().strip()
            for line in (base / ".git" / "packed-refs").read_text().splitlines():
                if line.endswith(ref):
                    return line.split()[0]
        return text
    except OSError:
        return ""


@once
def deploy_version() -> str:
    """VETTED_DEPLOY_VERSION, else a digest of the code, templates and static files.

    Computed once per process: a deploy restarts the workers, so a new release never reads
    a page an older template drew.
    """
    configured = getattr(settings, "VETTED_DEPLOY_VERSION", "")
    if configured:
        return str(configured)
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"{django.__version__}|{_git_head(base)}".encode())
    for folder in ("templates", "static", "articles", "citations"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".html", ".css", ".js", ".py"} and path.is_file():
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# ----------------------------------------------------------------------------------------
# Invalidation
# ----------------------------------------------------------------------------------------


def article_changed(slug: str) -> None:
    """Retire every stored page of this article, now.

    Removing the token (not replacing it) matters: while Redis is down the production cache
    drops writes but replays removals once it is back (config/cache.py), so no old page
    outlives an outage. The next render starts a new random token.
    """
    cache.delete_many([_gen_key(slug), _pointer_key(slug)])
    article_page_changed.send(sender=None, slug=slug)


def site_changed() -> None:
    """Retire every stored article page (a disclaimer, an audience, a board member changed)."""
    cache.delete(SITE_KEY)


def article_changed_on_commit(*slugs: str) -> None:
    """Retire the pages now and again once the transaction commits.

    Now: so nothing drawn before the change is served again. After the commit: a page drawn
    meanwhile read the data as it was before the commit, under the token set now; the second
    removal retires it too. Outside a transaction both happen at once.
    """
    for slug in {s for s in slugs if s}:
        article_changed(slug)
        transaction.on_commit(lambda slug=slug: article_changed(slug))


def site_changed_on_commit() -> None:
    site_changed()
    transaction.on_commit(site_changed)


# ----------------------------------------------------------------------------------------
# Which requests share a page
# ----------------------------------------------------------------------------------------


def is_shared_request(request) -> bool:
    """A GET or HEAD with no session and no flash message: any such reader sees one page.

    Signed-in people always carry the session cookie, so they never get a shared page.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def chosen_audience(request, slugs, default: str) -> tuple[str, bool]:
    """(audience slug, True when the cookie rather than the address chose it)."""
    asked = request.GET.get("audience")
    if asked and asked in slugs:
        return asked, False
    stored = request.COOKIES.get(AUDIENCE_COOKIE)
    if stored is None:
        return default, False
    return (stored if stored in slugs else default), True


@dataclass
class PageState:
    """What the cache knows about one article's page before any SQL."""

    slug: str
    gen: str | None
    site: str | None
    pointer: dict | None

    @classmethod
    def read(cls, slug: str) -> "PageState":
        found = cache.get_many([_pointer_key(slug), _gen_key(slug), SITE_KEY])
        gen, site = found.get(_gen_key(slug)), found.get(SITE_KEY)
        pointer = found.get(_pointer_key(slug))
        return cls(slug, gen, site, pointer if _usable(pointer, gen, site) else None)

    def ensure_tokens(self) -> None:
        """Make sure both tokens exist; called before the render's first query."""
        if self.gen is None:
            cache.add(_gen_key(self.slug), _new_token(), TOKEN_SECONDS)
            self.gen = cache.get(_gen_key(self.slug)) or _new_token()
        if self.site is None:
            cache.add(SITE_KEY, _new_token(), TOKEN_SECONDS)
            self.site = cache.get(SITE_KEY) or _new_token()

    def page_key(self, request, content_hash: str, audience: str) -> str:
        """The stored page's key: a digest of everything the bytes depend on.

        Deploy version, displayed revision hash, audience, the two tokens, and the scheme and
        host (the canonical link is absolute). The ETag is the same digest.
        """
        parts = (
            deploy_version(),
            content_hash,
            audience,
            self.gen,
            self.site,
            request.scheme,
            request.get_host(),
        )
        return f"{PREFIX}p:{hashlib.sha256('|'.join(parts).encode()).hexdigest()[:32]}"


def etag_for(page_key: str) -> str:
    return f'"{page_key.rsplit(":", 1)[1]}"'


def _etag_matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    if header.strip() == "*":
        return True
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def headers_apply(response, *, etag: str, last_modified: str, cookie_chose: bool):
    """ETag, Last-Modified, Cache-Control and Vary for a page every such reader shares.

    The address alone (``?audience=`` or no audience cookie) decides the bytes: shared caches
    may keep them. When the audience cookie decided, only the reader's browser may. Browsers
    always revalidate (max-age=0): a 304 costs nothing, and a reader who switches audience
    sees the new wording at once. Vary leaves cookies out, so unrelated cookies never split
    a shared cache; see README "Caching the article page" for the CDN key.
    """
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    if cookie_chose:
        response["Cache-Control"] = "private, max-age=0"
    else:
        shared = getattr(settings, "VETTED_PAGE_SHARED_SECONDS", 60)
        stale = getattr(settings, "VETTED_PAGE_STALE_SECONDS", 30)
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={shared}, stale-while-revalidate={stale}"
        )
    response["Vary"] = "Accept-Encoding"
    return response


def not_modified(request, etag: str):
    """A 304 when the reader's copy is current, else None."""
    if _etag_matches(request, etag):
        return HttpResponseNotModified()
    return None


# This process's last view of each article's pointer. It only saves a round trip: a memo
# counts only when the tokens fetched with the page, in the same call, still match it.
# Shared by the threads of a worker on purpose, and safe without a lock: each use is one dict
# operation (get, pop, set, clear), a pointer is never changed once stored, and a lost or stale
# entry costs only the round trip it would have saved, never a wrong page.
_MEMO: dict[str, dict] = {}
MEMO_SIZE = 4096


def _page_for(request, state: PageState, pointer: dict) -> tuple[str, dict]:
    """(page key, header options) for this request under this pointer."""
    audience, cookie_chose = chosen_audience(request, pointer["audiences"], pointer["default"])
    if pointer["status"] != 200:
        audience, cookie_chose = "-", False
    key = state.page_key(request, pointer["hash"], audience)
    options = {
        "etag": etag_for(key),
        "last_modified": pointer["modified"],
        "cookie_chose": cookie_chose,
    }
    return key, options


def _respond(request, pointer: dict, options: dict, body) -> HttpResponse | None:
    response = not_modified(request, options["etag"])
    if response is None:
        if body is None:
            return None
        response = HttpResponse(body, status=pointer["status"])
    return headers_apply(response, **options)


def _usable(pointer: dict | None, gen, site) -> bool:
    return (
        pointer is not None
        and gen is not None
        and site is not None
        and (pointer["gen"], pointer["site"]) == (gen, site)
        and not (pointer["expires"] and pointer["expires"] <= time.time())
    )


def cached_response(request, slug: str) -> tuple[HttpResponse | None, PageState]:
    """(the stored page or a 304, or None on a miss; what the cache knows). No SQL.

    With this process's memo of the pointer, one cache call fetches the tokens and the page
    together; otherwise one call for the pointer and the tokens, and one for the page.
    """
    memo = _MEMO.get(slug)
    if memo is not None:
        state = PageState(slug, memo["gen"], memo["site"], memo)
        key, options = _page_for(request, state, memo)
        found = cache.get_many([_gen_key(slug), SITE_KEY, key])
        gen, site = found.get(_gen_key(slug)), found.get(SITE_KEY)
        if _usable(memo, gen, site):
            response = _respond(request, memo, options, found.get(key))
            if response is not None:
                return response, state
        _MEMO.pop(slug, None)
    state = PageState.read(slug)
    pointer = state.pointer
    if pointer is None:
        return None, state
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    _MEMO[slug] = pointer
    key, options = _page_for(request, state, pointer)
    if not_modified(request, options["etag"]) is not None:
        return _respond(request, pointer, options, None), state
    return _respond(request, pointer, options, cache.get(key)), state


def store(
    request,
    state: PageState,
    response,
    *,
    content_hash: str,
    audience: str,
    audiences: tuple[str, ...],
    default: str,
    modified: float,
    expires: float | None = None,
) -> None:
    """Keep a freshly drawn page and its pointer, under the tokens read before the render."""
    if response.cookies or response.status_code not in (200, 410):
        return
    timeout = PAGE_SECONDS
    if expires:
        timeout = max(1, min(timeout, int(expires - time.time())))
    key = state.page_key(request, content_hash, audience)
    pointer = {
        "gen": state.gen,
        "site": state.site,
        "hash": content_hash,
        "status": response.status_code,
        "modified": http_date(modified),
        "audiences": audiences,
        "default": default,
        "expires": expires,
    }
    cache.set_many({key: response.content, _pointer_key(state.slug): pointer}, timeout)
