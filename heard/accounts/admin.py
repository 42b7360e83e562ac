"""Users and roles in the Django admin, for Heard's administrator.

The admin is for configuration, so it is open to the administrator role (and superusers), not to every
user Django would call "staff": `admin.site.has_permission` is replaced below, and each configuration
model admin grants its permissions by role (AdministratorPermissions) rather than by Django's per-model
permission table, which nobody would keep up to date. Case records are not configuration: see
heard/feedback/admin.py.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from heard.accounts.models import User


def is_administrator(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR))


def _administrators_only(request) -> bool:
    return is_administrator(request.user)


admin.site.has_permission = _administrators_only
# "View site" goes to the public site: the staff pages are for casework roles, which the administrator has not.
admin.site.site_url = "/"
# Heard grants by role, not by Django's groups and per-model permissions: hide what would mislead.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class AdministratorPermissions:
    """Mixin for configuration models: the administrator may view, add, change and delete."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


@admin.register(User)
class UserAdmin(AdministratorPermissions, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "service", "relationship_to_council", "is_active")
    list_filter = ("role", "service", "relationship_to_council", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        (
            "Role in Heard",
            {
                "fields": ("role", "service", "relationship_to_council", "partner_of_officer_or_member"),
                "description": "The role decides what the person may see and do. An independent person must be "
                "neither an officer nor a member of the council, nor the partner of one (reg 2).",
            },
        ),
        ("Account", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "Role in Heard",
            {"fields": ("first_name", "last_name", "email", "role", "service", "relationship_to_council")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # An administrator configures roles but cannot make anyone (themselves included) a superuser.
            fields += ["is_staff", "is_superuser"]
        return fields

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, never deleted: their names stay on the events they wrote.
        return False


# Locked-out accounts (django-axes): the administrator may see who is locked and unlock them by deleting
# the attempt record, rather than telling a colleague to wait 30 minutes.
try:
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt
except ImportError:  # pragma: no cover - axes is a dependency; this only guards odd installs
    AccessAttempt = None

if AccessAttempt is not None and admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class LockoutAdmin(AdministratorPermissions, AccessAttemptAdmin):
        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False
