"""The words of the annual report. Staff write them, per financial year and section; every figure in the
report comes from the records (heard.reports.queries) and is never typed here."""

from django.conf import settings
from django.db import models


class ReportNarrative(models.Model):
    class Section(models.TextChoices):
        # The sections of the reference report (Blackpool 2018/19), in its order.
        OVERVIEW = "overview", "Overview"
        HEADLINES = "headlines", "Key headlines"
        COMPLAINTS = "complaints", "Complaints"
        OUTCOMES = "outcomes", "Stage 1 complaint outcomes"
        THEMES = "themes", "Stage 1 complaint themes"
        TIMESCALES = "timescales", "Stage 1 timescales"
        STAGES_2_AND_3 = "stages_2_and_3", "Stage 2 and stage 3 complaints"
        OMBUDSMAN = "ombudsman", "Local Government and Social Care Ombudsman"
        LEARNING = "learning", "Outcomes and learning"
        YOUNG_PEOPLE = "young_people", "Feedback from young people"
        COMPLIMENTS = "compliments", "Compliments"
        COMMENTS = "comments", "Comments"
        ENQUIRIES = "enquiries", "MP and councillor enquiries"
        LOOKING_FORWARD = "looking_forward", "Looking forward"
        VOICE_OF_YOUNG_PEOPLE = "voice_of_young_people", "The voice of young people"

    year = models.PositiveSmallIntegerField(help_text="The financial year's first year: 2018 is 2018/19.")
    section = models.CharField(max_length=40, choices=Section.choices)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "section"]
        constraints = [models.UniqueConstraint(fields=["year", "section"], name="one_narrative_per_year_and_section")]

    def __str__(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} {self.get_section_display()}"
