"""SAML 2.0 sign-in end to end through allauth, against a local IdP key pair.

The test is the identity provider: it makes a key pair and a self-signed
certificate, configures allauth's SAML provider with that IdP (entity id,
sign-in URL, certificate, as the IdP's metadata would give them), follows our
"sign in" button to the AuthnRequest, and answers it with a SAML Response whose
assertion it signs with python3-saml/xmlsec (RSA-SHA256), as a real IdP does.
allauth (python3-saml underneath) checks the signature, audience, recipient,
InResponseTo and times; our adapter then creates the user just in time.
Only the network hop is skipped: the browser's POST to our ACS is the test client's.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts.models import IdpGroupRole, SignInRecord, User
from accounts.roles import Role, user_has_role
from tests.accounts.factories import OrganizationDomainFactory

pytestmark = pytest.mark.django_db

IDP_ENTITY_ID = "https://idp.example.edu/saml"
IDP_SSO_URL = "https://idp.example.edu/saml/sso"
UID = "urn:oid:0.9.2342.19200300.100.1.1"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"


@pytest.fixture(scope="module")
def idp_keys():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.edu")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return key_pem, cert_pem


@pytest.fixture
def client(client):
    # python3-saml reads the Host header and wants a dotted host name.
    client.defaults["HTTP_HOST"] = "handover.example.edu"
    return client


@pytest.fixture
def saml_settings(settings, idp_keys):
    """allauth's SAML provider as config/settings/identity.py builds it, with the
    IdP given by value (what its metadata would say) instead of a metadata URL."""
    _key, cert = idp_keys
    settings.ALLOWED_HOSTS = ["handover.example.edu"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "saml": {
            "VERIFIED_EMAIL": True,
            "APPS": [
                {
                    "provider_id": "idp-saml",
                    "name": "Example University (SAML)",
                    "client_id": "idp",
                    "settings": {
                        "attribute_mapping": {
                            "uid": UID,
                            "email": MAIL,
                            "first_name": "urn:oid:2.5.4.42",
                            "last_name": "urn:oid:2.5.4.4",
                        },
                        "idp": {
                            "entity_id": IDP_ENTITY_ID,
                            "sso_url": IDP_SSO_URL,
                            "x509cert": cert,
                        },
                        "advanced": {
                            "want_assertion_signed": True,
                            "reject_idp_initiated_sso": True,
                        },
                    },
                }
            ],
        }
    }
    return settings


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def idp_response(
    *, authn_request: str, keys, uid: str, email: str, groups: list[str], signed: bool = True
) -> str:
    """The IdP's answer to an AuthnRequest: a Response whose Assertion is signed."""
    request = etree.fromstring(authn_request)
    request_id = request.get("ID")
    acs = request.get("AssertionConsumerServiceURL")
    audience = request.find(f"{{{C.NS_SAML}}}Issuer").text
    now = dt.datetime.now(dt.UTC)
    later = now + dt.timedelta(minutes=5)
    attributes = "".join(
        f'<saml:Attribute Name="{name}" NameFormat="{C.ATTRNAME_FORMAT_URI}">'
        + "".join(f"<saml:AttributeValue>{v}</saml:AttributeValue>" for v in values)
        + "</saml:Attribute>"
        for name, values in [
            (UID, [uid]),
            (MAIL, [email]),
            ("urn:oid:2.5.4.42", ["Robin"]),
            ("urn:oid:2.5.4.4", ["Diaz"]),
            ("groups", groups),
        ]
    )
    assertion_id = f"_{uuid.uuid4().hex}"
    assertion = (
        f'<saml:Assertion xmlns:saml="{C.NS_SAML}" ID="{assertion_id}" Version="2.0" '
        f'IssueInstant="{_instant(now)}">'
        f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
        f'<saml:Subject><saml:NameID Format="{C.NAMEID_PERSISTENT}">{uid}</saml:NameID>'
        f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{_instant(later)}" Recipient="{acs}" '
        f'InResponseTo="{request_id}"/></saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotBefore="{_instant(now - dt.timedelta(minutes=1))}" '
        f'NotOnOrAfter="{_instant(later)}"><saml:AudienceRestriction>'
        f"<saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="{assertion_id}">'
        f"<saml:AuthnContext><saml:AuthnContextClassRef>{C.AC_PASSWORD_PROTECTED}"
        f"</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
        f"</saml:Assertion>"
    )
    key, cert = keys
    if signed:
        assertion = OneLogin_Saml2_Utils.add_sign(
            assertion, key, cert, sign_algorithm=C.RSA_SHA256, digest_algorithm=C.SHA256
        ).decode()
        assertion = assertion.split("?>", 1)[-1] if assertion.startswith("<?xml") else assertion
    response = (
        f'<samlp:Response xmlns:samlp="{C.NS_SAMLP}" xmlns:saml="{C.NS_SAML}" '
        f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}" '
        f'Destination="{acs}" InResponseTo="{request_id}">'
        f"<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>"
        f'<samlp:Status><samlp:StatusCode Value="{C.STATUS_SUCCESS}"/></samlp:Status>'
        f"{assertion}</samlp:Response>"
    )
    return base64.b64encode(response.encode()).decode()


def saml_sign_in(client, keys, **person):
    """Our button, the AuthnRequest to the IdP, the IdP's signed answer to our ACS."""
    start = client.post(reverse("saml_login", args=["idp"]), {})
    assert start.status_code == 302, start.content[:300]
    assert start["Location"].startswith(IDP_SSO_URL)
    query = parse_qs(urlsplit(start["Location"]).query)
    authn_request = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    acs = etree.fromstring(authn_request).get("AssertionConsumerServiceURL")
    posted = client.post(
        urlsplit(acs).path,
        {
            "SAMLResponse": idp_response(authn_request=authn_request, keys=keys, **person),
            "RelayState": query.get("RelayState", [""])[0],
        },
    )
    assert posted.status_code == 302, posted.content[:300]
    return client.get(posted["Location"])


def test_saml_sign_in_creates_the_user_with_roles_from_the_group_attribute(
    client, saml_settings, idp_keys
):
    domain = OrganizationDomainFactory(domain="engin.example.edu")
    IdpGroupRole.objects.create(group="it-orders", role=Role.ORDERS_TECHNICIAN)
    response = saml_sign_in(
        client,
        idp_keys,
        uid="rdiaz",
        email="Robin.Diaz@engin.example.edu",
        groups=["it-orders", "everyone"],
    )
    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(email="robin.diaz@engin.example.edu")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.organization == domain.organization
    assert user.full_name == "Robin Diaz"
    assert user_has_role(user, Role.ORDERS_TECHNICIAN)
    record = SignInRecord.objects.get(user=user)
    assert (record.method, record.break_glass) == ("sso", False)


def test_an_unsigned_assertion_is_refused(client, saml_settings, idp_keys):
    start = client.post(reverse("saml_login", args=["idp"]), {})
    query = parse_qs(urlsplit(start["Location"]).query)
    authn_request = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    acs = etree.fromstring(authn_request).get("AssertionConsumerServiceURL")
    forged = idp_response(
        authn_request=authn_request,
        keys=idp_keys,
        uid="mallory",
        email="mallory@engin.example.edu",
        groups=["it-orders"],
        signed=False,
    )
    posted = client.post(urlsplit(acs).path, {"SAMLResponse": forged})
    client.get(posted["Location"])
    assert not User.objects.filter(email="mallory@engin.example.edu").exists()
    assert "_auth_user_id" not in client.session
