from accounts.checks import DEV_CLIENT_SECRET, identity_settings_check


def test_a_real_issuer_with_the_development_secret_is_an_error(settings):
    settings.OIDC_ISSUER_URL = "https://id.example.gov.vn"
    settings.OIDC_CLIENT_SECRET = DEV_CLIENT_SECRET

    assert [p.id for p in identity_settings_check(None)] == ["accounts.E001"]

    settings.OIDC_CLIENT_SECRET = "given-by-the-provider"
    assert identity_settings_check(None) == []


def test_the_test_provider_in_production_is_flagged(settings):
    settings.OIDC_ISSUER_URL = ""
    settings.IDP_ENABLED = True
    settings.DEBUG = False
    settings.DEMO_MODE = False

    assert [p.id for p in identity_settings_check(None)] == ["accounts.W001"]
