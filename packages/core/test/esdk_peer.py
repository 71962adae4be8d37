"""Drives the AWS Encryption SDK for Python (aws-encryption-sdk 4.x with the Material
Providers Library, pinned in scripts/emulator-requirements.txt) for phiseal's interop tests.

  esdk_peer.py <jobs.json>

Each job: {"op": "encrypt"|"decrypt", "keyring": {...}, "suite": "committing"|"committing-signed",
"frameLength": n, "context": {...}, "input": path, "output": path}. keyring is one of
{"kind": "kms", "keyIds": [generator, ...children]}, {"kind": "discovery"} or
{"kind": "raw-aes", "namespace": ..., "name": ..., "key": hex}. One process runs every job
(the library takes seconds to load). A failed job writes "ERROR <exception class>" to its
output path + ".error". Endpoint and credentials come from the environment (AWS_ENDPOINT_URL).
"""

import json
import sys

import aws_encryption_sdk
import boto3
from aws_encryption_sdk import Algorithm, CommitmentPolicy
from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
from aws_cryptographic_material_providers.mpl.models import (
    AesWrappingAlg,
    CreateAwsKmsDiscoveryKeyringInput,
    CreateAwsKmsKeyringInput,
    CreateMultiKeyringInput,
    CreateRawAesKeyringInput,
)

MPL = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig())
CLIENT = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
SUITES = {
    "committing": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    "committing-signed": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
}
KMS = boto3.client("kms")


def keyring(spec):
    kind = spec["kind"]
    if kind == "raw-aes":
        return MPL.create_raw_aes_keyring(
            input=CreateRawAesKeyringInput(
                key_namespace=spec["namespace"],
                key_name=spec["name"],
                wrapping_key=bytes.fromhex(spec["key"]),
                wrapping_alg=AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16,
            )
        )
    if kind == "discovery":
        return MPL.create_aws_kms_discovery_keyring(input=CreateAwsKmsDiscoveryKeyringInput(kms_client=KMS))
    rings = [MPL.create_aws_kms_keyring(input=CreateAwsKmsKeyringInput(kms_key_id=k, kms_client=KMS)) for k in spec["keyIds"]]
    if len(rings) == 1:
        return rings[0]
    return MPL.create_multi_keyring(input=CreateMultiKeyringInput(generator=rings[0], child_keyrings=rings[1:]))


def run(job):
    with open(job["input"], "rb") as f:
        data = f.read()
    ring = keyring(job["keyring"])
    if job["op"] == "encrypt":
        out, _ = CLIENT.encrypt(
            source=data,
            keyring=ring,
            encryption_context=job.get("context", {}),
            algorithm=SUITES[job.get("suite", "committing")],
            frame_length=job.get("frameLength", 4096),
        )
    else:
        out, header = CLIENT.decrypt(source=data, keyring=ring)
        with open(job["output"] + ".context", "w") as f:
            json.dump(dict(header.encryption_context), f)
    with open(job["output"], "wb") as f:
        f.write(out)


def main(argv):
    with open(argv[1]) as f:
        jobs = json.load(f)
    for job in jobs:
        try:
            run(job)
        except Exception as error:  # reported per job; the test asserts on it
            with open(job["output"] + ".error", "w") as f:
                f.write("ERROR %s" % type(error).__name__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
