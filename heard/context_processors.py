from django.conf import settings


def council(request):
    return {
        "council_name": settings.HEARD_COUNCIL_NAME,
        "council_phone": settings.HEARD_COUNCIL_PHONE,
        "council_email": settings.HEARD_COUNCIL_EMAIL,
    }
