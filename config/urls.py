from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import SITEMAPS
from articles.views import robots_txt
from config.health import healthz

admin.site.site_header = "Vetted — Medical Advisory Board"
admin.site.site_title = "Vetted admin"
admin.site.index_title = "Board and editors' workspace"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("desk/", include("desk.urls")),
    path("board/", include("reviews.urls")),
    path("api/v1/", include("api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("articles.urls")),
]
