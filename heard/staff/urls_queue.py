"""Sign-in, the work queue, logging (and concerns resolved informally), triage, search and audit."""

from django.urls import path

from heard.staff import views_audit, views_auth, views_informal, views_log, views_queue, views_search, views_triage

urlpatterns = [
    path("", views_queue.home, name="home"),
    path("sign-in", views_auth.login, name="login"),
    path("sign-out", views_auth.logout, name="logout"),
    path("password", views_auth.password_change, name="password_change"),
    path("log", views_log.log, name="log"),
    path("log/informal", views_informal.record, name="log_informal"),
    path("informal-resolutions/", views_informal.index, name="informal_resolutions"),
    path("cases/<str:reference>/triage", views_triage.triage, name="triage"),
    path("search", views_search.search, name="search"),
    path("audit/", views_audit.audit, name="audit"),
    # The .csv route first: <str:reference> would otherwise swallow the extension.
    path("audit/cases/<str:reference>.csv", views_audit.audit_case_csv, name="audit_case_csv"),
    path("audit/cases/<str:reference>", views_audit.audit_case, name="audit_case"),
    path("audit/users/<int:user_id>", views_audit.audit_user, name="audit_user"),
    path("audit/users/<int:user_id>.csv", views_audit.audit_user_csv, name="audit_user_csv"),
]
