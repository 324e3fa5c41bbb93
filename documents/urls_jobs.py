from django.urls import path

from . import views

urlpatterns = [
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/retry/", views.job_retry_view, name="job_retry"),
    path("jobs/<int:job_id>/regenerate/", views.job_regenerate_view, name="job_regenerate"),
    path("deals/<str:deal_id>/jobs/", views.job_history, name="job_history"),
    path("deals/<str:deal_id>/audit/", views.deal_audit, name="deal_audit"),
    path("files/<str:token>/", views.job_file, name="job_file"),
]
