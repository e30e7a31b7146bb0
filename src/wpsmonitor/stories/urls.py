"""The pages of stories (docs/stories.md, "Pages")."""

from django.urls import path

from wpsmonitor.stories import downloads, rounds, views

app_name = "stories"

urlpatterns = [
    path("plans/<slug:code>/stories/", views.story_list, name="list"),
    path("plans/<slug:code>/stories/new/", views.story_new, name="new"),
    # ?format=csv|xlsx, with the list's filters (status, kind).
    path("plans/<slug:code>/stories/export/", downloads.export, name="export"),
    # Which of the storyteller's attributes the plan's stories record (the coordinator).
    path("plans/<slug:code>/stories/settings/", views.story_settings, name="settings"),
    path("plans/<slug:code>/stories/<uuid:uid>/", views.story_detail, name="story"),
    # Selection rounds (Most Significant Change).
    path("plans/<slug:code>/stories/rounds/", rounds.round_list, name="rounds"),
    path("plans/<slug:code>/stories/rounds/new/", rounds.round_new, name="round_new"),
    path("plans/<slug:code>/stories/rounds/<int:pk>/", rounds.round_detail, name="round"),
    path(
        "plans/<slug:code>/stories/rounds/<int:pk>/decide/",
        rounds.round_decide,
        name="round_decide",
    ),
    # A coordinator keeps a published report whose story's consent was withdrawn.
    path(
        "plans/<slug:code>/stories/withdrawals/<int:pk>/keep/",
        views.notice_keep,
        name="notice_keep",
    ),
    path("plans/<slug:code>/stories/<uuid:uid>/links/", views.story_links, name="links"),
    path(
        "plans/<slug:code>/stories/<uuid:uid>/consents/new/",
        views.consent_new,
        name="consent_new",
    ),
    path(
        "plans/<slug:code>/stories/<uuid:uid>/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "plans/<slug:code>/stories/<uuid:uid>/media/",
        views.medium_upload,
        name="medium_upload",
    ),
    path(
        "plans/<slug:code>/stories/<uuid:uid>/media/<int:pk>/",
        views.medium_download,
        name="medium",
    ),
    path(
        "plans/<slug:code>/stories/<uuid:uid>/media/<int:pk>/remove/",
        views.medium_remove,
        name="medium_remove",
    ),
]
