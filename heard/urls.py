from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Heard administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("heard.staff.urls")),
    path("", include("heard.public.urls")),
]
