"""The admin: 三员 — the system, security and audit administrators each do only their own
part, never touch a superuser, never grant themselves anything, and every write they make is
on the audit chain."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from zhenggai.ledger import access, actions, admin_actions
from zhenggai.ledger.audit import verify_audit_chain
from zhenggai.ledger.errors import PermissionDenied
from zhenggai.ledger.models import AuditEvent, Membership, Region, Role, User

PASSWORD = "Zhenggai-2024"


# Admin writes are checked on the chain, anchor file included (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("anchor_at_once")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="Root-Password-2024")


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return data | changes


def _grant(user, role, **scope):
    data = {"user": str(user.pk), "role": role}
    return data | {name: str(value.pk) for name, value in scope.items()}


def _events(action):
    return AuditEvent.objects.filter(action=action)


# --- each role's own pages ------------------------------------------------------------------


def test_the_system_administrator_manages_units_and_accounts_not_grants(world, client):
    client.force_login(world["sysadmin"])
    for url in (
        "/admin/ledger/user/",
        "/admin/ledger/unit/",
        "/admin/ledger/region/",
        "/admin/ledger/inspectiongroup/",
        "/admin/ledger/inspectionround/",
        f"/admin/ledger/user/{world['liaison'].pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/ledger/membership/").status_code == 403
    assert client.get("/admin/ledger/auditevent/").status_code == 403


def test_the_security_administrator_manages_grants_and_accounts_not_units(world, client):
    client.force_login(world["secadmin"])
    assert client.get("/admin/ledger/membership/").status_code == 200
    assert client.get("/admin/ledger/user/").status_code == 200
    assert client.get("/admin/ledger/unit/").status_code == 403
    assert client.get("/admin/ledger/auditevent/").status_code == 403
    assert client.get("/admin/ledger/user/add/").status_code == 403


def test_the_audit_administrator_only_reads_the_audit_trail(world, client):
    actions.start_work(world.measure_a, by=world["liaison"])
    event = _events("measure.start_work").get()
    client.force_login(world["auditadmin"])
    assert client.get("/admin/ledger/auditevent/").status_code == 200
    assert client.get(f"/admin/ledger/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/ledger/auditevent/add/").status_code == 403
    assert client.post(f"/admin/ledger/auditevent/{event.pk}/delete/").status_code == 403
    for url in ("/admin/ledger/user/", "/admin/ledger/membership/", "/admin/ledger/unit/"):
        assert client.get(url).status_code == 403, url
    url = f"/admin/ledger/user/{world['liaison'].pk}/change/"
    assert client.post(url, _user_form(world["liaison"], first_name="改")).status_code == 403
    world["liaison"].refresh_from_db()
    assert world["liaison"].first_name == ""


@pytest.mark.parametrize("persona", ["office", "liaison", "observer"])
def test_ledger_users_have_no_admin(world, client, persona):
    client.force_login(world[persona])
    assert client.get("/admin/ledger/user/").status_code == 302  # to the admin login


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_read_no_ledger_content(world, persona):
    user = world[persona]
    assert not access.inspections_for(user).exists()
    assert not access.problems_for(user).exists()
    assert not access.measures_for(user).exists()


# --- the audit administrator's tools --------------------------------------------------------


def test_the_chain_check_runs_from_the_admin_and_goes_on_record(world, client):
    actions.start_work(world.measure_a, by=world["liaison"])
    client.force_login(world["auditadmin"])
    page = client.get("/admin/ledger/auditevent/")
    assert "/admin/ledger/auditevent/verify/" in page.content.decode()
    page = client.get("/admin/ledger/auditevent/verify/")
    assert page.status_code == 200
    assert "审计链完整" in page.content.decode()
    assert _events("audit.verify").get().actor == world["auditadmin"]


@pytest.mark.audit_chain_tampered
def test_a_tampered_chain_shows_as_broken(world, client):
    actions.start_work(world.measure_a, by=world["liaison"])
    QuerySet.update(AuditEvent.objects.filter(action="measure.start_work"), detail="改过")
    client.force_login(world["auditadmin"])
    page = client.get("/admin/ledger/auditevent/verify/").content.decode()
    assert "审计链已损坏" in page


def test_the_chain_check_is_the_audit_administrators(world, client):
    client.force_login(world["sysadmin"])
    assert client.get("/admin/ledger/auditevent/verify/").status_code == 403


def test_the_audit_administrator_exports_the_log(world, client):
    actions.start_work(world.measure_a, by=world["liaison"])
    ids = [str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)]
    client.force_login(world["auditadmin"])
    response = client.post(
        "/admin/ledger/auditevent/", {"action": "export_csv", "_selected_action": ids}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "measure.start_work" in text.splitlines()[1]
    assert _events("audit.export").exists()


# --- superusers are out of reach ------------------------------------------------------------


def test_no_administrator_sees_or_edits_a_superuser(world, client, superuser):
    for persona in ("sysadmin", "secadmin"):
        client.force_login(world[persona])
        assert "root" not in client.get("/admin/ledger/user/").content.decode()
        url = f"/admin/ledger/user/{superuser.pk}/change/"
        assert client.get(url).status_code == 302  # "does not exist", back to the index
        client.post(url, _user_form(superuser, first_name="接管", is_active="on"))
    superuser.refresh_from_db()
    assert superuser.first_name == ""


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_no_administrator_sets_a_superusers_password(world, client, superuser, persona):
    client.force_login(world[persona])
    url = f"/admin/ledger/user/{superuser.pk}/password/"
    response = client.post(url, {"password1": "Taken-Over-2024!", "password2": "Taken-Over-2024!"})
    assert response.status_code in (403, 404)
    superuser.refresh_from_db()
    assert superuser.check_password("Root-Password-2024")


def test_the_admin_never_makes_a_superuser_or_staff(world, client):
    client.force_login(world["sysadmin"])
    page = client.get(f"/admin/ledger/user/{world['liaison'].pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    url = f"/admin/ledger/user/{world['liaison'].pk}/change/"
    client.post(url, _user_form(world["liaison"], is_superuser="on", is_staff="on"))
    world["liaison"].refresh_from_db()
    assert not world["liaison"].is_superuser and not world["liaison"].is_staff


# --- the system administrator ---------------------------------------------------------------


def test_the_system_administrator_cannot_grant_itself_a_role(world, client):
    client.force_login(world["sysadmin"])
    me = world["sysadmin"]
    for role, scope in ((Role.OFFICE, {"region": world.district}), (Role.SECURITY_ADMIN, {})):
        response = client.post("/admin/ledger/membership/add/", _grant(me, role, **scope))
        assert response.status_code == 403
    inline = _user_form(me) | {
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-role": Role.OFFICE,
        "memberships-0-region": str(world.district.pk),
        "memberships-0-user": str(me.pk),
    }
    client.post(f"/admin/ledger/user/{me.pk}/change/", inline)
    assert set(me.memberships.values_list("role", flat=True)) == {Role.SYSADMIN}
    assert not access.measures_for(me).exists()


def test_the_system_administrator_cannot_set_passwords_or_deactivate(world, client):
    client.force_login(world["sysadmin"])
    liaison = world["liaison"]
    url = f"/admin/ledger/user/{liaison.pk}/password/"
    response = client.post(url, {"password1": "Taken-Over-2024!", "password2": "Taken-Over-2024!"})
    assert response.status_code == 403
    client.post(f"/admin/ledger/user/{liaison.pk}/change/", _user_form(liaison))  # no is_active
    liaison.refresh_from_db()
    assert liaison.check_password(PASSWORD) and liaison.is_active


def test_the_system_administrators_writes_are_on_the_chain(world, client):
    client.force_login(world["sysadmin"])
    liaison = world["liaison"]
    response = client.post(
        f"/admin/ledger/user/{liaison.pk}/change/", _user_form(liaison, first_name="刘洋")
    )
    assert response.status_code == 302
    client.post("/admin/ledger/region/add/", {"name": "顺河区", "parent": str(world.city.pk)})
    region = Region.objects.get(name="顺河区")
    client.post(f"/admin/ledger/region/{region.pk}/delete/", {"post": "yes"})
    change = _events("admin.user.change").get()
    assert change.before["first_name"] == "" and change.after["first_name"] == "刘洋"
    assert "password" not in change.after and "password" not in change.before
    assert _events("admin.region.add").get().actor == world["sysadmin"]
    assert _events("admin.region.delete").exists()
    assert not Region.objects.filter(name="顺河区").exists()
    assert verify_audit_chain().ok


def test_an_account_added_by_the_system_administrator_is_audited(world, client):
    client.force_login(world["sysadmin"])
    response = client.post(
        "/admin/ledger/user/add/",
        {
            "username": "zhangsan",
            "usable_password": "true",
            "password1": "Zhang-San-2024!",
            "password2": "Zhang-San-2024!",
        },
    )
    assert response.status_code == 302
    added = _events("admin.user.add").get()
    assert added.after["username"] == "zhangsan" and "password" not in added.after
    assert not User.objects.get(username="zhangsan").is_staff


# --- the security administrator -------------------------------------------------------------


def test_the_security_administrator_cannot_grant_itself_anything(world, client):
    client.force_login(world["secadmin"])
    me = world["secadmin"]
    for role, scope in (
        (Role.OFFICE, {"region": world.district}),
        (Role.AUDIT_ADMIN, {}),
        (Role.SYSADMIN, {}),
    ):
        page = client.post("/admin/ledger/membership/add/", _grant(me, role, **scope))
        assert page.status_code == 200  # the form again, with the refusal
        assert "不能给自己授予或撤销角色" in page.content.decode()
    assert set(me.memberships.values_list("role", flat=True)) == {Role.SECURITY_ADMIN}
    own = me.memberships.get()
    assert client.get(f"/admin/ledger/membership/{own.pk}/change/").status_code == 302
    client.post(f"/admin/ledger/membership/{own.pk}/delete/", {"post": "yes"})
    assert me.memberships.exists()


def test_the_security_administrator_cannot_deactivate_itself(world, client):
    client.force_login(world["secadmin"])
    me = world["secadmin"]
    client.post(f"/admin/ledger/user/{me.pk}/change/", {"username": me.username})
    me.refresh_from_db()
    assert me.is_active


def test_a_grant_is_on_the_chain_and_an_admin_role_gives_the_admin(world, client):
    client.force_login(world["secadmin"])
    newcomer = User.objects.create_user("wangwu", password=PASSWORD)
    response = client.post(
        "/admin/ledger/membership/add/", _grant(newcomer, Role.OFFICE, region=world.district)
    )
    assert response.status_code == 302
    assert access.inspections_for(newcomer).count() == 2
    auditor = User.objects.create_user("zhaoliu", password=PASSWORD)
    client.post("/admin/ledger/membership/add/", _grant(auditor, Role.AUDIT_ADMIN))
    auditor.refresh_from_db()
    assert auditor.is_staff
    grant = Membership.objects.get(user=auditor)
    client.post(f"/admin/ledger/membership/{grant.pk}/delete/", {"post": "yes"})
    auditor.refresh_from_db()
    assert not auditor.is_staff
    events = _events("admin.membership.add")
    assert {e.after["role"] for e in events} == {Role.OFFICE, Role.AUDIT_ADMIN}
    assert _events("admin.membership.delete").get().before["role"] == Role.AUDIT_ADMIN
    assert verify_audit_chain().ok


def test_an_administrator_role_is_held_alone(world, client):
    client.force_login(world["secadmin"])
    page = client.post("/admin/ledger/membership/add/", _grant(world["sysadmin"], Role.AUDIT_ADMIN))
    assert "不能与其他角色由同一账号兼任" in page.content.decode()
    page = client.post(
        "/admin/ledger/membership/add/", _grant(world["liaison"], Role.SECURITY_ADMIN)
    )
    assert "不能与其他角色由同一账号兼任" in page.content.decode()
    assert not Membership.objects.filter(role=Role.AUDIT_ADMIN, user=world["sysadmin"]).exists()


def test_the_security_administrator_deactivates_and_resets_passwords(world, client):
    client.force_login(world["secadmin"])
    liaison = world["liaison"]
    response = client.post(
        f"/admin/ledger/user/{liaison.pk}/change/",
        _user_form(liaison, first_name="改名") | {"is_active": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/ledger/user/{liaison.pk}/password/",
        {"usable_password": "true", "password1": "New-Pass-2024!", "password2": "New-Pass-2024!"},
    )
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert not liaison.is_active and liaison.first_name == ""  # basic data is not theirs
    assert liaison.check_password("New-Pass-2024!")
    reset = _events("admin.user.set_password").get()
    assert reset.actor == world["secadmin"] and reset.after is None
    assert _events("admin.user.change").get().after["is_active"] is False
    assert verify_audit_chain().ok


def test_no_one_resets_another_administrators_password(world, client):
    client.force_login(world["secadmin"])
    auditor = world["auditadmin"]
    response = client.post(
        f"/admin/ledger/user/{auditor.pk}/password/",
        {"usable_password": "true", "password1": "New-Pass-2024!", "password2": "New-Pass-2024!"},
    )
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert auditor.check_password(PASSWORD)


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_no_administrator_reads_supervision_orders(world, client, persona):
    client.force_login(world[persona])
    assert client.get("/admin/supervision/supervisionorder/").status_code == 403
    assert client.get("/admin/supervision/interview/").status_code == 403


# --- the actions refuse on their own, whatever page calls them ------------------------------


def test_the_actions_refuse_what_the_pages_hide(world, superuser):
    secadmin, sysadmin = world["secadmin"], world["sysadmin"]
    attempts = [
        lambda: admin_actions.save(
            Membership(user=secadmin, role=Role.OFFICE, region=world.district), by=secadmin
        ),
        lambda: admin_actions.save(
            Membership(user=superuser, role=Role.OWNER, unit=world.unit_a), by=secadmin
        ),
        lambda: admin_actions.save(
            Membership(user=world["liaison"], role=Role.OFFICE, region=world.district), by=sysadmin
        ),
        lambda: admin_actions.delete(world.district, by=secadmin),
        lambda: admin_actions.delete(superuser, by=sysadmin),
        lambda: admin_actions.set_password(superuser, by=secadmin),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    superuser.is_superuser = False
    with pytest.raises(PermissionDenied):
        admin_actions.save(superuser, by=sysadmin)  # not even a "plain" edit of a superuser
    world["liaison"].is_staff = True
    with pytest.raises(PermissionDenied):
        admin_actions.save(world["liaison"], by=sysadmin)
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_a_superusers_change_of_groups_is_on_the_chain(world, client, superuser):
    group = Group.objects.create(name="经办人")
    client.force_login(superuser)
    liaison = world["liaison"]
    data = _user_form(liaison) | {"is_active": "on", "groups": [str(group.pk)]}
    data |= {"date_joined_0": "2024-01-01", "date_joined_1": "08:00:00"}
    response = client.post(f"/admin/ledger/user/{liaison.pk}/change/", data)
    assert response.status_code == 302
    assert _events("admin.user.relations").get().after == {"groups": [group.pk]}
    assert verify_audit_chain().ok


def test_another_apps_admin_writes_are_audited_and_kept_to_its_role(world):
    admin_actions.save(Group(name="锁定解除"), by=world["secadmin"], role=Role.SECURITY_ADMIN)
    assert _events("admin.group.add").get().actor == world["secadmin"]
    with pytest.raises(PermissionDenied):
        admin_actions.save(Group(name="越权"), by=world["sysadmin"], role=Role.SECURITY_ADMIN)
    with pytest.raises(PermissionDenied):
        admin_actions.save(Group(name="无主"), by=world["secadmin"])
    assert list(Group.objects.values_list("name", flat=True)) == ["锁定解除"]


def test_each_administrator_sees_only_their_fields_on_an_account(world, client):
    url = f"/admin/ledger/user/{world['liaison'].pk}/change/"
    client.force_login(world["secadmin"])
    page = client.get(url).content.decode()
    assert 'name="is_active"' in page and 'name="memberships-TOTAL_FORMS"' in page
    assert 'name="first_name"' not in page
    own = client.get(f"/admin/ledger/user/{world['secadmin'].pk}/change/").content.decode()
    assert 'name="is_active"' not in own and 'name="memberships-TOTAL_FORMS"' not in own
    client.force_login(world["sysadmin"])
    page = client.get(url).content.decode()
    assert 'name="first_name"' in page
    assert 'name="is_active"' not in page and 'name="memberships-TOTAL_FORMS"' not in page
    assert client.get("/admin/ledger/user/add/").status_code == 200
