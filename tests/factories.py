from datetime import timedelta

import factory

from accounts.choices import Industry, Role
from accounts.models import Agency, AgencyMembership, AgencyReport, ApiKey, Enterprise, Membership, RedAccount, User
from kos_platform import clock
from kos_platform.pii import protect_id_number
from kos_platform.validators import resident_id_check_char

PASSWORD = "factory-pass-2026"
TRAVELLING_TOKEN_LIFE = timedelta(days=3650)


def user_token(user: User) -> str:
    """A user token as `POST /api/v1/auth/token/` issues it; `test_sign_in` checks its 30 days, so here it lives
    long enough for tests that travel months ahead."""
    from accounts.services import user_token_create

    key, raw = user_token_create(user=user)
    ApiKey.objects.filter(pk=key.pk).update(expires_at=key.created_at + TRAVELLING_TOKEN_LIFE)
    return raw


def valid_id_number(sequence: int, birth: str = "19900101", region: str = "110101") -> str:
    """A resident ID number with a correct GB 11643 check character."""
    first17 = f"{region}{birth}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An enterprise that meets E01–E03 and holds the KOS permission unless told otherwise."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"品牌{n}")
    industry = Industry.CONSUMER_GOODS
    certified = True
    annual_review_valid_until = factory.LazyFunction(lambda: clock.local_today() + timedelta(days=365))
    store_count = 20
    kos_permission_granted_at = factory.LazyFunction(clock.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Role.OPERATOR


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"代理商{n}")


class AgencyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class AgencyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    agency = factory.SubFactory(AgencyFactory)


class RedAccountFactory(factory.django.DjangoModelFactory):
    """An account that meets A01–A07, with an employee login."""

    class Meta:
        model = RedAccount

    red_id = factory.Sequence(lambda n: f"{10000000 + n}")
    nickname = factory.Sequence(lambda n: f"员工{n}")
    followers = 500
    real_name_verified = True
    real_name = factory.Faker("name", locale="zh_CN")
    phone_bound = True
    user = factory.SubFactory(UserFactory)

    class Params:
        id_number = factory.Sequence(valid_id_number)

    @factory.lazy_attribute
    def id_number_encrypted(self):
        return protect_id_number(self.id_number).encrypted

    @factory.lazy_attribute
    def id_number_index(self):
        return protect_id_number(self.id_number).index

    @factory.lazy_attribute
    def id_number_masked(self):
        return protect_id_number(self.id_number).masked
