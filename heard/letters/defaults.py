# ruff: noqa: E501 - a paragraph of a letter is one line, as it is edited and as it wraps on paper.
"""The default wording of every letter: plain English for a reading age of about 9 to 11, short
sentences, one idea each. Administrators may change the wording; the dates and rights stay placeholders
so they always come from the rules and the record.

The data migration 0002 loads these; `heard.letters.services.reset_template` restores one.
"""

from heard.letters.models import LetterKind as K

SIGN_OFF = """Yours sincerely

{sender_name}
{sender_role}
{council_name}"""

HELP = """If you need this letter in another format, such as large print, easy read or another language, please tell us.
Phone {council_phone} or email {council_email}. Please quote {reference}."""

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    K.ACKNOWLEDGEMENT: (
        "We have received your complaint",
        """Dear {recipient_name}

Thank you for telling us about your complaint. We received it on {received_date}.

We are dealing with it under our {procedure_name}.

What you told us:
{points}

We will reply to you by {stage1_due_date}.

If your complaint is complex we may need more time, up to {stage1_max_working_days} working days. If we do, we will write to you. We will tell you the new date and why.

Children and young people can have help from an advocate. An advocate is someone who is on your side and helps you say what you want. We can put you in touch with {advocacy_service}.

{help}

"""
        + SIGN_OFF,
    ),
    K.STATEMENT_OF_COMPLAINT: (
        "Please check the statement of your complaint",
        """Dear {recipient_name}

You asked us to look at your complaint again. This is stage 2. An investigating officer will look into it. An independent person will check that it is done fairly.

First we need to agree what the complaint is about. This is what we think you want us to look at:

{points}

Please tell us if this is right. If something is wrong or missing, please tell us what to change.

We will send you our response within {stage2_working_days} working days of the day we agree this statement with you.

{help}

"""
        + SIGN_OFF,
    ),
    K.INTERIM_UPDATE: (
        "We need more time to reply to your complaint",
        """Dear {recipient_name}

We said we would reply to your complaint by {original_due_date}. We are sorry, but we need more time.

This is why:
{extension_reason}

We will now reply by {new_due_date}.

{help}

"""
        + SIGN_OFF,
    ),
    K.STAGE1_RESPONSE: (
        "Our reply to your complaint",
        """Dear {recipient_name}

Thank you for your complaint, which we received on {received_date}. This letter is our reply at stage 1, sent on {response_date}.

What we found on each point:
{points_and_findings}

{response}

What we will do to put things right:
{remedies}

If you are not happy with this reply

You can ask us to look at your complaint again. This is stage 2. An investigating officer will look into it. An independent person will check that it is done fairly.

Please ask by {stage2_request_by}. That is {stage2_request_working_days} working days from {response_date}, the day of our reply. You can ask by phone, by email or in writing. Tell us what you are still unhappy about.

{help}

"""
        + SIGN_OFF,
    ),
    K.STAGE2_ACKNOWLEDGEMENT: (
        "We have received your request for stage 2",
        """Dear {recipient_name}

Thank you for asking us to look at your complaint again. This is stage 2.

An investigating officer will look into your complaint. An independent person will check that it is done fairly.

First we will write to you to agree what the complaint is about. We will send you our response within {stage2_working_days} working days of the day we agree it. If it is very complex, this can take up to {stage2_max_working_days} working days. If so, we will tell you why.

{help}

"""
        + SIGN_OFF,
    ),
    K.STAGE2_RESPONSE: (
        "Our stage 2 response to your complaint",
        """Dear {recipient_name}

This letter gives you the result of the stage 2 investigation of your complaint.

{investigating_officer} investigated your complaint. {independent_person} was the independent person. We have sent you both of their reports with this letter.

{adjudicating_officer} read the reports and decided what happens next. This is the decision.

What we found on each point:
{points_and_findings}

{response}

What we will do to put things right:
{remedies}

If you are still not happy

You can ask for a review panel. This is stage 3. Three independent people will look at how your complaint was handled.

Please ask by {stage3_request_by}. That is {stage3_request_working_days} working days from {response_date}, the day of our response.

You can also go to the Local Government and Social Care Ombudsman:
{ombudsman_contact}

{help}

"""
        + SIGN_OFF,
    ),
    K.PANEL_INVITATION: (
        "Your review panel",
        """Dear {recipient_name}

You asked for a review panel. This is stage 3 of your complaint.

The panel will meet on {panel_date}.
Place: {panel_venue}

The panel members are: {panel_members}.

You are welcome to come. You can bring someone with you, such as a friend or an advocate. You can speak to the panel yourself.

The panel will send its report within {panel_report_working_days} working days of the meeting. Our director will then reply to you within {director_response_working_days} working days of getting the report.

{help}

"""
        + SIGN_OFF,
    ),
    K.DIRECTOR_RESPONSE: (
        "Our response to the review panel",
        """Dear {recipient_name}

The review panel sent us its report. The panel recommended:
{panel_recommendations}

Our director {director_decision}.

{director_response}

If you are still not happy

You can ask the Local Government and Social Care Ombudsman to look at your complaint. The Ombudsman is free and independent.
{ombudsman_contact}

{help}

"""
        + SIGN_OFF,
    ),
    K.OMBUDSMAN_RIGHTS: (
        "You can go to the Ombudsman",
        """Dear {recipient_name}

We have replied to your complaint. If you are still not happy, you can ask the Local Government and Social Care Ombudsman to look at it.

The Ombudsman is free and independent. It usually expects you to complain to the Ombudsman within 12 months of when you found out about the problem.

{ombudsman_contact}

Please give them our reference, {reference}.

{help}

"""
        + SIGN_OFF,
    ),
    K.THANKS: (
        "Thank you",
        """Dear {recipient_name}

Thank you for your {compliment_or_comment}. We received it on {received_date}.

We have passed it to {service}. It helps us to know what works well and what we could do better.

{help}

"""
        + SIGN_OFF,
    ),
    K.ENQUIRY_REPLY: (
        "Your enquiry",
        """Dear {recipient_name}

Thank you for your enquiry, which we received on {received_date}. You asked for a {enquiry_category}.

[Write the reply here.]

{help}

"""
        + SIGN_OFF,
    ),
    K.NOT_CONSIDERED: (
        "We cannot look at your complaint under this procedure",
        """Dear {recipient_name}

Thank you for your complaint, which we received on {received_date}.

We have read it carefully. We cannot look at it under our complaints procedure. This is because it is about:
{exclusion_reason}

There is a better way to deal with it. This is where to go:
{sent_to}

If you think we have got this wrong, please tell us why. You can also ask the Local Government and Social Care Ombudsman:
{ombudsman_contact}

{help}

"""
        + SIGN_OFF,
    ),
    K.BEHAVIOUR_WARNING: (
        "How you contact us",
        """Dear {recipient_name}

We want to help you. But some of the ways you have contacted us have made it hard for us to do our job.

[Describe what happened, when, and why it is a problem.]

Please contact us in a way that is polite and reasonable. If this goes on, we may have to limit how you can contact us. If we do, we will write to you first. We will tell you what the limit is, why, and when we will look at it again.

This does not stop us looking at your complaint.

{help}

"""
        + SIGN_OFF,
    ),
    K.RESTRICTION: (
        "Changes to how you can contact us",
        """Dear {recipient_name}

We wrote to you before about how you contact us. We have now decided to limit how you can contact us. A director has agreed this.

From {restriction_starts}:
{restriction_terms}

We will look at this again on {restriction_review_date}. We will write to tell you what we decide.

This does not stop us looking at your complaint. You can still go to the Local Government and Social Care Ombudsman:
{ombudsman_contact}

{help}

"""
        + SIGN_OFF,
    ),
}

# {help} is shared wording, filled in before the placeholders so an administrator can also use it.
DEFAULT_TEMPLATES = {k: (title, body.replace("{help}", HELP)) for k, (title, body) in DEFAULT_TEMPLATES.items()}
