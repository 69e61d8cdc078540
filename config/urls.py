from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path


def healthz(request):
    return JsonResponse({"status": "ok"})


admin.site.site_header = "Vetted — Medical Advisory Board"
admin.site.site_title = "Vetted admin"
admin.site.index_title = "Board and editors' workspace"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("desk/", include("desk.urls")),
    path("", include("articles.urls")),
]
