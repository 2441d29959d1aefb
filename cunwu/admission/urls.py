from django.urls import path

from . import views

app_name = "admission"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/screen/", views.screen_preview, name="screen_preview"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/revise/", views.request_revise, name="request_revise"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("review/", views.review, name="review"),
    path("village/", views.village, name="village"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("offlist/", views.offlist, name="offlist"),
    path("offlist/new/", views.offlist_new, name="offlist_new"),
    path("offlist/<int:pk>/", views.offlist_detail, name="offlist_detail"),
    path("meetings/", views.meetings, name="meetings"),
    path("ledger/", views.ledger, name="ledger"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("channels/", views.channels, name="channels"),
    path("channels/<int:pk>/decide/", views.channel_decide, name="channel_decide"),
    path("remits/", views.remits, name="remits"),
    path("remits/<int:department>/", views.remit_edit, name="remit_edit"),
    # registries of approvals, routed work and rule misses (issue 12)
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/revoke/", views.approval_revoke, name="approval_revoke"),
    path("routed/", views.routed, name="routed"),
    path("routed/<int:pk>/", views.routed_update, name="routed_update"),
    path("rule-misses/", views.rule_misses, name="rule_misses"),
    path("rule-misses/<int:pk>/review/", views.rule_miss_review, name="rule_miss_review"),
]
