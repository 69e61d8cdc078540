"""WSGI entry point. Production servers set DJANGO_SETTINGS_MODULE=config.settings.production."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Python warnings go through logging too, so they come out in the same format (JSON lines in
# production) as everything else instead of as raw text among them.
logging.captureWarnings(True)

application = get_wsgi_application()
