from django.urls import path

from heard.letters import views

app_name = "letters"
urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:kind>/", views.template_edit, name="template_edit"),
    path("for-approval/", views.for_approval, name="for_approval"),
    path("<str:reference>/", views.case_letters, name="case_letters"),
    path("<str:reference>/<int:letter_id>/", views.letter_detail, name="letter"),
    path("<str:reference>/<int:letter_id>/approve", views.letter_approve, name="approve"),
    path("<str:reference>/<int:letter_id>/posted", views.letter_posted, name="posted"),
    path("<str:reference>/<int:letter_id>/letter.<str:fmt>", views.letter_download, name="download"),
    path("<str:reference>/emails/<int:email_id>/retry", views.email_retry, name="email_retry"),
]
