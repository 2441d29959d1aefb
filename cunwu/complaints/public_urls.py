"""Public pages of the complaints app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import public_views

app_name = "complaints_public"
urlpatterns = [
    path("jubao/", public_views.file, name="file"),
    path("jubao/diqu/", public_views.region_picker, name="picker"),
    path("jubao/huizhi/", public_views.receipt, name="receipt"),
    path("jubao/chaxun/", public_views.track, name="track"),
    path("jubao/zhuiwen/", public_views.ask, name="ask"),
    path("tongbao/", public_views.cases, name="cases"),
    path("tongbao/<int:pk>/", public_views.case, name="case"),
    path("feeds/typical-cases.atom", public_views.TypicalCasesFeed(), name="feed"),
]
