"""Runs the moto server on 127.0.0.1 and exits when the process that started it dies.

Why: a test run killed half-way (Ctrl-C twice, SIGKILL, a CI timeout) never reaches its
teardown, and an orphaned emulator would hold a port and memory until the machine is
recycled. Watching the parent pid makes the server die with its owner.
"""
import os
import sys
import threading
import time


def watch_parent(initial_parent: int) -> None:
    while True:
        if os.getppid() != initial_parent:
            os._exit(0)
        time.sleep(0.5)


def honour_copy_conditions() -> None:
    """moto 5.2.5 ignores these conditions; S3 honours them (API reference): CopyObject's
    x-amz-copy-source-if-match on the source and If-Match / If-None-Match on the destination,
    UploadPartCopy's x-amz-copy-source-if-match, CompleteMultipartUpload's If-Match; 412
    PreconditionFailed otherwise. phiseal's key rotation relies on them to
    never overwrite a concurrent write, so the emulator checks them before moto copies."""
    from urllib.parse import parse_qs, unquote, urlparse

    from moto.s3.exceptions import MissingKey, PreconditionFailed
    from moto.s3.responses import S3Response

    original = S3Response.copy_object

    def same(etag: str, wanted: str) -> bool:
        return etag.replace('"', "") == wanted.replace('"', "")

    def copy_object(self):  # type: ignore[no-untyped-def]
        source = self.headers.get("x-amz-copy-source")
        if isinstance(source, bytes):
            source = source.decode("utf-8")
        parsed = urlparse(source)
        src_bucket, src_key = unquote(parsed.path).lstrip("/").split("/", 1)
        src_version = parse_qs(parsed.query).get("versionId", [None])[0]
        src = self.backend.get_object(src_bucket, src_key, version_id=src_version)
        if_match = self.headers.get("x-amz-copy-source-if-match")
        if src is not None and if_match is not None and not same(src.etag, if_match):
            raise PreconditionFailed("x-amz-copy-source-If-Match")
        dest = self.backend.get_object(self.bucket_name, self.parse_key_name())
        dest_match = self.headers.get("If-Match")
        if dest_match is not None:
            if dest is None:
                raise MissingKey()
            if not same(dest.etag, dest_match):
                raise PreconditionFailed("If-Match")
        if self.headers.get("If-None-Match") == "*" and dest is not None:
            raise PreconditionFailed("If-None-Match")
        return original(self)

    S3Response.copy_object = copy_object

    original_part_copy = S3Response.upload_part_copy

    def upload_part_copy(self):  # type: ignore[no-untyped-def]
        if_match = self.headers.get("x-amz-copy-source-if-match")
        if if_match is not None:
            source = self.headers.get("x-amz-copy-source")
            if isinstance(source, bytes):
                source = source.decode("utf-8")
            parsed = urlparse(source)
            src_bucket, src_key = unquote(parsed.path).lstrip("/").split("/", 1)
            src_version = parse_qs(parsed.query).get("versionId", [None])[0]
            src = self.backend.get_object(src_bucket, src_key, version_id=src_version)
            if src is not None and not same(src.etag, if_match):
                raise PreconditionFailed("x-amz-copy-source-If-Match")
        return original_part_copy(self)

    S3Response.upload_part_copy = upload_part_copy

    original_post = S3Response._key_response_post

    def key_response_post(self, request, body, bucket_name, query, key_name):  # type: ignore[no-untyped-def]
        # CompleteMultipartUpload with If-Match (moto checks only If-None-Match there).
        upload = query.get("uploadId")
        if_match = self.headers.get("If-Match")
        if upload and if_match is not None:
            existing = self.backend.get_object(bucket_name, key_name)
            done = existing is not None and existing.multipart and existing.multipart.id == upload[0]
            if not done:
                if existing is None:
                    raise MissingKey()
                if not same(existing.etag, if_match):
                    raise PreconditionFailed("If-Match")
        return original_post(self, request, body, bucket_name, query, key_name)

    S3Response._key_response_post = key_response_post


def main() -> None:
    port = int(sys.argv[1])
    # The owner's pid comes from the owner itself: reading os.getppid() here would be too
    # late when the owner died while Python was still starting (the orphan's parent is then
    # already init or a subreaper, and would never change again).
    parent = int(sys.argv[2]) if len(sys.argv) > 2 else os.getppid()
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    from moto.server import ThreadedMotoServer

    honour_copy_conditions()

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"moto listening on 127.0.0.1:{port}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
