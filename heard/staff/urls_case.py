"""A case and every action on it, in plain English: /staff/cases/CS-2026-00042/escalate.

One URL per row of heard.staff.views_case.ACTIONS, named after it (staff:acknowledge, staff:panel_arrange…).
"""

from django.urls import path

from heard.staff import views_case

urlpatterns = [
    path("<str:reference>/", views_case.case, name="case"),
    path("<str:reference>/documents/<int:document_id>", views_case.download, name="document"),
    *(path(f"<str:reference>/{a.path}", views_case.ACTION_VIEWS[a.name], name=a.name) for a in views_case.ACTIONS),
]
