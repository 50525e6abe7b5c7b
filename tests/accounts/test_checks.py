from accounts.checks import identity_settings_check

# The development OIDC_CLIENT_SECRET stops every start with DEBUG off
# (portal.E001): tests/portal/test_settings.py.


def test_the_test_provider_in_production_is_flagged(settings):
    settings.OIDC_ISSUER_URL = ""
    settings.IDP_ENABLED = True
    settings.DEBUG = False
    settings.DEMO_MODE = False

    assert [p.id for p in identity_settings_check(None)] == ["accounts.W001"]
