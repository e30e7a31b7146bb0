from django.urls import URLPattern, path

from wpsmonitor.finance import oversight_views, views

app_name = "finance"
urlpatterns: list[URLPattern] = [
    path("plans/<slug:code>/finance/", views.summary, name="summary"),
    path("plans/<slug:code>/finance/costs/", views.costs, name="costs"),
    path("plans/<slug:code>/finance/costs/<int:pk>/", views.cost_edit, name="cost"),
    path("plans/<slug:code>/finance/costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    path("plans/<slug:code>/finance/lines/", views.lines, name="lines"),
    path("plans/<slug:code>/finance/lines/<int:pk>/", views.line_edit, name="line"),
    path("plans/<slug:code>/finance/lines/<int:pk>/delete/", views.line_delete, name="line_delete"),
    path("plans/<slug:code>/finance/rates/", views.rates, name="rates"),
    path("plans/<slug:code>/finance/rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
    path("plans/<slug:code>/finance/import/", views.import_page, name="import"),
    path("plans/<slug:code>/finance/template.xlsx", views.template_download, name="template"),
    path("plans/<slug:code>/finance/budget.xlsx", views.export_download, name="export"),
    path(
        "plans/<slug:code>/finance/lines/<int:pk>/civil-society/",
        oversight_views.line_oversight,
        name="line_oversight",
    ),
    path(
        "plans/<slug:code>/finance/money-evidence/<int:pk>/",
        oversight_views.money_file_download,
        name="money_file",
    ),
    path(
        "plans/<slug:code>/finance/divergence/",
        oversight_views.budget_divergence,
        name="budget_divergence",
    ),
]
