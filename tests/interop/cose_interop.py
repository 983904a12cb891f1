"""Independent check of the Gatehouse badge token with pycose (and cbor2).

Used by tests/gate_interop.rs; set up by `make setup-test`
(tests/interop/.venv with `pip install pycose`).

  cose_interop.py verify PUBLIC_KEY_HEX TOKEN
      Verifies our token with pycose; prints its claims as JSON; exit 1 if
      the signature, the header or the format is wrong.
  cose_interop.py sign PRIVATE_SEED_HEX CLAIMS_JSON
      Makes a token with pycose from {"iss", "sub", "iat", "nbf", "exp",
      "version", "category", "zones", "days", "name", "photo" (hex or null)};
      prints the token text.

Base45 (RFC 9285) is written out here so this side shares no code with ours.
"""

import hashlib
import json
import sys

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import CoseMessage, Sign1Message

PREFIX = "GH1:"
GH_CLAIM = -65537
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 2):
        if i + 1 < len(data):
            n = data[i] * 256 + data[i + 1]
            c, n = n % 45, n // 45
            d, e = n % 45, n // 45
            out += [ALPHABET[c], ALPHABET[d], ALPHABET[e]]
        else:
            n = data[i]
            out += [ALPHABET[n % 45], ALPHABET[n // 45]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    values = [ALPHABET.index(ch) for ch in text]
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45 triple out of range")
            out += bytes([n >> 8, n & 0xFF])
        elif len(chunk) == 2:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45 pair out of range")
            out.append(n)
        else:
            raise ValueError("dangling base45 character")
    return bytes(out)


def kid_of(public: bytes) -> bytes:
    return hashlib.sha256(public).digest()[:8]


def verify(public_hex: str, token: str) -> int:
    if not token.startswith(PREFIX):
        print("no GH1: prefix", file=sys.stderr)
        return 1
    public = bytes.fromhex(public_hex)
    msg = CoseMessage.decode(b45decode(token[len(PREFIX) :]))
    if msg.phdr.get(Algorithm) is not EdDSA or msg.phdr.get(KID) != kid_of(public):
        print(f"unexpected protected header {msg.phdr}", file=sys.stderr)
        return 1
    msg.key = OKPKey(crv=Ed25519, x=public)
    if not msg.verify_signature():
        print("signature does not verify", file=sys.stderr)
        return 1
    claims = cbor2.loads(msg.payload)
    version, category, zones, days, name, photo = claims[GH_CLAIM]
    print(
        json.dumps(
            {
                "iss": claims[1],
                "sub": claims[2],
                "exp": claims[4],
                "nbf": claims[5],
                "iat": claims[6],
                "version": version,
                "category": category,
                "zones": zones,
                "days": days,
                "name": name,
                "photo": photo.hex() if photo is not None else None,
            },
            ensure_ascii=False,
        )
    )
    return 0


def sign(seed_hex: str, claims_json: str) -> int:
    c = json.loads(claims_json)
    seed = bytes.fromhex(seed_hex)
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    key = OKPKey(crv=Ed25519, x=public, d=seed)
    photo = bytes.fromhex(c["photo"]) if c.get("photo") else None
    payload = cbor2.dumps(
        {
            1: c["iss"],
            2: c["sub"],
            4: c["exp"],
            5: c["nbf"],
            6: c["iat"],
            GH_CLAIM: [c["version"], c["category"], c["zones"], c["days"], c["name"], photo],
        }
    )
    msg = Sign1Message(phdr={Algorithm: EdDSA, KID: kid_of(public)}, payload=payload)
    msg.key = key
    print(PREFIX + b45encode(msg.encode(tag=True)))
    return 0


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "verify":
        try:
            return verify(sys.argv[2], sys.argv[3])
        except Exception as e:  # any failure to read the token is a refusal
            print(f"refused: {e!r}", file=sys.stderr)
            return 1
    if len(sys.argv) == 4 and sys.argv[1] == "sign":
        return sign(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
