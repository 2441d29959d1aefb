"""Staff pages of the catalogs app, mounted at /catalogs/."""

from django.urls import path

from . import views

app_name = "catalogs"
urlpatterns = [
    path("", views.home, name="home"),
    path("revisions/", views.revisions, name="revisions"),
    path("revisions/<int:pk>/", views.revision, name="revision"),
    path("revisions/<int:pk>/approve/", views.approve, name="approve"),
    path("revisions/<int:pk>/discard/", views.discard, name="discard"),
    path("import/", views.import_view, name="import"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("compare/", views.compare, name="compare"),
    path("export/", views.export, name="export"),
    path("items/<str:kind>/new/", views.item_edit, name="item_new"),
    path("items/<str:kind>/<str:code>/", views.item_history_view, name="item_history"),
    path("items/<str:kind>/<str:code>/refine/", views.item_edit, name="item_refine"),
    path("items/<str:kind>/<str:code>/withdraw/", views.item_withdraw, name="item_withdraw"),
    # learning from use: phrasings triage missed (issue 12)
    path("phrasings/", views.phrasings, name="phrasings"),
    path("phrasings/<int:pk>/", views.phrasing_act, name="phrasing_act"),
]
