"""Staff casework. The work queue, search, sign-in and audit live in urls_queue (heard.staff.views_*);
a case and every action on it live in urls_case."""

from django.urls import include, path

app_name = "staff"
urlpatterns = [
    path("cases/", include("heard.staff.urls_case")),
    path("", include("heard.staff.urls_queue")),
]
