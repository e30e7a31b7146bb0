from django.urls import path

from wpsmonitor.publishing import views, workbook

app_name = "publishing"
urlpatterns = [
    path("plans/<slug:code>/releases/", views.releases, name="releases"),
    path("plans/<slug:code>/releases/prepare/", views.prepare, name="prepare"),
    path("plans/<slug:code>/releases/<int:number>/publish/", views.publish, name="publish"),
    path("plans/<slug:code>/releases/<int:number>/withdraw/", views.withdraw, name="withdraw"),
    path("plans/<slug:code>/releases/<int:number>/", views.release, name="release"),
    path(
        "plans/<slug:code>/releases/<int:number>/download/<str:fmt>/",
        views.release_download,
        name="release_download",
    ),
    path("plans/<slug:code>/releases/audit/<int:pk>/resolve/", views.resolve, name="resolve"),
    # The plan workbook: the detail to the plan's members, its published release to others.
    path("plans/<slug:code>/workbook.xlsx", workbook.workbook_download, name="workbook_download"),
]
