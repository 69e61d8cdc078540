"""Settings and URLconf for benchmarks/http_load.py: production settings (with the safe local
defaults of ``VETTED_LOCAL_SERVE=1``) plus one view that returns fixed bytes.

The bare view sits behind the same middleware as every page, so the load run compares the
cached article page with the cheapest response Django can give.
"""

import os
from pathlib import Path

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_site"
BARE_FILE = os.environ.get("VETTED_BENCH_BARE_FILE", "")


def bare_view(request, slug):
    from django.http import HttpResponse

    return HttpResponse(_bare_bytes())


def _bare_bytes(memo={}):  # noqa: B006 (read once per worker)
    if "body" not in memo:
        memo["body"] = Path(BARE_FILE).read_bytes() if BARE_FILE else b"bare"
    return memo["body"]


def __getattr__(name):
    # Django reads ``urlpatterns`` from ROOT_URLCONF after the apps are ready.
    if name == "urlpatterns":
        from django.urls import include, path

        return [path("", include("config.urls")), path("bare/<slug:slug>/", bare_view)]
    raise AttributeError(name)
