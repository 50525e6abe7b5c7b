import datetime

import factory

from accounts.models import IdentityLevel, Sex, User
from accounts.roles import Role
from accounts.services import user_set_roles

PASSWORD = "Mat-khau-thu-2024"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with roles: UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=...)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=extracted)


class CitizenFactory(UserFactory):
    """A citizen whose username is a structurally valid personal ID number."""

    # 036 = Nam Định; 0 = male born 1900-1999; 85 = born 1985.
    username = factory.Sequence(lambda n: f"036085{n:06d}")
    date_of_birth = datetime.date(1985, 1, 1)
    sex = Sex.MALE
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    identity_level = IdentityLevel.LEVEL_2

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            user_set_roles(user=self, roles=extracted or [Role.CITIZEN])
