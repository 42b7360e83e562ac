"""Case records in the admin: read-only, and only for superusers (break-glass support).

Cases are about children, so the administrator, who configures Heard, sees none of them (access.py:
"an administrator configures Heard and sees no case"). Every change goes through services.py from the
casework pages; the admin never edits a case. A superuser's view of a case is audited like any other.
"""

from django.contrib import admin

from heard.feedback.models import Feedback
from heard.staff.decorators import record_access
from heard.staff.models import AccessRecord


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "procedure", "status", "stage", "service", "received_on")
    list_filter = ("kind", "status", "procedure", "service")
    search_fields = ("reference",)  # by reference only: no searching on people's names here
    date_hierarchy = "received_on"
    list_select_related = ("service",)
    show_full_result_count = False  # no COUNT(*) over every case on each page
    exclude = ("other_services", "involved_staff", "linked")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        feedback = Feedback.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if feedback is not None and response.status_code == 200:
            record_access(request.user, AccessRecord.Action.VIEWED, feedback, "admin")
        return response
