from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("b24/", include("b24app.b24_urls")),
    path("wizard/", include("wizard.urls")),
    path("documents/", include("documents.urls")),
    path("onec/", include("onec.urls")),
]

handler500 = "b24app.errors_views.server_error"
