"""Development settings: run with no environment variables at all."""

import os

from .base import *  # noqa: F403
from .base import DEFAULT_DATABASE_URL, database_from_url

# ------------------------------------------------------------------------------
# GENERAL
# ------------------------------------------------------------------------------
DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# ------------------------------------------------------------------------------
# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))}
