from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding_decide"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/photos/<int:pk>/", views.photo, name="photo"),
    path("<str:code>/questions/<int:pk>/answer/", views.answer, name="answer"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/<str:action>/", views.act, name="act"),
]
