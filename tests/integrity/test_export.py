"""A procurement's export verifies offline, and stops verifying when one byte of any event changes."""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from domain.errors import NotFound
from market.draw_secrets import DrawSecret

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_chain.py"
spec = importlib.util.spec_from_file_location("verify_chain", TOOL)
verify_chain = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verify_chain)


def offline(doc: dict, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the tool as a regulator would: a bare interpreter, no site-packages, no project on the path."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([sys.executable, "-I", "-S", str(TOOL), str(path), *args], capture_output=True, text=True,
                          cwd=tmp_path, env=env)  # fmt: skip


def verdict(doc: dict) -> tuple[str, int | None]:
    try:
        verify_chain.check(doc)
    except verify_chain.Tampered as t:
        return "TAMPERED", t.position
    return "GENUINE", None


@pytest.fixture
def export(guard, procurement, world):
    pid, _ = procurement
    world.admitted_agency(3)  # more records after the procurement's: they travel as digests
    return guard.export(pid)


def events(doc: dict) -> list[dict]:
    return [e for e in doc["entries"] if "event" in e]


def test_an_exported_procurement_verifies_offline_as_genuine(export, procurement, tmp_path):
    pid, first = procurement
    done = offline(export, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "GENUINE" in done.stdout and str(pid) in done.stdout
    assert [e["position"] for e in events(export)][0] == first
    assert {e["event"]["originator_id"] for e in events(export)} == {str(pid), str(DrawSecret.create_id(str(pid)))}


def test_the_export_carries_other_records_as_digests_only(export):
    others = [e for e in export["entries"] if "event" not in e]

    assert others and all(set(e) == {"position", "digest"} for e in others)
    assert export["checkpoint"]["position"] == export["entries"][-1]["position"]


@pytest.mark.parametrize("field", ["state", "topic", "originator_id", "originator_version"])
def test_one_changed_byte_of_any_exported_event_is_tampered_at_its_position(export, field):
    assert verdict(export) == ("GENUINE", None)
    for entry in events(export):
        forged = copy.deepcopy(export)
        event = next(e for e in forged["entries"] if e["position"] == entry["position"])["event"]
        if field == "state":
            state = bytearray(base64.b64decode(event["state"]))
            for index in (0, len(state) // 2, len(state) - 1):  # first, middle and last byte
                again = copy.deepcopy(forged)
                changed = bytearray(state)
                changed[index] ^= 0x01
                target = next(e for e in again["entries"] if e["position"] == entry["position"])["event"]
                target["state"] = base64.b64encode(bytes(changed)).decode()
                assert verdict(again) == ("TAMPERED", entry["position"])
            continue
        if field == "originator_version":
            event[field] += 1
        else:
            event[field] = event[field][:-1] + chr(ord(event[field][-1]) ^ 0x01)
        assert verdict(forged) == ("TAMPERED", entry["position"])


def test_the_command_line_tool_says_tampered_with_the_position_and_exits_1(export, tmp_path):
    entry = events(export)[1]
    state = bytearray(base64.b64decode(entry["event"]["state"]))
    state[5] ^= 0x20
    entry["event"]["state"] = base64.b64encode(bytes(state)).decode()

    done = offline(export, tmp_path)

    assert done.returncode == 1
    assert f"TAMPERED at position {entry['position']}" in done.stdout


def test_a_changed_digest_of_another_record_breaks_the_proof(export):
    other = next(e for e in export["entries"] if "event" not in e)
    other["digest"] = other["digest"][:-1] + ("0" if other["digest"][-1] != "0" else "1")

    assert verdict(export)[0] == "TAMPERED"


def test_a_resigned_export_fails_when_the_published_key_is_pinned(export, tmp_path):
    pinned = export["checkpoint"]["key_id"]
    mallory = Ed25519PrivateKey.generate()
    public = mallory.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    cp = export["checkpoint"]
    message = (verify_chain.CHECKPOINT_TAG + cp["position"].to_bytes(8, "big") + bytes.fromhex(cp["link"])
               + cp["signed_at"].encode())  # fmt: skip
    export["public_key"], cp["signature"] = public.hex(), mallory.sign(message).hex()
    cp["key_id"] = verify_chain.hashlib.sha256(public).hexdigest()[:16]

    assert offline(export, tmp_path).returncode == 0  # self-consistent: hence the pin
    done = offline(export, tmp_path, "--key-id", pinned)
    assert done.returncode == 1 and "not the expected key" in done.stdout


def test_an_export_with_a_dropped_event_is_tampered(export):
    dropped = events(export)[1]
    export["entries"] = [e for e in export["entries"] if e is not dropped]

    assert verdict(export)[0] == "TAMPERED"


def test_exporting_an_unknown_procurement_is_not_found(guard, procurement):
    with pytest.raises(NotFound):
        guard.export("00000000-0000-4000-8000-000000000000")


def test_the_pure_python_ed25519_agrees_with_the_cryptography_library():
    for n in range(12):
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        message = os.urandom(n * 7)
        signature = key.sign(message)
        assert verify_chain.ed25519_verify(public, message, signature)
        assert not verify_chain.ed25519_verify(public, message + b"x", signature)
        bad = bytearray(signature)
        bad[n % 64] ^= 0x04
        assert not verify_chain.ed25519_verify(public, message, bytes(bad))


def test_the_rfc_8032_test_vector_1_verifies():
    public = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    signature = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert verify_chain.ed25519_verify(public, b"", signature)
