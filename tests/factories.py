import factory

from accounts.models import Membership, User
from accounts.roles import Role
from places.models import Municipality, Province
from schools.models import EducationNetwork, School, SchoolLevel
from welfare.models import OrganisationType, WelfareOrganisation

PASSWORD = "a-long-test-password-42"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Testgem {n}")
    nis_code = factory.Sequence(lambda n: f"{98000 + n:05d}")
    province = Province.EAST_FLANDERS


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelfareOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CAW Test {n}")
    organisation_type = factory.LazyFunction(lambda: OrganisationType.objects.get(slug="caw"))

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Basisschool Test {n}")
    institution_number = factory.Sequence(lambda n: f"{800000 + n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    education_network = EducationNetwork.COMMUNITY
    level = SchoolLevel.NURSERY_AND_PRIMARY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER


def confirmed_authenticator(user):
    """A set-up authenticator app (TOTP device) for `user`; its `key` computes the codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device, offset=0) -> str:
    """The code the app shows now, or `offset` steps of 30 seconds later (a code works once)."""
    import time

    from django_otp.oath import TOTP

    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = time.time() + offset * device.step
    return f"{clock.token():0{device.digits}d}"


def member(role: Role, tenant, **user_fields) -> User:
    """A new user holding `role` in `tenant`."""
    user = UserFactory(**user_fields)
    membership = Membership(user=user, role=role)
    membership.set_tenant(tenant)
    membership.save()
    return user


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "welfare.Location"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    street_address = factory.Sequence(lambda n: f"Teststraat {n}")
    postal_code = "9990"
    municipality = factory.SubFactory(MunicipalityFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "welfare.Service"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    description = "Hulp voor gezinnen."

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create:
            from welfare.models import NeedCategory

            self.needs.set(extracted or [NeedCategory.objects.get(code="material_admin")])

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)
