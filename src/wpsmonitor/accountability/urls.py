from django.urls import path

from wpsmonitor.accountability import views

app_name = "accountability"
urlpatterns = [
    path("plans/<slug:code>/recommendations/", views.summary, name="summary"),
    path("plans/<slug:code>/recommendations/add/", views.create, name="create"),
    path("plans/<slug:code>/recommendations/<int:pk>/", views.detail, name="detail"),
    path("plans/<slug:code>/recommendations/<int:pk>/act/", views.act, name="act"),
    path(
        "plans/<slug:code>/responses/<int:pk>/evidence/",
        views.response_evidence,
        name="response_evidence",
    ),
    path("plans/<slug:code>/reviews/", views.reviews, name="reviews"),
    path("plans/<slug:code>/reviews/add/", views.review_create, name="review_create"),
    path("plans/<slug:code>/reviews/<int:pk>/", views.review_detail, name="review"),
    path("plans/<slug:code>/reviews/<int:pk>/act/", views.review_act, name="review_act"),
]
