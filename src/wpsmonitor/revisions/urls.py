from django.urls import path

from wpsmonitor.revisions import views

app_name = "revisions"
base = "plans/<slug:code>/versions/"
urlpatterns = [
    path(base, views.versions, name="versions"),
    path(base + "new/", views.prepare, name="prepare"),
    path(base + "<int:number>/", views.version, name="version"),
    path(base + "<int:number>/approve/", views.approve, name="approve"),
    path(base + "<int:number>/abandon/", views.abandon, name="abandon"),
    path(base + "<int:number>/drop/", views.drop, name="drop"),
    path(base + "<int:number>/keep/", views.keep, name="keep"),
    path(base + "<int:a>/to/<int:b>/", views.compare, name="compare"),
]
