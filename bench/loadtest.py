"""Load test (issue #8 part 4): 50 simulated people run mixed journeys for 60 seconds against
gunicorn (2 workers) and PostgreSQL, and nothing may fail or get lost.

The parent process sets Django up against the bench database, gives each simulated person a
verified session (as bench/run.py does), starts gunicorn and then runs this same file with
`--client` as a separate process without Django: one thread per person, each looping through its
journey with its own keep-alive connection, logging signals through the real form (GET the form,
POST it back with the CSRF token) along the way. Afterwards the parent compares the signals the
clients saw saved (a 302 after the POST) with the rows in the database, person by person, and
writes bench/results/loadtest-<scale>.json.

    .venv/bin/python bench/loadtest.py --scale tenth [--users 50] [--seconds 60]
"""

import argparse
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the client process (no Django) ------------------------------------------------------------


class Person:
    def __init__(self, base, spec, deadline, tally, lock):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.spec, self.deadline, self.tally, self.lock = spec, deadline, tally, lock
        self.cookies = {"sessionid": spec["session"]}
        self.http = None
        self.written = 0

    def request(self, method, path, body=None):
        headers = {"Accept-Language": "nl-BE", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.http is None:
                self.http = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.http.request(method, path, body=body, headers=headers)
                response = self.http.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError) as error:
                self.http.close()
                self.http = None
                # A keep-alive connection the server closed between requests: retry a GET once.
                if attempt or method != "GET":
                    self.count(f"{method} connection error {type(error).__name__}")
                    return 0, ""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        self.count(f"{method} {response.status}")
        return response.status, text

    def count(self, key):
        with self.lock:
            self.tally[key] += 1

    def log_signal(self):
        status, page = self.request("GET", self.spec["new_signal"])
        found = TOKEN.search(page)
        if status != 200 or not found:
            return
        self.written += 1  # counted as attempted; the row must exist if the answer was a redirect
        body = urlencode(
            {
                "csrfmiddlewaretoken": found.group(1),
                "received_on": self.spec["today"],
                "need": self.spec["need"],
                "channel": "staff_observation",
                "action": "handled_internally",
                "note": f"{self.spec['marker']} {self.spec['email']} {self.written}",
            }
        )
        status, _text = self.request("POST", self.spec["new_signal"], body)
        if status != 302:
            self.written -= 1
            self.count("POST signal not saved")

    def run(self):
        while time.monotonic() < self.deadline:
            for step in self.spec["journey"]:
                if time.monotonic() >= self.deadline:
                    break
                if step == "log_signal":
                    self.log_signal()
                else:
                    self.request("GET", step)
        return self.written


def client():
    plan = json.load(sys.stdin)
    tally, lock, written = Counter(), threading.Lock(), {}
    deadline = time.monotonic() + plan["seconds"]
    people = [Person(plan["base"], spec, deadline, tally, lock) for spec in plan["people"]]

    def go(person):
        written[person.spec["email"]] = person.run()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump({"seconds": round(time.monotonic() - started, 1), "tally": tally, "written": written}, sys.stdout)


# --- the parent process (Django) ---------------------------------------------------------------


def people_for(users: int, marker: str):
    import run
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from referrals.models import Referral
    from reflection.models import Phase, Round
    from schools.models import School
    from welfare.models import NeedCategory

    needs = [str(n.pk) for n in NeedCategory.objects.order_by("position")]
    today = timezone.localdate().isoformat()
    specs = []
    schools = list(School.objects.order_by("institution_number")[:20])
    roles = [Role.CARE_COORDINATOR, Role.TEACHER, Role.DIRECTOR, Role.TEACHER, Role.ADMIN_STAFF]
    index = 0
    while len(specs) < users - 2:
        school = schools[index % len(schools)]
        role = roles[(index // len(schools)) % len(roles)]
        index += 1
        taken = {s["email"] for s in specs}
        user = (
            User.objects.filter(memberships__school=school, memberships__role=role)
            .exclude(email__in=taken)
            .order_by("pk")
            .first()
        )
        if user is None:
            continue
        sid = school.public_id
        journey = [reverse("schools:home", kwargs={"school_id": sid}), "log_signal"]
        journey.append(reverse("welfare:directory") + "?q=onthaal")
        if role == Role.CARE_COORDINATOR:
            journey.append(reverse("referrals:referrals", kwargs={"school_id": sid}))
            referral = Referral.objects.for_school(school).open().exclude(state="draft").first()
            if referral:
                journey.append(reverse("referrals:referral", kwargs={"school_id": sid, "referral_id": referral.pk}))
            journey.append(reverse("referrals:followups"))
        elif role == Role.DIRECTOR:
            journey.append(reverse("referrals:signals", kwargs={"school_id": sid}))
            found = Round.objects.for_tenant(school).filter(phase=Phase.TEAM).first()
            if found:
                journey.append(
                    reverse("reflection:team", kwargs={"kind": "school", "tenant_id": sid, "round_id": found.pk})
                )
        else:
            journey.append(reverse("schools:map", kwargs={"school_id": sid}))
        journey.append(reverse("welfare:api_services"))
        specs.append(
            {
                "email": user.email,
                "session": run.verified_session(user),
                "journey": journey,
                "new_signal": reverse("referrals:new_signal", kwargs={"school_id": sid}),
                "need": needs[len(specs) % len(needs)],
                "today": today,
                "marker": marker,
            }
        )
    for school in schools[:2]:
        official = User.objects.filter(
            memberships__municipality=school.municipality, memberships__role=Role.LOCAL_OFFICIAL
        ).first()
        path = reverse("network:dashboard", kwargs={"municipality_id": school.municipality.public_id})
        journey = [path, reverse("welfare:directory")]
        session = run.verified_session(official)
        specs.append(
            {"email": official.email, "session": session, "journey": journey, "new_signal": "", "need": "",
             "today": today, "marker": marker}
        )  # fmt: skip
    return specs


def parent():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["hundredth", "tenth", "full"], required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.setup_django(args.scale)
    from referrals.models import Signal

    marker = f"loadtest-{uuid.uuid4().hex[:8]}"
    people = people_for(args.users, marker)
    port = run.free_port()
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    with open(run.RESULTS / f"gunicorn-loadtest-{args.scale}.log", "w") as log:
        server = run.start_gunicorn(args.scale, port, log)
        try:
            print(f"[{args.scale}] {len(people)} people for {args.seconds} s …", flush=True)
            done = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--client"],
                input=json.dumps({"base": f"http://127.0.0.1:{port}", "people": people, "seconds": args.seconds}),
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    outcome = json.loads(done.stdout)
    stored = Counter(
        note.rsplit(" ", 2)[1] for note in Signal.objects.filter(note__startswith=marker).values_list("note", flat=True)
    )
    written = {email: n for email, n in outcome["written"].items() if n}
    lost = {email: (n, stored.get(email, 0)) for email, n in written.items() if stored.get(email, 0) != n}
    extra = {email: n for email, n in stored.items() if email not in written}
    tally = outcome["tally"]
    requests = sum(n for key, n in tally.items() if key.split()[1].isdigit())
    errors = {key: n for key, n in tally.items() if not re.fullmatch(r"GET 200|POST 302", key)}
    result = {
        "scale": args.scale,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "people": len(people),
        "seconds": outcome["seconds"],
        "requests": requests,
        "requests_per_second": round(requests / outcome["seconds"], 1),
        "statuses": dict(sorted(tally.items())),
        "errors": errors,
        "server_errors": sum(n for key, n in tally.items() if key.split()[1].startswith("5")),
        "signals_written": sum(written.values()),
        "signals_stored": sum(stored.values()),
        "lost_writes": lost,
        "unexpected_rows": extra,
    }
    out = run.RESULTS / f"loadtest-{args.scale}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "statuses"}, indent=2))
    print(f"statuses: {result['statuses']}")
    ok = not errors and not lost and not extra and result["signals_written"] == result["signals_stored"]
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1:] == ["--client"]:
        client()
    else:
        parent()
