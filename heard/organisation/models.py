"""How the council is organised, and the calendar facts it adds: services, teams, themes, closure
days, newly announced bank holidays and local procedure settings."""

from django.db import models


class Service(models.Model):
    """A service area, e.g. Children's Social Care. Retired services stay for past years' reports."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service__name", "name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="team_unique_in_service")]

    def __str__(self) -> str:
        return f"{self.name} ({self.service})"


class Theme(models.Model):
    """What a complaint is mainly about. Retired themes are not offered for new complaints but are
    still reported in the years they were used."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NonWorkingDay(models.Model):
    """A day the council adds to the England and Wales bank holidays: a newly announced bank holiday
    (they come at short notice) or a local closure day."""

    class Kind(models.TextChoices):
        BANK_HOLIDAY = "bank_holiday", "Bank holiday"
        CLOSURE = "closure", "Council closure day"

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.name}"


class ProcedureSetting(models.Model):
    """A council's local setting for one step of a procedure (e.g. acknowledge within 2 working days),
    in force from a date, so records received before it are still judged by the old rule."""

    procedure = models.CharField(max_length=60)
    step = models.CharField(max_length=60)
    working_days = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    citation = models.CharField(max_length=200, help_text="The council policy that sets this.")

    class Meta:
        ordering = ["procedure", "step", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "step", "effective_from"], name="one_setting_per_step_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure}.{self.step} = {self.working_days} from {self.effective_from}"
