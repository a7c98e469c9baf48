"""gunicorn at the test's moved clock: TRACKER_TEST_NOW (a Unix time), ticking on from there.

The server of the load tests runs in its own processes, which the test session's time travel
(``--clock``) does not reach; its session cookies would expire by another clock than the
clients' (http.cookiejar) judge them by. The workers are forked from this master, so they
inherit the travel.
"""

import os
import sys

import time_machine
from gunicorn.app.wsgiapp import run

if __name__ == "__main__":
    time_machine.travel(float(os.environ["TRACKER_TEST_NOW"]), tick=True).start()
    sys.exit(run())
