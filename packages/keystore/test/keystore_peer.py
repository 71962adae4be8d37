"""Interop peer: the official AWS Cryptographic Material Providers key store (Python, 1.11.x).

Driven by the phiseal tests against the emulator (AWS_ENDPOINT_URL). Prints one JSON object
on success; on failure prints the error's class name to stderr and exits 3.

usage: keystore_peer.py <command> <table> <logical-name> <kms-key-arn> [args...]
  create-table
  create-key [branch-key-id context-json]
  version-key <id>
  get-active <id>            -> {"version", "key", "context"}
  get-version <id> <version> -> {"version", "key"}
  get-beacon <id>            -> {"key"}
"""
import json
import sys

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


def main(argv):
    command, table, logical, arn, *rest = argv
    store = key_store(table, logical, arn)
    if command == "create-table":
        out = store.create_key_store(CreateKeyStoreInput())
        return {"tableArn": out.table_arn}
    if command == "create-key":
        if rest:
            out = store.create_key(CreateKeyInput(branch_key_identifier=rest[0], encryption_context=json.loads(rest[1])))
        else:
            out = store.create_key(CreateKeyInput())
        return {"branchKeyId": out.branch_key_identifier}
    if command == "version-key":
        store.version_key(VersionKeyInput(branch_key_identifier=rest[0]))
        return {}
    if command == "get-active":
        m = store.get_active_branch_key(GetActiveBranchKeyInput(branch_key_identifier=rest[0])).branch_key_materials
        return {"version": m.branch_key_version, "key": bytes(m.branch_key).hex(), "context": m.encryption_context}
    if command == "get-version":
        m = store.get_branch_key_version(
            GetBranchKeyVersionInput(branch_key_identifier=rest[0], branch_key_version=rest[1])
        ).branch_key_materials
        return {"version": m.branch_key_version, "key": bytes(m.branch_key).hex()}
    if command == "get-beacon":
        m = store.get_beacon_key(GetBeaconKeyInput(branch_key_identifier=rest[0])).beacon_key_materials
        return {"key": bytes(m.beacon_key).hex()}
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        print(json.dumps(main(sys.argv[1:])))
    except SystemExit:
        raise
    except Exception as error:  # the test asserts on the class name only
        print(type(error).__name__, file=sys.stderr)
        sys.exit(3)
