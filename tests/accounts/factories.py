import datetime

import factory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed TOTP device with a random key."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "test"
    confirmed = True


def current_totp(device):
    """The code the device's authenticator app shows right now."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def login_with_otp(client, user):
    """Log in through the real password and TOTP steps; returns the device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDeviceFactory(user=user)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.headers["Location"] == reverse("accounts:login-otp"), response
    response = client.post(reverse("accounts:login-otp"), {"otp": current_totp(device)})
    assert response.status_code == 302, response
    # Each code is accepted once; a second login in the same step must wait.
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return device
