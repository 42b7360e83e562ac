"""The public side, at the root of the site. Plain-English addresses; no personal data in any of them."""

from django.urls import path

from heard.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("young-people/", views.young_start, name="young_start"),
    path("follow-up", views.follow_up, name="follow_up"),
    path("follow-up/check-your-email", views.follow_up_sent, name="follow_up_sent"),
    path("follow-up/link/<str:token>", views.follow_up_link, name="follow_up_link"),
    path("follow-up/your-case", views.your_case, name="your_case"),
    path("follow-up/your-case/next-stage", views.next_stage, name="next_stage"),
    path("accessibility", views.info_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy", views.info_page, {"page": "privacy"}, name="privacy"),
    path("contact", views.info_page, {"page": "contact"}, name="contact"),
    path("<slug:name>/check-your-answers", views.check, name="check"),
    path("<slug:name>/sent", views.confirmation, name="confirmation"),
    path("<slug:name>/<slug:slug>", views.question, name="question"),
]
