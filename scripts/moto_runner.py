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


def main() -> None:
    port = int(sys.argv[1])
    # The owner's pid comes from the owner itself: reading os.getppid() here would be too
    # late when the owner died while Python was still starting (the orphan's parent is then
    # already init or a subreaper, and would never change again).
    parent = int(sys.argv[2]) if len(sys.argv) > 2 else os.getppid()
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"moto listening on 127.0.0.1:{port}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
