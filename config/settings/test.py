"""Settings for the test suite: fast hashing, in-memory mail, same database choice as local."""

import os

from .base import *  # noqa: F403
from .base import DEFAULT_DATABASE_URL, database_from_url

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))}

# ------------------------------------------------------------------------------
# SPEED
# ------------------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# SIGN-IN THROTTLING
# ------------------------------------------------------------------------------
# django-axes needs the request at authenticate(), which the test client's login() does not
# pass. tests/test_signin.py turns it back on and drives the real login pages.
AXES_ENABLED = False
