"""Public pages of the catalogs app (no login), mounted at the site root by the portal.

Clean URLs carrying the region's 12-digit code: /gongkai/<code>/<kind>/<item>/ and /kaizhengming/<code>/.
"""

from django.urls import path, re_path

from . import public_views as views

app_name = "catalogs_public"
urlpatterns = [
    path("kaizhengming/", views.triage_page, name="triage"),
    path("kaizhengming/notice.pdf", views.triage_notice_pdf, name="triage_notice"),
    re_path(r"^kaizhengming/(?P<code>[^/]+)/$", views.triage_page, name="triage_region"),
    path("gongkai/", views.index, name="index"),
    path("gongkai/tiaozheng/<int:pk>/", views.revision_page, name="revision"),
    path("gongkai/<str:code>/", views.region_page, name="region"),
    path("gongkai/<str:code>/tiaozheng/", views.revisions_page, name="revisions"),
    re_path(r"^gongkai/(?P<code>[^/]+)/(?P<kind>[a-z_]+)/export\.(?P<fmt>xlsx|csv|pdf)$", views.export, name="export"),
    path("gongkai/<str:code>/<str:kind>/", views.kind_page, name="kind"),
    path("gongkai/<str:code>/<str:kind>/bianhua/", views.changes_page, name="changes"),
    path("gongkai/<str:code>/<str:kind>/<str:item>/", views.item_page, name="item"),
    path("gongkai/<str:code>/<str:kind>/<str:item>/banshizhinan.pdf", views.guide_pdf, name="guide_pdf"),
]
