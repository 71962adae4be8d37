"""Interop peer: the official AWS Cryptographic Material Providers key store (Python, 1.11.x)
and the AWS Encryption SDK for Python (4.x) with its hierarchical keyring.

Driven by the phiseal tests against the emulator (AWS_ENDPOINT_URL). One process runs a batch
of steps (Python start-up is the slow part):

usage: keystore_peer.py <table> <logical-name> <kms-key-arn> '<json list of steps>'
  ["create-table"]
  ["create-key"] | ["create-key", id, context]
  ["version-key", id]
  ["get-active", id]               -> {"version", "key", "context"}
  ["get-version", id, version]     -> {"version", "key"}
  ["get-beacon", id]               -> {"key"}
  ["esdk-encrypt", id, context, plaintext-hex]  -> {"message": hex}   (hierarchical keyring, TTL 600 s)
  ["esdk-decrypt", id, message-hex]             -> {"plaintext": hex, "context"}

Prints a JSON list with one result per step; a failed step gives {"error": "<class name>"}
and the batch goes on.
"""
import json
import sys

import aws_encryption_sdk
import boto3
from aws_cryptographic_material_providers.keystore.client import KeyStore
from aws_cryptographic_material_providers.keystore.config import KeyStoreConfig
from aws_cryptographic_material_providers.keystore.models import (
    CreateKeyInput,
    CreateKeyStoreInput,
    GetActiveBranchKeyInput,
    GetBeaconKeyInput,
    GetBranchKeyVersionInput,
    KMSConfigurationKmsKeyArn,
    VersionKeyInput,
)
from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
from aws_cryptographic_material_providers.mpl.models import CreateAwsKmsHierarchicalKeyringInput
from aws_encryption_sdk.identifiers import CommitmentPolicy

ESDK = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def key_store(table, logical, arn):
    return KeyStore(
        config=KeyStoreConfig(
            ddb_table_name=table,
            logical_key_store_name=logical,
            kms_configuration=KMSConfigurationKmsKeyArn(arn),
            ddb_client=boto3.client("dynamodb"),
            kms_client=boto3.client("kms"),
        )
    )


def keyring(store, branch_key_id):
    mpl = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig())
    return mpl.create_aws_kms_hierarchical_keyring(
        CreateAwsKmsHierarchicalKeyringInput(key_store=store, branch_key_id=branch_key_id, ttl_seconds=600)
    )


def step(store, command, args):
    if command == "create-table":
        return {"tableArn": store.create_key_store(CreateKeyStoreInput()).table_arn}
    if command == "create-key":
        if args:
            out = store.create_key(CreateKeyInput(branch_key_identifier=args[0], encryption_context=args[1]))
        else:
            out = store.create_key(CreateKeyInput())
        return {"branchKeyId": out.branch_key_identifier}
    if command == "version-key":
        store.version_key(VersionKeyInput(branch_key_identifier=args[0]))
        return {}
    if command == "get-active":
        m = store.get_active_branch_key(GetActiveBranchKeyInput(branch_key_identifier=args[0])).branch_key_materials
        return {"version": m.branch_key_version, "key": bytes(m.branch_key).hex(), "context": m.encryption_context}
    if command == "get-version":
        m = store.get_branch_key_version(
            GetBranchKeyVersionInput(branch_key_identifier=args[0], branch_key_version=args[1])
        ).branch_key_materials
        return {"version": m.branch_key_version, "key": bytes(m.branch_key).hex()}
    if command == "get-beacon":
        m = store.get_beacon_key(GetBeaconKeyInput(branch_key_identifier=args[0])).beacon_key_materials
        return {"key": bytes(m.beacon_key).hex()}
    if command == "esdk-encrypt":
        message, _ = ESDK.encrypt(
            source=bytes.fromhex(args[2]), keyring=keyring(store, args[0]), encryption_context=args[1]
        )
        return {"message": message.hex()}
    if command == "esdk-decrypt":
        plaintext, header = ESDK.decrypt(source=bytes.fromhex(args[1]), keyring=keyring(store, args[0]))
        return {"plaintext": plaintext.hex(), "context": dict(header.encryption_context)}
    raise ValueError(f"unknown command {command}")


def main(argv):
    table, logical, arn, steps = argv
    store = key_store(table, logical, arn)
    results = []
    for command, *args in json.loads(steps):
        try:
            results.append(step(store, command, args))
        except Exception as error:  # the test asserts on the class name only
            results.append({"error": type(error).__name__})
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
