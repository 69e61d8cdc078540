from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from articles.sitemaps import SITEMAPS
from articles.views import robots_txt
from config.health import healthz

# A database outage raised outside a view is a 503 too; any other error the styled 500.
handler500 = "config.outage.server_error"

admin.site.site_header = "Vetted — Medical Advisory Board"
admin.site.site_title = "Vetted admin"
admin.site.index_title = "Board and editors' workspace"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("desk/", include("desk.urls")),
    path("account/", include("accounts.urls")),
    path("board/", include("reviews.urls")),
    path("api/v1/", include("api.urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]
