"""How the council is organised, in the admin: services and teams, themes, local procedure settings, and
closure days and newly announced bank holidays.

A non-working day is never just saved: adding one goes through services.add_non_working_day, which moves
every open deadline it affects (domain.md: "adding one must move every open deadline it affects").
"""

from django import forms
from django.contrib import admin, messages

from heard.accounts.admin import AdministratorPermissions
from heard.feedback import clock, services
from heard.feedback.services import RuleViolation
from heard.organisation.models import NonWorkingDay, ProcedureSetting, Service, Team, Theme


class TeamInline(admin.TabularInline):
    model = Team
    extra = 1

    def has_add_permission(self, request, obj=None):
        return True

    has_change_permission = has_view_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return False  # teams are retired (active = no), so past cases keep theirs


@admin.register(Service)
class ServiceAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
    inlines = [TeamInline]

    def has_delete_permission(self, request, obj=None):
        return False  # retired, not deleted: past years' reports still name it


@admin.register(Theme)
class ThemeAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcedureSetting)
class ProcedureSettingAdmin(AdministratorPermissions, admin.ModelAdmin):
    list_display = ("procedure", "step", "working_days", "effective_from", "citation")
    list_filter = ("procedure",)

    def has_change_permission(self, request, obj=None):
        # A setting in force is history: records received under it are judged by it. Add a new one
        # with a later effective date instead.
        return obj is None and super().has_change_permission(request, obj)


class NonWorkingDayForm(forms.ModelForm):
    class Meta:
        model = NonWorkingDay
        fields = ["date", "name", "kind"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        why = clock.working_calendar().why_not_working(day)
        if why:
            raise forms.ValidationError(f"{day:%a %d %b %Y} is already not a working day ({why}).")
        return day


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(AdministratorPermissions, admin.ModelAdmin):
    form = NonWorkingDayForm
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)

    def save_model(self, request, obj, form, change):
        try:
            moved = services.add_non_working_day(actor=request.user, day=obj.date, name=obj.name, kind=obj.kind)
        except RuleViolation as exc:  # the form checks first; this is the race with another admin
            self.message_user(request, exc.message, messages.ERROR)
            return
        # The admin goes on to log the addition against obj: point it at the row the service created.
        created = NonWorkingDay.objects.get(date=obj.date)
        obj.pk, obj.created_at = created.pk, created.created_at
        self.message_user(request, f"{moved} open deadline{'s' if moved != 1 else ''} moved.", messages.INFO)

    def has_change_permission(self, request, obj=None):
        # Changing or removing a day would need every deadline recomputed too; add days only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
