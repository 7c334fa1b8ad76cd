"""The Zero to JupyterHub values are safe by default: validated against the pinned chart's own schema,
fail closed until a real login is chosen, and each documented login example loads into its authenticator."""

from __future__ import annotations

import asyncio
import json
import re
from importlib.metadata import entry_points

import pytest
from conftest import REPO
from helm_values import CHART, EXAMPLES, LOGINS, VALUES, filled_in, hub_config, hub_refusal, load, merged, schema_errors
from jupyterhub import orm
from jupyterhub.app import JupyterHub
from jupyterhub.spawner import Spawner
from traitlets.config import Config

PIN = json.loads((CHART / "pin.json").read_text())
HTTPS = REPO / "deploy" / "jupyterhub" / "examples" / "https-existing-secret.yaml"


def test_the_vendored_schema_is_the_pinned_charts_with_its_licence():
    assert PIN["chart"] == "jupyterhub" and re.fullmatch(r"\d+\.\d+\.\d+", PIN["version"])
    assert "BSD 3-Clause License" in (CHART / "LICENSE").read_text()
    schema = load(CHART / "values.schema.yaml")
    assert schema["$schema"].startswith("http://json-schema.org/draft-07") and schema["additionalProperties"] is False


@pytest.mark.parametrize("files", [[VALUES], *[[VALUES, e] for e in EXAMPLES], [VALUES, LOGINS[0], HTTPS]], ids=str)
def test_values_and_every_example_pass_the_charts_schema(files):
    assert schema_errors(merged(*files)) == []


def test_the_schema_check_catches_a_misspelt_key():
    errors = schema_errors(merged(VALUES, extra={"singleuser": {"memroy": {"limit": "1G"}}}))
    assert any("memroy" in e for e in errors)


def test_the_repository_values_alone_refuse_to_start_and_say_what_to_fill_in():
    message = hub_refusal(merged(VALUES))
    assert message and message.startswith("FATAL: the dmjak course's values are not ready")
    for what in (
        "hub.config.JupyterHub.authenticator_class",
        "hub.config.Authenticator.admin_users",
        "proxy.https.hosts[0]",
        "singleuser.image.tag",
        "singleuser.lifecycleHooks",
    ):
        assert what in message
    # Filled in but with no login chosen, it still refuses: a login comes only from an example.
    assert "authenticator_class" in hub_refusal(filled_in(merged(VALUES)))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"hub": {"config": {"JupyterHub": {"authenticator_class": None}}}}, "'dummy', which lets anyone in"),
        ({"hub": {"config": {"JupyterHub": {"authenticator_class": "tmp"}}}}, "'tmp', which lets anyone in"),
        (
            {"hub": {"config": {"Authenticator": {"admin_users": []}, "GenericOAuthenticator": {"admin_groups": []}}}},
            "admin_users is empty",
        ),
        ({"hub": {"config": {"GenericOAuthenticator": {"admin_groups": [" "]}}}}, "blank name"),
        ({"hub": {"config": {"Authenticator": {"allow_all": True}}}}, "allow_all is true"),
        ({"proxy": {"https": {"enabled": False}}}, "HTTPS is off"),
        ({"proxy": {"https": {"hosts": []}}}, "HTTPS is off"),
        # Issue 18, finding 3: the IT review's bypasses, each of which started the hub.
        ({"hub": {"config": {"GenericOAuthenticator": {"allow_all": True}}}}, "allow_all is true"),
        ({"hub": {"config": {"OAuthenticator": {"allow_all": True}}}}, "allow_all is true"),
        ({"hub": {"config": {"JupyterHub": {"authenticator_class": "firstuse"}}}}, "not one of the course's"),
        (
            {"hub": {"config": {"JupyterHub": {"authenticator_class": "firstuseauthenticator.FirstUseAuthenticator"}}}},
            "not one of the course's",
        ),
        ({"hub": {"config": {"Authenticator": {"admin_users": [""]}}}}, "blank name"),
        ({"hub": {"config": {"GenericOAuthenticator": {"allowed_groups": []}}}}, "allowed_groups or allowed_users"),
        ({"singleuser": {"image": {"name": "change-me"}}}, "CHANGE-ME placeholder"),
        # IT finding 8: HTTPS gaps that started the hub.
        ({"proxy": {"https": {"type": "offload"}}}, "type is offload"),
        ({"proxy": {"https": {"hosts": [""]}}}, "HTTPS is off"),
        ({"proxy": {"https": {"enabled": False}}, "ingress": {"enabled": True, "tls": [{}]}}, "each ingress.tls"),
        (
            {"ingress": {"enabled": True, "hosts": ["hub.example.edu"], "tls": [{"hosts": ["h"], "secretName": "t"}]}},
            "proxy.service.type: ClusterIP",
        ),
        ({"proxy": {"https": {"letsencrypt": {"contactEmail": ""}}}}, "needs a contact"),
        ({"proxy": {"https": {"type": "secret", "secret": {"name": ""}}}}, "secret.name"),
        (
            {"hub": {"extraConfig": {"zz-local": "c.JupyterHub.authenticator_class = 'dummy'"}}},
            "'dummy', which lets anyone in",
        ),
        # IT attack 2, finding 7: a snippet sorting after the check undid it; finding 9: unsafe switches.
        (
            {"hub": {"extraConfig": {"zzz-local": "c.JupyterHub.authenticator_class = 'dummy'"}}},
            "would run after the course's check",
        ),
        ({"hub": {"config": {"JupyterHub": {"admin_access": True}}}}, "set subdomain_host first"),
        ({"singleuser": {"networkPolicy": {"enabled": False}}}, "singleuser.networkPolicy.enabled is false"),
        ({"hub": {"networkPolicy": {"enabled": False}}}, "hub.networkPolicy.enabled is false"),
        ({"cull": {"enabled": False}}, "cull.enabled is false"),
    ],
)
def test_a_filled_in_oidc_deployment_refuses_each_unsafe_change(change, expected):
    values = filled_in(merged(VALUES, LOGINS[LOGINS.index(REPO / "deploy/jupyterhub/examples/login-oidc.yaml")]))
    assert hub_refusal(values) is None
    from helm_values import helm_merge

    assert expected in hub_refusal(helm_merge(values, change))


def test_the_workshop_login_refuses_open_signup_and_another_login_needs_an_explicit_acceptance():
    from helm_values import helm_merge

    native = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-native-workshop.yaml"))
    assert hub_refusal(native) is None  # step 1: reachable only through kubectl port-forward
    public = helm_merge(native, {"proxy": {"service": {"type": "LoadBalancer"}}})
    assert "before its admin has signed up" in hub_refusal(public)  # issue 18, finding 4
    assert "before its admin has signed up" in hub_refusal(helm_merge(native, {"ingress": {"enabled": True}}))
    assert hub_refusal(helm_merge(public, {"custom": {"dmjak": {"workshopAdminSignedUp": True}}})) is None
    assert "open_signup is true" in hub_refusal(
        helm_merge(native, {"hub": {"config": {"NativeAuthenticator": {"open_signup": True}}}})
    )
    oidc = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-oidc.yaml"))
    pam_config = {"JupyterHub": {"authenticator_class": "pam"}, "Authenticator": {"admin_users": ["prof"]}}
    pam = helm_merge(oidc, {"hub": {"config": pam_config}})  # no admin group outside OAuth: admins by name
    assert "not one of the course's" in hub_refusal(pam)
    assert hub_refusal(helm_merge(pam, {"custom": {"dmjak": {"acceptLogin": "pam"}}})) is None
    lti = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-lti13.yaml"))
    assert hub_refusal(helm_merge(lti, {"hub": {"config": {"JupyterHub": {"authenticator_class": "lti13"}}}})) is None
    admins_on_subclass = helm_merge(
        oidc,
        {"hub": {"config": {"Authenticator": {"admin_users": []}, "GenericOAuthenticator": {"admin_users": ["prof"]}}}},
    )
    assert hub_refusal(admins_on_subclass) is None


@pytest.mark.parametrize("login", LOGINS, ids=lambda p: p.stem)
def test_each_login_example_filled_in_starts_and_keeps_the_security_properties(login):
    assert "CHANGE-ME" in hub_refusal(merged(VALUES, login)), "an example still needs filling in"
    values = filled_in(merged(VALUES, login))
    assert hub_refusal(values) is None
    assert schema_errors(values) == []
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] not in ("dummy", None)
    admins = config["Authenticator"]["admin_users"] or config.get("GenericOAuthenticator", {}).get("admin_groups")
    assert admins and "lecturer" not in admins
    assert values["proxy"]["https"]["enabled"] is True and values["proxy"]["https"]["hosts"]
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] <= 3600
    policy = values["singleuser"]["networkPolicy"]
    assert policy["enabled"] is True
    assert policy["egressAllowRules"]["privateIPs"] is False, "a student pod must not reach other pods"
    assert policy["egressAllowRules"]["cloudMetadataServer"] is False
    assert values["hub"]["networkPolicy"]["enabled"] and values["proxy"]["chp"]["networkPolicy"]["enabled"]


def test_https_through_an_ingress_or_an_acknowledged_offload_starts():
    """The correct forms of the routes IT finding 8 tried: named TLS entries with an internal proxy Service,
    and TLS offloaded to a load balancer the deployer names."""
    from helm_values import helm_merge

    oidc = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-oidc.yaml"))
    tls = [{"hosts": ["hub.example.edu"], "secretName": "hub-tls"}]
    ingress = {"enabled": True, "hosts": ["hub.example.edu"], "tls": tls}
    assert hub_refusal(helm_merge(oidc, {"ingress": ingress, "proxy": {"service": {"type": "ClusterIP"}}})) is None
    offload = helm_merge(oidc, {"proxy": {"https": {"type": "offload"}}})
    assert hub_refusal(helm_merge(offload, {"custom": {"dmjak": {"tlsOffloadedBy": "the campus F5"}}})) is None


def test_an_existing_tls_secret_replaces_lets_encrypt():
    values = filled_in(merged(VALUES, LOGINS[0], HTTPS))
    assert hub_refusal(values) is None
    assert (
        values["proxy"]["https"]["type"] == "secret"
        and "letsencrypt" not in values["proxy"]["https"]
        or ("contactEmail" not in values["proxy"]["https"]["letsencrypt"])
    )


def _authenticator(values: dict):
    name = values["hub"]["config"]["JupyterHub"]["authenticator_class"]
    found = [e for e in entry_points(group="jupyterhub.authenticators") if e.name == name]
    if found:
        return found[0].load()
    module, _, cls = name.rpartition(".")
    return getattr(__import__(module, fromlist=[cls]), cls)


@pytest.mark.parametrize("login", LOGINS, ids=lambda p: p.stem)
def test_each_login_example_loads_into_its_authenticator_with_no_unknown_setting(login):
    values = filled_in(merged(VALUES, login))
    cls = _authenticator(values)
    owners = {k.__name__: k for k in (*cls.mro(), JupyterHub, Spawner) if hasattr(k, "class_trait_names")}
    for section, settings in values["hub"]["config"].items():
        assert section in owners, f"hub.config.{section} configures no class of {cls.__name__}"
        known = set(owners[section].class_trait_names(config=True))
        assert set(settings) <= known, f"unknown settings in hub.config.{section}: {set(settings) - known}"
    authenticator = cls(config=Config(hub_config(values)), db=orm.new_session_factory("sqlite://")())
    assert (
        (authenticator.admin_users or getattr(authenticator, "admin_groups", None))
        and not authenticator.allow_all
        or cls.__name__
        in (
            "LTI13Authenticator",
            "NativeAuthenticator",
        )
    )
    if cls.__name__ == "NativeAuthenticator":
        assert authenticator.open_signup is False, "every sign-up waits for an admin"
        password = "a long workshop passphrase"
        assert authenticator.create_user("newcomer", password) is not None
        login = {"username": "newcomer", "password": password}
        assert asyncio.run(authenticator.authenticate(None, login)) is None, "not approved yet"
        assert asyncio.run(authenticator.authenticate(None, {"username": "stranger", "password": password})) is None
    if cls.__name__ == "LTI13Authenticator":
        assert authenticator.issuer and authenticator.client_id and authenticator.jwks_endpoint


def test_the_oidc_login_lets_in_the_class_group_and_nobody_else():
    cls_values = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-oidc.yaml"))
    authenticator = _authenticator(cls_values)(config=Config(hub_config(cls_values)))
    group = cls_values["hub"]["config"]["GenericOAuthenticator"]["allowed_groups"][0]

    def allowed(name, groups):
        model = {"name": name, "admin": False, "groups": groups, "auth_state": {}}
        return asyncio.run(authenticator.check_allowed(name, model))

    assert allowed("student1", [group]) is True
    assert allowed("stranger", ["another-course"]) is False
    assert allowed("stranger", []) is False


def test_the_user_name_is_the_providers_stable_identifier_not_a_name_the_user_can_change():
    """IT finding 9: with preferred_username (OIDC) or the e-mail (LTI) as the hub name, whoever could rename
    themselves to a classmate's name or address would get that classmate's server."""
    oidc = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-oidc.yaml"))
    authenticator = _authenticator(oidc)(config=Config(hub_config(oidc)))
    claims = {"sub": "0b4e7a9c-51f2-4c7e-9d1e-3f8a6c2b7d10", "preferred_username": "bob", "email": "bob@example.edu"}
    assert authenticator.user_info_to_username(claims) == claims["sub"]
    assert not oidc["hub"]["config"]["Authenticator"]["admin_users"], "admins by group, not by a name"
    lti = filled_in(merged(VALUES, REPO / "deploy/jupyterhub/examples/login-lti13.yaml"))
    lti_auth = _authenticator(lti)(config=Config(hub_config(lti)))
    assert lti_auth.username_key == "sub"


def test_the_chart_pin_is_the_same_in_values_docs_and_lock():
    version, hub = PIN["version"], PIN["hub_jupyterhub"]
    header = VALUES.read_text().splitlines()[0]
    assert f'"jupyterhub" {version}' in header and f"JupyterHub {hub}" in header
    assert f"--version {version}" in VALUES.read_text()
    docs = (REPO / "docs" / "classroom.md").read_text()
    assert f"--version {version}" in docs and f"Zero to JupyterHub {version}" in docs
    for example in EXAMPLES:
        if "helm upgrade" in example.read_text():
            assert f"--version {version}" in example.read_text()
    lock = (REPO / "requirements.txt").read_text()
    pinned = re.search(r"^jupyterhub==([\d.]+)", lock, re.MULTILINE)
    assert pinned, "jupyterhub (jupyterhub-singleuser) must be in the runtime lock the image is built from"
    assert pinned.group(1).split(".")[0] == hub.split(".")[0], "single-user jupyterhub at the hub's major version"
    assert pinned.group(1) == hub


def test_the_test_lock_has_the_authenticators_of_the_charts_hub_image():
    lock = (REPO / "requirements-test.txt").read_text()
    for name, version in PIN["hub_image_authenticators"].items():
        assert f"\n{name}=={version} " in lock, f"{name}=={version} as in the chart's hub image"


def test_nothing_deployable_uses_the_dummy_login_or_lets_everyone_in():
    for path in (REPO / "deploy" / "jupyterhub").rglob("*.yaml"):
        if path.parent.name == "chart":
            continue
        text = path.read_text()
        assert not re.search(r"authenticator_class:\s*[\"']?dummy", text), path
        if "allow_all: true" in text:
            assert re.search(r"authenticator_class: (native|ltiauthenticator\.lti13)", text), path


def test_admin_access_starts_once_servers_have_their_own_subdomains():
    values = filled_in(merged(VALUES, LOGINS[LOGINS.index(REPO / "deploy/jupyterhub/examples/login-oidc.yaml")]))
    from helm_values import helm_merge

    change = {"hub": {"config": {"JupyterHub": {"admin_access": True, "subdomain_host": "https://hub.example.edu"}}}}
    assert hub_refusal(helm_merge(values, change)) is None
