"""The public side: thin views over heard.public.journeys (which page comes next) and
heard.public.services (what sending, following and escalating do)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from heard.feedback.models import Feedback
from heard.feedback.services import RuleViolation
from heard.public import forms as f
from heard.public import journeys as j
from heard.public import services
from heard.public.uploads import MAX_FILES, UploadRejected, check_and_store, discard

HONEYPOT = "website"  # a field people never see; scripts that fill every field fill it


def _today():
    return timezone.localdate()


def _ip(request: HttpRequest) -> str:
    # The address of whoever connected. Behind a reverse proxy, set it to pass the client's address.
    return request.META.get("REMOTE_ADDR", "")


def _journey(name: str) -> j.Journey:
    journey = j.JOURNEYS.get(name)
    if journey is None:
        raise Http404
    return journey


def _url(journey: j.Journey, slug: str) -> str:
    return reverse("public:question", args=[journey.name, slug])


def _context(journey: j.Journey, **extra) -> dict:
    return {"journey": journey, "advocacy_service": settings.HEARD_ADVOCACY_SERVICE, **extra}


def _base(journey: j.Journey) -> str:
    return "public/young/base.html" if journey.young else "public/base.html"


def too_many(request: HttpRequest, young: bool = False) -> HttpResponse:
    return render(
        request,
        "public/too_many.html",
        {"young": young, "base": "public/young/base.html" if young else "public/base.html"},
        status=429,
    )


# ------------------------------------------------------------------------------------------ start


def start(request: HttpRequest) -> HttpResponse:
    today = _today()
    return render(
        request,
        "public/start.html",
        {
            "timescales": services.timescales(today=today),
            "pass_on_days": services.pass_on_days(today=today),
            "advocacy_service": settings.HEARD_ADVOCACY_SERVICE,
        },
    )


def young_start(request: HttpRequest) -> HttpResponse:
    return render(request, "public/young/start.html", _context(j.YOUNG))


def info_page(request: HttpRequest, page: str) -> HttpResponse:
    return render(request, f"public/{page}.html", {"advocacy_service": settings.HEARD_ADVOCACY_SERVICE})


# ---------------------------------------------------------------------------------------- journeys


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, name: str, slug: str) -> HttpResponse:
    journey = _journey(name)
    if slug == "documents" and journey.documents:
        return documents(request, journey)
    step = journey.step(slug)
    if step is None:
        raise Http404
    today = _today()
    st = j.state(request, journey)
    answers, done = st["answers"], st.setdefault("done", [])
    applicable = journey.applicable(answers, today)
    if step not in applicable:
        missing = j.first_missing(journey, answers, done, today)
        return redirect(_url(journey, missing.slug) if missing else reverse("public:check", args=[journey.name]))
    index = applicable.index(step)
    earlier = [s for s in applicable[:index] if s.slug not in done]
    if earlier:  # skipped ahead: answer the earlier questions first
        return redirect(_url(journey, earlier[0].slug))
    changing = request.GET.get("change") == "1"
    kwargs = step.kwargs(answers, today)
    if request.method == "POST":
        form = step.form(request.POST, **kwargs)
        if request.POST.get(HONEYPOT):
            st["honeypot"] = True
        if form.is_valid():
            answers.update(j.serialise(form.cleaned_data))
            if slug not in done:
                done.append(slug)
            j.save(request, journey, st)
            after = journey.applicable(answers, today)
            missing = j.first_missing(journey, answers, done, today)
            if changing and missing is None:
                return redirect("public:check", journey.name)
            if missing is not None:
                return redirect(_url(journey, missing.slug) + ("?change=1" if changing else ""))
            following = after[after.index(step) + 1 :] if step in after else []
            if following and not changing:
                return redirect(_url(journey, following[0].slug))
            if journey.documents and not changing:
                return redirect(_url(journey, "documents"))
            return redirect("public:check", journey.name)
    else:
        form = step.form(initial=j.initial(step.form, answers), **kwargs)
    j.save(request, journey, st)
    if changing:
        back = reverse("public:check", args=[journey.name])
    elif index > 0:
        back = _url(journey, applicable[index - 1].slug)
    else:
        back = reverse("public:young_start" if journey.young else "public:start")
    return render(
        request,
        "public/question.html",
        _context(
            journey,
            form=form,
            step=step,
            back=back,
            base=_base(journey),
            single=len(form.fields) == 1,
            heading=step.heading,
            title=step.heading or next(iter(form.fields.values())).label,
            multipart=False,
        ),
    )


def documents(request: HttpRequest, journey: j.Journey) -> HttpResponse:
    """Optional supporting documents, one file at a time (works without JavaScript)."""
    today = _today()
    st = j.state(request, journey)
    missing = j.first_missing(journey, st["answers"], st.setdefault("done", []), today)
    if missing is not None:
        return redirect(_url(journey, missing.slug))
    uploads = st.setdefault("uploads", [])
    form = f.DocumentForm()
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            st["honeypot"] = True
        remove = request.POST.get("remove")
        if remove is not None:
            keep = [u for u in uploads if u["path"] != remove]
            for u in uploads:
                if u["path"] == remove:
                    discard(u["path"])
            st["uploads"] = keep
            j.save(request, journey, st)
            return redirect(_url(journey, "documents"))
        form = f.DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("document")
            if upload:
                try:
                    stored = check_and_store(upload, already=len(uploads))
                except UploadRejected as e:
                    form.add_error("document", str(e))
                else:
                    uploads.append(stored.as_dict())
                    j.save(request, journey, st)
                    return redirect(_url(journey, "documents"))
            elif request.POST.get("action") == "upload":
                form.add_error("document", "Select a file to upload")
            else:
                if "documents" not in st["done"]:
                    st["done"].append("documents")
                j.save(request, journey, st)
                return redirect("public:check", journey.name)
    applicable = journey.applicable(st["answers"], today)
    return render(
        request,
        "public/documents.html",
        _context(
            journey,
            form=form,
            uploads=uploads,
            max_files=MAX_FILES,
            base=_base(journey),
            back=_url(journey, applicable[-1].slug),
            title="Send documents",
        ),
    )


def _rows(journey: j.Journey, st: dict, today) -> list[dict]:
    rows = []
    for step in journey.applicable(st["answers"], today):
        form = step.form(**step.kwargs(st["answers"], today))
        for label, value in form.summary(st["answers"]):
            rows.append({"label": label, "value": value, "href": _url(journey, step.slug) + "?change=1"})
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, name: str) -> HttpResponse:
    journey = _journey(name)
    today = _today()
    done_keys = request.session.get("public:sent", {})
    if request.method == "POST" and request.POST.get("key") in done_keys:
        # Sent already (a double click, or the form sent again): one record, the same confirmation.
        return redirect("public:confirmation", journey.name)
    st = j.state(request, journey)
    missing = j.first_missing(journey, st["answers"], st.setdefault("done", []), today)
    if missing is not None:
        return redirect(_url(journey, missing.slug))
    error = ""
    if request.method == "POST":
        if request.POST.get("key") != st["key"]:
            error = "This form has changed since you opened it. Check your answers and send it again."
        elif not services.allow(action="submit", ip=_ip(request)):
            return too_many(request, journey.young)
        else:
            if request.POST.get(HONEYPOT) or st.get("honeypot"):
                # Dropped silently: a normal-looking confirmation, no record, nothing to learn from.
                sent = {
                    "reference": f"{settings.HEARD_REFERENCE_PREFIX}-{today.year}-"
                    f"{int(st['key'][:8], 16) % 90000 + 10000:05d}",
                    "kind": journey.feedback_kind(st["answers"]),
                    "reply_by": "",
                    "acknowledge_by": "",
                    "email": False,
                    "journey": journey.name,
                }
            else:
                try:
                    feedback = services.submit_online(
                        submission=j.submission(journey, st, today), idempotency_key=st["key"], today=today
                    )
                except RuleViolation as e:
                    error = e.message
                    feedback = None
                if feedback is not None:
                    dates = services.expected_dates(feedback)
                    sent = {
                        "reference": feedback.reference,
                        "kind": feedback.kind,
                        "journey": journey.name,
                        "reply_by": services.format_date(dates["reply_by"]) if dates["reply_by"] else "",
                        "acknowledge_by": services.format_date(dates["acknowledge_by"])
                        if dates["acknowledge_by"]
                        else "",
                        "email": feedback.emails.exists(),
                    }
            if not error:
                done_keys = {**done_keys, st["key"]: True}
                request.session["public:sent"] = dict(list(done_keys.items())[-20:])
                request.session[f"public:confirmation:{journey.name}"] = sent
                j.forget(request, journey)
                return redirect("public:confirmation", journey.name)
    applicable = journey.applicable(st["answers"], today)
    back = _url(journey, "documents") if journey.documents else _url(journey, applicable[-1].slug)
    j.save(request, journey, st)
    return render(
        request,
        "public/check.html",
        _context(
            journey,
            rows=_rows(journey, st, today),
            key=st["key"],
            uploads=st.get("uploads", []),
            documents_url=_url(journey, "documents") + "?change=1",
            back=back,
            base=_base(journey),
            error=error,
            error_list=[{"text": error}] if error else [],
            page_has_errors=bool(error),
            title=journey.check_heading,
        ),
    )


@never_cache
def confirmation(request: HttpRequest, name: str) -> HttpResponse:
    journey = _journey(name)
    sent = request.session.get(f"public:confirmation:{journey.name}")
    if not sent:
        return redirect("public:young_start" if journey.young else "public:start")
    return render(
        request,
        "public/confirmation.html",
        _context(journey, sent=sent, base=_base(journey), is_complaint=sent["kind"] == "complaint"),
    )


# --------------------------------------------------------------------------------------- following


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    form = f.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.allow(action="follow_up_link", ip=_ip(request)):
            return too_many(request)
        services.send_follow_up_link(reference=form.cleaned_data["reference"], email=form.cleaned_data["email"])
        return redirect("public:follow_up_sent")
    return render(request, "public/follow_up.html", {"form": form})


def follow_up_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/follow_up_sent.html", {})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_up_link(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: email scanners that open links must not use up the one-time link.
    if request.method == "POST":
        feedback = services.redeem_follow_up_link(token=token)
        if feedback is not None:
            request.session.cycle_key()
            request.session["public:following"] = feedback.pk
            return redirect("public:your_case")
        return render(request, "public/follow_up_expired.html", {}, status=410)
    return render(request, "public/follow_up_link.html", {})


def _followed(request: HttpRequest) -> Feedback | None:
    pk = request.session.get("public:following")
    if not isinstance(pk, int):
        return None
    return Feedback.objects.filter(pk=pk).select_related("service").first()


@never_cache
def your_case(request: HttpRequest) -> HttpResponse:
    feedback = _followed(request)
    if feedback is None:
        return redirect("public:follow_up")
    return render(
        request,
        "public/your_case.html",
        {
            "feedback": feedback,
            "progress": services.progress(feedback, today=_today()),
            "asked": request.session.pop("public:asked", None),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def next_stage(request: HttpRequest) -> HttpResponse:
    feedback = _followed(request)
    if feedback is None:
        return redirect("public:follow_up")
    today = _today()
    info = services.progress(feedback, today=today)
    if info.can_ask_for_stage is None:
        return redirect("public:your_case")
    form = f.NextStageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.ask_for_next_stage(feedback=feedback, reason=form.cleaned_data["reason"], today=today)
        except RuleViolation as e:
            form.add_error("reason", e.message)
        else:
            request.session["public:asked"] = stage.number
            return redirect("public:your_case")
    return render(
        request,
        "public/next_stage.html",
        {
            "form": form,
            "feedback": feedback,
            "progress": info,
            "stage_name": services.STAGE_NAMES.get(info.can_ask_for_stage, f"stage {info.can_ask_for_stage}"),
        },
    )
