from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Heard administration"
admin.site.site_title = "Heard administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/letters/", include("heard.letters.urls")),
    path("staff/reports/", include("heard.reports.urls")),
    path("staff/", include("heard.staff.urls")),
    path("", include("heard.public.urls")),
]

if settings.DEBUG:  # the pattern library: every component and form field, for developers only
    from heard.views import pattern_library

    urlpatterns.insert(0, path("patterns/", pattern_library, name="pattern_library"))
