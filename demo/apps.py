from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration site's seed: above every other app, so it may use them all."""

    name = "demo"
    verbose_name = "Demo site"
