#!/usr/bin/env python3
"""Independent verifier for an exported procurement history (事件链离线核验).

    python verify_chain.py export.json [--key-id ID | --public-key HEX]

The file comes from ``market export-chain <procurement-id> --out export.json``. This tool
recomputes every record's digest and every chain link from the first exported record up
to the signed checkpoint, checks the checkpoint's Ed25519 signature, and prints
真实有效/GENUINE (exit 0) or 已被篡改/TAMPERED with the first failing position (exit 1);
an unreadable file exits 2. One file, standard library only (Ed25519 verification is
RFC 8032 §5.1.7 in pure Python), so anyone can audit it. Formats: docs/tamper-evidence.md.

The public key travels in the file: pin the one the platform publishes with ``--key-id``
or ``--public-key``, or anyone could re-sign a forged history with a key of their own.
"""

import base64
import hashlib
import json
import struct
import sys

FORMAT = "zjcs-chain-export/1"
EVENT_TAG = b"zjcs-event-v1\x00"
CHECKPOINT_TAG = b"zjcs-checkpoint-v1\x00"

# --- Ed25519 verification (RFC 8032, §5.1), extended twisted Edwards coordinates -----------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    A, B = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
    C, Dd = 2 * t1 * t2 * D % P, 2 * z1 * z2 % P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)


def _mul(s, point):
    q = (0, 1, 1, 0)  # the neutral element
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    return P - x if (x & 1) != sign else x


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
BASE = (_GX, _GY, 1, _GX * _GY % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _equal(_mul(s, BASE), _add(r, _mul(h, a)))


# --- the chain (market/integrity/chain.py) --------------------------------------------------

def record_digest(originator_id, version, topic, state):
    oid, top = originator_id.encode(), topic.encode()
    return hashlib.sha256(EVENT_TAG + struct.pack(">I", len(oid)) + oid + struct.pack(">QI", version, len(top))
                          + top + struct.pack(">I", len(state)) + state).digest()


def next_link(prev_link, position, digest):
    return hashlib.sha256(prev_link + struct.pack(">Q", position) + digest).digest()


class Tampered(Exception):
    def __init__(self, position, reason):
        super().__init__(reason)
        self.position, self.reason = position, reason


def _guarded(position, compute):
    """Malformed event data in the file is a changed file."""
    try:
        return compute()
    except (ValueError, TypeError, KeyError, AttributeError, struct.error) as exc:
        raise Tampered(position, f"malformed event data ({exc})") from None


def check(doc, pinned_key=None):
    """Return (summary lines) for a genuine export; raise Tampered otherwise."""
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    cp = doc["checkpoint"]
    running, last = bytes.fromhex(doc["anchor"]["link"]), doc["anchor"]["position"]
    versions = {}
    for entry in doc["entries"]:
        position = entry["position"]
        if not isinstance(position, int) or position <= last:
            raise Tampered(position, "positions out of order")
        if "event" in entry:
            e = entry["event"]
            if entry.get("link_before") != running.hex():
                raise Tampered(position, "the link before this event does not follow from the records before it")
            digest = _guarded(position, lambda: record_digest(e["originator_id"], e["originator_version"], e["topic"],
                                                              base64.b64decode(e["state"], validate=True)))
            running = next_link(running, position, digest)
            if entry.get("link") != running.hex():
                raise Tampered(position, f"event {e['originator_id']} v{e['originator_version']} differs from the "
                                         "one chained")
            versions.setdefault(e["originator_id"], []).append(e["originator_version"])
        else:
            running = next_link(running, position, _guarded(position, lambda: bytes.fromhex(entry["digest"])))
        last = position
    if last != cp["position"] or running.hex() != cp["link"]:
        raise Tampered(cp["position"], "the recomputed chain does not reach the signed checkpoint")
    public = bytes.fromhex(doc["public_key"])
    kid = hashlib.sha256(public).hexdigest()[:16]
    if kid != cp["key_id"] or (pinned_key and pinned_key not in (kid, public.hex())):
        raise Tampered(cp["position"], f"checkpoint key {kid} is not the expected key")
    message = CHECKPOINT_TAG + struct.pack(">Q", cp["position"]) + running + cp["signed_at"].encode("ascii")
    if not ed25519_verify(public, message, bytes.fromhex(cp["signature"])):
        raise Tampered(cp["position"], "the checkpoint signature does not verify")
    for oid, vs in versions.items():
        if vs != list(range(1, len(vs) + 1)):
            raise Tampered(cp["position"], f"events of {oid} are missing from the export (versions {vs})")
    return [f"  采购需求 procurement: {doc['procurement_id']}",
            *(f"  {oid}: {len(vs)} events (v1–v{vs[-1]})" for oid, vs in versions.items()),
            f"  检查点 checkpoint: position {cp['position']}, signed {cp['signed_at']}, key {kid}"]


def main(argv):
    args = argv[1:]
    pinned = None
    for flag in ("--key-id", "--public-key"):
        if flag in args:
            i = args.index(flag)
            pinned = args[i + 1].lower() if i + 1 < len(args) else ""
            del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            doc = json.load(f)
        lines = check(doc, pinned)
    except Tampered as t:
        print(f"已被篡改 / TAMPERED at position {t.position}: {t.reason}")
        return 1
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"无法读取 / UNREADABLE: {exc!r}", file=sys.stderr)
        return 2
    print("真实有效 / GENUINE")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
