"""People in fixed roles and the council they work in, for every app's tests.

Alice runs customer relations and sees every case. Mo manages the complaints procedure. Sam is a service
manager in Children's Social Care; Erin is a service manager in Early Help. Ian investigates (he works
in Early Help, outside the line management of social care). Pat and Quinn and Robin and Tess are
independent people. Dina is the director. Ada administers Heard. Charlie has no role and sees nothing.
Olga is an officer of the council and so cannot be an independent person.
"""

from datetime import date

import pytest

from heard.accounts.models import User
from heard.organisation.models import Service, Team, Theme

PASSWORD = "correct horse battery staple 42"


def make_user(username: str, role: str, *, service=None, relationship=User.Relationship.OFFICER, **extra) -> User:
    first, _, last = extra.pop("name", username.title() + " Example").partition(" ")
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        service=service,
        first_name=first,
        last_name=last,
        relationship_to_council=relationship,
        email=f"{username}@example.gov.uk",
        **extra,
    )
    return user


@pytest.fixture
def services(db):
    names = [
        "Children's Social Care",
        "Early Help",
        "SEN, Education and Psychology",
        "Schools Standards, Safeguarding and Inclusion",
        "Business Support and Resources",
    ]
    return {n: Service.objects.create(name=n) for n in names}


@pytest.fixture
def social_care(services):
    return services["Children's Social Care"]


@pytest.fixture
def early_help(services):
    return services["Early Help"]


@pytest.fixture
def duty_team(social_care):
    return Team.objects.create(service=social_care, name="Duty and Assessment")


@pytest.fixture
def themes(db):
    names = ["Staff Conduct", "Quality of Service", "Lack of Communication", "Lack of Action", "Council Action"]
    return {n: Theme.objects.create(name=n) for n in names}


@pytest.fixture
def people(db, social_care, early_help):
    R = User.Role
    ext = User.Relationship.EXTERNAL
    return {
        "alice": make_user("alice", R.CUSTOMER_RELATIONS, name="Alice Adams"),
        "mo": make_user("mo", R.COMPLAINTS_MANAGER, name="Mo Morris"),
        "sam": make_user("sam", R.SERVICE_MANAGER, service=social_care, name="Sam Singh"),
        "erin": make_user("erin", R.SERVICE_MANAGER, service=early_help, name="Erin Evans"),
        "ian": make_user("ian", R.INVESTIGATING_OFFICER, service=early_help, name="Ian Irwin"),
        "pat": make_user("pat", R.INDEPENDENT_PERSON, relationship=ext, name="Pat Patel"),
        "quinn": make_user("quinn", R.PANEL_MEMBER, relationship=ext, name="Quinn Quayle"),
        "robin": make_user("robin", R.PANEL_MEMBER, relationship=ext, name="Robin Reid"),
        "tess": make_user("tess", R.PANEL_MEMBER, relationship=ext, name="Tess Turner"),
        "dina": make_user("dina", R.DIRECTOR, name="Dina Douglas"),
        "ada": make_user("ada", R.ADMINISTRATOR, name="Ada Abbott"),
        "charlie": make_user("charlie", "", name="Charlie Cole"),
        "olga": make_user("olga", R.INDEPENDENT_PERSON, name="Olga Officer"),
    }


@pytest.fixture
def today():
    return date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
