from django.urls import path

from . import views

app_name = "b24"
urlpatterns = [
    path("install/", views.install, name="install"),
    path("app/", views.app, name="app"),
    path("deal-tab/", views.deal_tab, name="deal_tab"),
    path("docgen-button/", views.docgen_button, name="docgen_button"),
    path("events/", views.events_view, name="events"),
]
