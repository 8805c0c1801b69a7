"""`consult token` for operators: a token made from a shell opens the JSON API
until it is revoked; its secret is printed once and only its hash is kept."""

from __future__ import annotations

import subprocess

from tests.fixtures import consult_cli


def consult_token(*args: str) -> subprocess.CompletedProcess[str]:
    """`consult token ARGS` in a child process on this module's database."""
    return consult_cli("token", *args)


def test_a_token_made_on_the_command_line_reads_the_api_until_revoked(client, run):
    from consult.tables import ApiToken

    made = consult_token("create", "Oslo BI dashboard")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("consult_")
    stored = run(ApiToken.select(ApiToken.id, ApiToken.token_hash, ApiToken.name).run)
    assert [row["name"] for row in stored] == ["Oslo BI dashboard"]
    assert secret not in str(stored)

    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/consultations", headers=headers).status_code == 200

    listed = consult_token("list")
    assert "active" in listed.stdout
    assert "Oslo BI dashboard" in listed.stdout
    assert secret not in listed.stdout

    revoked = consult_token("revoke", str(stored[0]["id"]))
    assert revoked.returncode == 0, revoked.stderr
    assert client.get("/api/v1/consultations", headers=headers).status_code == 401
    assert "revoked" in consult_token("list").stdout


def test_bad_requests_exit_with_a_message():
    nameless = consult_token("create", "   ")
    assert nameless.returncode == 2
    assert "name" in nameless.stdout
    missing = consult_token("revoke", "999999")
    assert missing.returncode == 2
    assert "no API token 999999" in missing.stdout


def test_a_token_made_for_one_city_reads_only_that_citys_consultations(client, make_survey):
    make_survey("token-cli-oslo", city="Oslo")
    make_survey("token-cli-skien", city="Skien")
    made = consult_token("create", "Oslo only", "--city", "Oslo")
    assert made.returncode == 0, made.stderr
    assert "reading Oslo's consultations" in made.stdout
    secret = made.stdout.strip().splitlines()[-1]

    listed = client.get("/api/v1/consultations", headers={"Authorization": f"Bearer {secret}"})
    assert listed.status_code == 200
    slugs = {item["slug"] for item in listed.json()["consultations"]}
    assert "token-cli-oslo" in slugs
    assert "token-cli-skien" not in slugs
    assert "Oslo\tOslo only" in consult_token("list").stdout
