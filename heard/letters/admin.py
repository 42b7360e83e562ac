from django.contrib import admin

from heard.letters.models import Letter, LetterTemplate, Reminder


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    # Templates are edited in Heard (/staff/letters/templates/), where the placeholder check runs.
    list_display = ["kind", "title", "version", "updated_at"]
    readonly_fields = ["kind", "title", "body", "version", "updated_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["feedback", "kind", "status", "letter_date"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "sent_on", "due_on"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
