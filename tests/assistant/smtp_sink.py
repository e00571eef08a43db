#!/usr/bin/env python3
"""A mail relay for the assistant's tests: an aiosmtpd SMTP server on
127.0.0.1:<port> that stores every message it receives as one file
(<dir>/<n>.eml, written to a temporary name and renamed, so a reader never
sees half a message) and prints "ready" once it accepts connections.

    python3 smtp_sink.py PORT DIR
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class StoreEachMessage:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%06d-%d.eml" % (self.count, os.getpid())
        tmp = os.path.join(self.directory, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.content if isinstance(envelope.content, bytes)
                    else envelope.content.encode("utf-8"))
        os.rename(tmp, os.path.join(self.directory, name))
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(StoreEachMessage(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
