from django.urls import path, register_converter

from heard.reports import views


class FormatConverter:
    regex = "html|pdf|xlsx|csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("period/", views.period, name="period"),
    path("period/download.<fmt:fmt>", views.period_download, name="period_download"),
    path("<int:year>/", views.annual, name="annual"),
    path("<int:year>/download.<fmt:fmt>", views.annual_download, name="annual_download"),
    path("<int:year>/words/<slug:section>/", views.narrative, name="narrative"),
    path("lessons/", views.lessons_this_year, name="lessons_this_year"),
    path("<int:year>/lessons/", views.lessons, name="lessons"),
    path("lessons/<int:lesson_id>/", views.lesson, name="lesson"),
]
