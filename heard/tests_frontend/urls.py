"""The site's URLs plus the pattern library, which heard/urls.py mounts only when DEBUG is on
(and pytest-django runs tests with DEBUG off)."""

from django.urls import path

from heard.urls import urlpatterns as site_urlpatterns
from heard.views import pattern_library

urlpatterns = [path("patterns/", pattern_library, name="pattern_library"), *site_urlpatterns]
