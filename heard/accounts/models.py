"""Staff and the independent people Heard's users work with. Access is by role, deny by default."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Role(models.TextChoices):
        CUSTOMER_RELATIONS = "customer_relations", "Customer relations officer"
        COMPLAINTS_MANAGER = "complaints_manager", "Complaints manager"
        SERVICE_MANAGER = "service_manager", "Service manager"
        INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
        INDEPENDENT_PERSON = "independent_person", "Independent person"
        PANEL_MEMBER = "panel_member", "Review panel member"
        DIRECTOR = "director", "Director of children's services"
        ADMINISTRATOR = "administrator", "Administrator"

    class Relationship(models.TextChoices):
        # reg 2 (SI 2006/1738): an independent person is neither a member nor an officer of the
        # authority, nor the spouse or civil partner of one.
        OFFICER = "officer", "Officer of the council"
        MEMBER = "member", "Member (councillor) of the council"
        EXTERNAL = "external", "Neither an officer nor a member"

    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    service = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For service managers and investigating officers: the service they work in.",
    )
    relationship_to_council = models.CharField(
        max_length=20, choices=Relationship.choices, default=Relationship.OFFICER
    )
    partner_of_officer_or_member = models.BooleanField(
        default=False, help_text="Spouse or partner of an officer or member of the council."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_independent(self) -> bool:
        return self.relationship_to_council == self.Relationship.EXTERNAL and not self.partner_of_officer_or_member

    @property
    def sees_every_case(self) -> bool:
        return self.role in {
            self.Role.CUSTOMER_RELATIONS,
            self.Role.COMPLAINTS_MANAGER,
            self.Role.DIRECTOR,
        }
