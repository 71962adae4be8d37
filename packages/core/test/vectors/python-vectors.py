"""Independent check and Python-written vectors for esdk-v2.json.

Run once after generate-esdk.ts with the shared venv:
    .venv/bin/python packages/core/test/vectors/python-vectors.py
1. Decrypts every "phiseal" vector with the Python AWS Encryption SDK (raw AES keyring from
   the Material Providers Library) and fails loudly unless plaintext, context, suite, message
   id and frame length match: an independent decoder of phiseal's bytes.
2. Adds messages written by the Python SDK under "python" for the unit tests to decrypt.
"""
import json
import os
import sys

import aws_encryption_sdk
from aws_encryption_sdk import Algorithm, CommitmentPolicy
from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
from aws_cryptographic_material_providers.mpl.models import AesWrappingAlg, CreateRawAesKeyringInput

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "esdk-v2.json")
MPL = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig())
CLIENT = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def keyring(namespace, name, key):
    return MPL.create_raw_aes_keyring(
        input=CreateRawAesKeyringInput(
            key_namespace=namespace, key_name=name, wrapping_key=key, wrapping_alg=AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16
        )
    )


def check(vector):
    ring = keyring(vector["keyNamespace"], vector["keyName"], bytes.fromhex(vector["wrappingKey"]))
    plaintext, header = CLIENT.decrypt(source=bytes.fromhex(vector["message"]), keyring=ring)
    assert plaintext.hex() == vector["plaintext"], vector["description"]
    assert dict(header.encryption_context) == vector["context"], vector["description"]
    assert header.algorithm.algorithm_id == 0x0478, vector["description"]
    assert header.message_id.hex() == vector["messageId"], vector["description"]
    assert header.frame_length == vector["frameLength"], vector["description"]


def produce(description, size, context, algorithm, frame_length):
    key = os.urandom(32)
    plaintext = os.urandom(size)
    ring = keyring("phiseal-local", "kat-local", key)
    message, _ = CLIENT.encrypt(
        source=plaintext, keyring=ring, encryption_context=context, algorithm=algorithm, frame_length=frame_length
    )
    return {
        "description": description,
        "producer": "aws-encryption-sdk (Python) %s" % aws_encryption_sdk.__version__,
        "keyName": "kat-local",
        "keyNamespace": "phiseal-local",
        "wrappingKey": key.hex(),
        "context": context,
        "plaintext": plaintext.hex(),
        "message": message.hex(),
    }


def main():
    with open(PATH) as f:
        data = json.load(f)
    for vector in data["phiseal"]:
        check(vector)
    data["phisealCheckedBy"] = "aws-encryption-sdk (Python) %s" % aws_encryption_sdk.__version__
    ctx = {"tenant": "clinic-a", "z-last": "\u00fcn\u00efcode \u2713"}
    data["python"] = [
        produce("0x0478, empty context", 33, {}, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096),
        produce("0x0478, context, frames of 128", 300, ctx, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 128),
        produce("0x0578 signed, context", 4097, ctx, Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 4096),
    ]
    with open(PATH, "w") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("checked %d phiseal vectors, wrote %d python vectors" % (len(data["phiseal"]), len(data["python"])))


if __name__ == "__main__":
    sys.exit(main())
