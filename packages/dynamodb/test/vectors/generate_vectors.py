#!/usr/bin/env python3
"""Independent implementation of the phiseal DynamoDB item format v1 (docs/dynamodb-format.md),
written from the document, not from the TypeScript. It writes dynamodb-v1.json; the
TypeScript test checks that its implementation produces the same bytes and reads them back.

Run: .venv/bin/python packages/dynamodb/test/vectors/generate_vectors.py
"""
import base64, hashlib, hmac, json, os, re, struct, unicodedata
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes

TAGS = {"S": 1, "N": 2, "B": 3, "BOOL": 4, "NULL": 5, "M": 6, "L": 7, "SS": 8, "NS": 9, "BS": 10}
u8 = lambda v: struct.pack(">B", v)
u16 = lambda v: struct.pack(">H", v)
u32 = lambda v: struct.pack(">I", v)
lp = lambda b: u32(len(b)) + b
s = lambda text: lp(text.encode("utf-8"))


def normalize_number(value):
    m = re.fullmatch(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?", value.strip())
    if not m:
        return value
    sign, ip, fp, ep = m.group(1), m.group(2) or "", m.group(3) or "", m.group(4)
    if ip == "" and fp == "":
        return value
    digits = (ip + fp).lstrip("0")
    exponent = (int(ep) if ep else 0) - len(fp)
    if digits == "":
        return "0"
    trimmed = digits.rstrip("0")
    exponent += len(digits) - len(trimmed)
    digits = trimmed
    if exponent >= 0:
        out = digits + "0" * exponent
    else:
        point = len(digits) + exponent
        out = digits[:point] + "." + digits[point:] if point > 0 else "0." + "0" * (-point) + digits
    return "-" + out if sign == "-" else out


def b64(x):
    return base64.b64decode(x)


def encode(v, mode):
    (t, x), = v.items()
    out = u8(TAGS[t])
    if t == "S":
        return out + s(x)
    if t == "N":
        return out + s(normalize_number(x) if mode == "canonical" else x)
    if t == "B":
        return out + lp(b64(x))
    if t == "BOOL":
        return out + u8(1 if x else 0)
    if t == "NULL":
        return out
    if t == "M":
        items = list(x.items())
        if mode == "canonical":
            items.sort(key=lambda kv: kv[0].encode("utf-8"))
        return out + u32(len(items)) + b"".join(s(k) + encode(val, mode) for k, val in items)
    if t == "L":
        return out + u32(len(x)) + b"".join(encode(val, mode) for val in x)
    if t in ("SS", "NS"):
        members = [normalize_number(m) if (t == "NS" and mode == "canonical") else m for m in x]
        enc = [m.encode("utf-8") for m in members]
        if mode == "canonical":
            enc.sort()
        return out + u32(len(enc)) + b"".join(lp(m) for m in enc)
    if t == "BS":
        enc = [b64(m) for m in x]
        if mode == "canonical":
            enc.sort()
        return out + u32(len(enc)) + b"".join(lp(m) for m in enc)
    raise ValueError(t)


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def default_normalize(value):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value).strip()).lower()


def beacon_value(root, table, name, bits, parts):
    key = hkdf(root, b"phiseal.dynamodb.v1 beacon", s(table) + s(name))
    mac = hmac.new(key, b"".join(s(p) for p in parts), hashlib.sha256).digest()
    value = int.from_bytes(mac[:8], "big") >> (64 - bits)
    return format(value, "x").rjust((bits + 3) // 4, "0")


def seal(case):
    cfg = case["config"]
    data_key, item_id = bytes.fromhex(case["dataKey"]), bytes.fromhex(case["itemId"])
    wrapped = bytes.fromhex(case["wrappedKeys"])
    keys = [cfg["partitionKey"]] + ([cfg["sortKey"]] if cfg.get("sortKey") else [])

    def action(name):
        return "sign" if name in keys else cfg.get("actions", {}).get(name, cfg.get("defaultAction", "encrypt"))

    stored, legend = {}, []
    for name, value in case["item"].items():
        a = action(name)
        if a == "encrypt":
            info = b"phiseal.dynamodb.v1 attr\x00" + name.encode("utf-8")
            akey = hkdf(data_key, item_id, info)
            ct = AESGCM(akey).encrypt(b"\x00" * 12, encode(value, "exact"), None)
            stored[name] = {"B": base64.b64encode(ct).decode()}
            legend.append((name, 0x65))
        else:
            stored[name] = value
            if a == "sign":
                legend.append((name, 0x73))
    for bname, b in cfg.get("beacons", {}).items():
        parts = []
        for src in b["attributes"]:
            v = case["item"].get(src, {})
            if "S" in v:
                parts.append(default_normalize(v["S"]))
            elif "N" in v:
                parts.append(default_normalize(normalize_number(v["N"])))
            else:
                parts = None
                break
        if parts is not None:
            attr = "phiseal_b_" + bname
            stored[attr] = {"S": beacon_value(bytes.fromhex(case["beaconRootKey"]), cfg["tableName"], bname, b["bits"], parts)}
            legend.append((attr, 0x73))
    legend.sort(key=lambda e: e[0].encode("utf-8"))
    body = u8(1) + item_id + lp(wrapped) + u16(len(legend))
    for name, code in legend:
        nb = name.encode("utf-8")
        body += u8(code) + u16(len(nb)) + nb
    sign_key = hkdf(data_key, item_id, b"phiseal.dynamodb.v1 sign")
    tag_input = b"phiseal.dynamodb.v1 tag\x00" + s(cfg["tableName"]) + lp(body)
    for name, _ in legend:
        tag_input += s(name) + encode(stored[name], "canonical")
    tag = hmac.new(sign_key, tag_input, hashlib.sha256).digest()
    stored["phiseal_h"] = {"B": base64.b64encode(body + tag).decode()}
    case["expected"] = stored
    case["signingKey"] = sign_key.hex()
    case["tag"] = tag.hex()
    return case


def main():
    b = lambda raw: base64.b64encode(raw).decode()
    cases = [
        {
            "description": "every type encrypted and signed, composite key, beacons",
            "dataKey": bytes(range(32)).hex(),
            "itemId": bytes(range(100, 116)).hex(),
            "wrappedKeys": b"opaque wrapped-keys blob (encodeWrappedKeys output in real items)".hex(),
            "beaconRootKey": bytes(range(200, 232)).hex(),
            "config": {
                "tableName": "patients-kat",
                "partitionKey": "pk",
                "sortKey": "sk",
                "actions": {"clinic": "sign", "note": "plain", "signedSet": "sign", "signedNums": "sign", "signedMap": "sign", "signedNum": "sign"},
                "beacons": {"email": {"attributes": ["email"], "bits": 16}, "lastDob": {"attributes": ["last", "dob"], "bits": 24}},
            },
            "item": {
                "pk": {"S": "patient-0001"},
                "sk": {"N": "42"},
                "clinic": {"S": "north"},
                "note": {"S": "plain text, not authenticated"},
                "email": {"S": "Ada@Example.org"},
                "last": {"S": "Lovelace"},
                "dob": {"S": "1815-12-10"},
                "weight": {"N": "54.50"},
                "photo": {"B": b(b"\x00\x01\x02\xff")},
                "consented": {"BOOL": True},
                "nothing": {"NULL": True},
                "history": {"M": {"z": {"L": [{"N": "1"}, {"S": "two"}]}, "a": {"BOOL": False}}},
                "visits": {"L": [{"S": "2024-01-01"}, {"M": {}}]},
                "allergies": {"SS": ["penicillin", "latex"]},
                "doses": {"NS": ["10", "2.5"]},
                "scans": {"BS": [b(b"\x02"), b(b"\x01")]},
                "empty": {"S": ""},
                "emptySet": {"SS": []},
                "signedSet": {"SS": ["b", "a", "\u00e9"]},
                "signedNums": {"NS": ["10", "9.0", "-0"]},
                "signedNum": {"N": "1.50E1"},
                "signedMap": {"M": {"b": {"N": "1"}, "a": {"S": "x"}}},
                "\u540d\u524d": {"S": "\u30a8\u30a4\u30c0"},
            },
        },
        {
            "description": "partition key only, defaultAction plain, one encrypted attribute",
            "dataKey": ("11" * 32),
            "itemId": ("22" * 16),
            "wrappedKeys": "00",
            "beaconRootKey": ("33" * 32),
            "config": {"tableName": "t", "partitionKey": "id", "defaultAction": "plain", "actions": {"ssn": "encrypt", "mrn": "sign"}},
            "item": {"id": {"S": "x"}, "ssn": {"S": "123-45-6789"}, "mrn": {"N": "448812"}, "free": {"S": "f"}},
        },
    ]
    out = {
        "format": "phiseal DynamoDB item format v1",
        "generator": "packages/dynamodb/test/vectors/generate_vectors.py (independent Python implementation)",
        "cases": [seal(c) for c in cases],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dynamodb-v1.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
