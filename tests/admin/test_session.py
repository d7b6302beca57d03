"""The console's session: signed HttpOnly SameSite=Strict cookie, CSRF tokens, and who is let in."""

from __future__ import annotations

from tests.admin.conftest import csrf_of, log_in


def _head(app) -> int:
    return app.state.market.recorder.max_notification_id()


def test_log_in_sets_a_strict_http_only_session_cookie(client, console_world):
    response = log_in(client, console_world.accounts["regulator"].username, console_world.password)
    assert response.status_code == 303 and response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("console_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/admin" in cookie
    assert client.get("/admin/").headers["location"] == "/admin/dashboard"


def test_an_agency_account_is_refused_with_403_and_gets_no_session(client, console_world):
    response = log_in(client, console_world.accounts["agency"].username, console_world.password)
    assert response.status_code == 403
    assert "本控制台仅供" in response.text and "中介机构" in response.text
    assert client.get("/admin/dashboard").headers["location"] == "/admin/login?next=/admin/dashboard"


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(regulator, console_app):
    flag_id = _first_open_flag(regulator)
    before = _head(console_app)
    response = regulator.post(f"/admin/flags/{flag_id}/case", data={})
    assert response.status_code == 403 and "防伪令牌" in response.text
    response = regulator.post(f"/admin/flags/{flag_id}/case", data={"csrf_token": "forged"})
    assert response.status_code == 403
    assert _head(console_app) == before


def test_a_token_from_another_session_does_not_pass(client, console_world, console_app):
    other = csrf_of(client.get("/admin/login").text)  # an anonymous session's token
    client.cookies.clear()
    log_in(client, console_world.accounts["regulator"].username, console_world.password)
    before = _head(console_app)
    assert client.post(f"/admin/flags/{_first_open_flag(client)}/case", data={"csrf_token": other}).status_code == 403
    assert _head(console_app) == before


def test_a_tampered_cookie_is_no_session(regulator):
    value = regulator.cookies.get("console_session")
    regulator.cookies.set("console_session", value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1], path="/admin")
    assert regulator.get("/admin/dashboard").status_code == 303


def test_log_in_never_redirects_outside_the_console(client, console_world):
    token = csrf_of(client.get("/admin/login").text)
    data = {"username": console_world.accounts["regulator"].username, "password": console_world.password,
            "csrf_token": token, "next": "//evil.example/admin/"}  # fmt: skip
    assert client.post("/admin/login", data=data).headers["location"] == "/admin/"


def test_a_wrong_password_answers_401_with_the_form_again(client, console_world):
    response = log_in(client, console_world.accounts["regulator"].username, "wrong-password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_log_out_ends_the_session(regulator):
    token = csrf_of(regulator.get("/admin/flags").text)
    assert regulator.post("/admin/logout", data={"csrf_token": token}).headers["location"] == "/admin/login"
    assert regulator.get("/admin/flags").status_code == 303


def test_operators_and_regulators_see_only_their_own_pages(regulator, client, console_world):
    assert regulator.get("/admin/queues").status_code == 403
    assert regulator.get("/admin/calendar").status_code == 403
    regulator.cookies.clear()
    log_in(client, console_world.accounts["operator"].username, console_world.password)
    assert client.get("/admin/flags").status_code == 403
    assert client.get("/admin/dashboard").status_code == 403
    assert client.get("/admin/queues").status_code == 200


def _first_open_flag(client) -> str:
    import re

    return re.search(r'href="/admin/flags/([0-9a-f-]{36})"', client.get("/admin/flags").text).group(1)
