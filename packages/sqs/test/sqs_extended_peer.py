"""Drives the official SQS Extended Client for Python (amazon-sqs-extended-client 1.0.1),
optionally wired to the official S3 Encryption Client for Python (4.0.0), against the test
emulator, for phiseal's interop tests. Usage:

  sqs_extended_peer.py receive <queue-url> <bucket> <kms-key-arn|-> <output-file> [delete]
      receive one message (payload resolved through the S3EC when a key is given, else the
      raw object bytes), write {"body"|"bodyHex", "receiptHandle", "attributes"} as JSON;
      with `delete`, delete it (and its payload) through the extended client.
  sqs_extended_peer.py send <queue-url> <bucket> <kms-key-arn|-> <body-file>
      send the file's text with always_through_s3, the payload encrypted by the S3EC when a
      key is given, else stored plain (the extended client's default).

Endpoint, region and credentials come from the environment (AWS_ENDPOINT_URL, ...).
Exits 0 on success; on failure prints the exception class to stderr and exits 3.
"""

import json
import sys

import boto3
import sqs_extended_client  # noqa: F401  (patches boto3.Session with the extended session)
from s3_encryption import S3EncryptionClient, S3EncryptionClientConfig
from s3_encryption.materials.kms_keyring import KmsKeyring
from s3_encryption.materials.materials import AlgorithmSuite, CommitmentPolicy


def extended_client(bucket, key_arn):
    session = boto3.session.Session()
    sqs = session.client("sqs")
    sqs.large_payload_support = bucket
    if key_arn != "-":
        config = S3EncryptionClientConfig(
            keyring=KmsKeyring(boto3.client("kms"), key_arn),
            encryption_algorithm=AlgorithmSuite.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
            commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
        )
        # The extended client keeps its S3 client in an attribute; an S3 Encryption Client
        # in its place encrypts on put and decrypts on get.
        sqs.s3_client = S3EncryptionClient(boto3.client("s3"), config)
    return sqs


def main(argv):
    command = argv[1]
    if command == "receive":
        queue_url, bucket, key_arn, out_path = argv[2:6]
        delete = len(argv) > 6 and argv[6] == "delete"
        sqs = extended_client(bucket, key_arn)
        if key_arn == "-":
            # Without an S3EC the payload is ciphertext; keep the bytes instead of .decode().
            sqs.retrieve_message_from_s3 = lambda body: _raw_payload(sqs, body)
        messages = []
        for _ in range(10):
            messages = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"], WaitTimeSeconds=1).get("Messages", [])
            if messages:
                break
        if not messages:
            raise RuntimeError("no message")
        message = messages[0]
        body = message["Body"]
        out = {"receiptHandle": message["ReceiptHandle"], "attributes": sorted(message.get("MessageAttributes", {}).keys())}
        if isinstance(body, bytes):
            out["bodyHex"] = body.hex()
        else:
            out["body"] = body
        if delete:
            sqs.delete_payload_from_s3 = True
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        with open(out_path, "w") as fh:
            json.dump(out, fh)
        return 0
    if command == "send":
        queue_url, bucket, key_arn, path = argv[2:6]
        sqs = extended_client(bucket, key_arn)
        sqs.always_through_s3 = True
        with open(path, "r", encoding="utf-8") as fh:
            body = fh.read()
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes={"origin": {"DataType": "String", "StringValue": "python"}})
        return 0
    raise SystemExit(f"unknown command {command}")


def _raw_payload(sqs, body):
    pointer = json.loads(body)[1]
    return sqs.s3_client.get_object(Bucket=pointer["s3BucketName"], Key=pointer["s3Key"])["Body"].read()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except SystemExit:
        raise
    except Exception as error:  # report the class only: messages may echo values
        print(type(error).__name__, file=sys.stderr)
        sys.exit(3)
