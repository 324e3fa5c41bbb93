from django.urls import include, path

app_name = "documents"
urlpatterns = [
    path("", include("documents.urls_jobs")),  # generation progress, results, history, audit
    path("", include("documents.urls_settings")),  # admins' settings and the contract library
]
