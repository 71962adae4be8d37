"""Drives the official S3 Encryption Client for Python (amazon-s3-encryption-client-python,
pinned in scripts/emulator-requirements.txt) against the test emulator, for phiseal's
interop tests. Usage:

  s3ec_peer.py put <v2|v3> <kms-key-arn> <bucket> <key> <plaintext-file> <context-json> [multipart]
  s3ec_peer.py get <kms-key-arn> <bucket> <key> <output-file> <context-json> [require-commitment]

Endpoint, region and credentials come from the environment (AWS_ENDPOINT_URL, ...).
Exits 0 on success; on failure prints the exception class to stderr and exits 3.
"""

import json
import sys

import boto3
from s3_encryption import S3EncryptionClient, S3EncryptionClientConfig
from s3_encryption.materials.kms_keyring import KmsKeyring
from s3_encryption.materials.materials import AlgorithmSuite, CommitmentPolicy


def client(key_arn, algorithm, policy):
    kms = boto3.client("kms")
    s3 = boto3.client("s3")
    config = S3EncryptionClientConfig(
        keyring=KmsKeyring(kms, key_arn),
        encryption_algorithm=algorithm,
        commitment_policy=policy,
    )
    return S3EncryptionClient(s3, config)


def main(argv):
    command = argv[1]
    if command == "put":
        fmt, key_arn, bucket, key, path, context = argv[2:8]
        multipart = len(argv) > 8 and argv[8] == "multipart"
        if fmt == "v3":
            s3ec = client(key_arn, AlgorithmSuite.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
                          CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
        else:
            s3ec = client(key_arn, AlgorithmSuite.ALG_AES_256_GCM_IV12_TAG16_NO_KDF,
                          CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        ctx = json.loads(context) or None
        if multipart:
            extra = {"EncryptionContext": ctx} if ctx else {}
            with open(path, "rb") as fh:
                s3ec.upload_fileobj(fh, bucket, key, multipart_chunksize=5 * 1024 * 1024, **extra)
        else:
            with open(path, "rb") as fh:
                body = fh.read()
            kwargs = {"Bucket": bucket, "Key": key, "Body": body}
            if ctx:
                kwargs["EncryptionContext"] = ctx
            s3ec.put_object(**kwargs)
        return 0
    if command == "get":
        key_arn, bucket, key, path, context = argv[2:7]
        policy = (CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                  if len(argv) > 7 and argv[7] == "require-commitment"
                  else CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
        s3ec = client(key_arn, AlgorithmSuite.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, policy)
        ctx = json.loads(context) or None
        kwargs = {"Bucket": bucket, "Key": key}
        if ctx:
            kwargs["EncryptionContext"] = ctx
        out = s3ec.get_object(**kwargs)
        with open(path, "wb") as fh:
            fh.write(out["Body"].read())
        return 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except SystemExit:
        raise
    except Exception as error:  # report the class only: messages may echo values
        print(type(error).__name__, file=sys.stderr)
        sys.exit(3)
