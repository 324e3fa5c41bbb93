from django.urls import path

from . import views

app_name = "wizard"
urlpatterns = [
    path("<str:deal_id>/goods/search/", views.goods_search, name="goods_search"),
    path("<str:deal_id>/<str:step>/", views.step, name="step"),
]
