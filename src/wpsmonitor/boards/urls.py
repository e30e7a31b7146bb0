from django.urls import path

from wpsmonitor.boards import views

app_name = "boards"
urlpatterns = [
    path("plans/<slug:code>/board/", views.board, name="board"),
    path("plans/<slug:code>/board/save/", views.board_save, name="board_save"),
    path("plans/<slug:code>/board/members/add/", views.member_add, name="member_add"),
    path("plans/<slug:code>/board/members/<int:pk>/", views.member, name="member"),
    path("plans/<slug:code>/reports/", views.reports, name="reports"),
    path("plans/<slug:code>/reports/add/", views.report_create, name="report_create"),
    path("plans/<slug:code>/reports/<int:pk>/", views.report, name="report"),
    path("plans/<slug:code>/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("plans/<slug:code>/reports/<int:pk>/act/", views.report_act, name="report_act"),
    path("plans/<slug:code>/reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("plans/<slug:code>/board/meetings/", views.meetings, name="meetings"),
    path("plans/<slug:code>/board/kind/", views.kind_save, name="kind_save"),
    path("plans/<slug:code>/board/meetings/add/", views.meeting_create, name="meeting_create"),
    path("plans/<slug:code>/board/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("plans/<slug:code>/board/meetings/<int:pk>/act/", views.meeting_act, name="meeting_act"),
    path(
        "plans/<slug:code>/versions/<int:number>/signatures/",
        views.version_signatures,
        name="version_signatures",
    ),
    path(
        "plans/<slug:code>/versions/<int:number>/signatures/act/",
        views.version_sign_act,
        name="version_sign_act",
    ),
]
