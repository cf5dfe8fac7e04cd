"""Benchmark the key pages of Brugwijzer on a seeded PostgreSQL database (issue #8 parts 2 and 3).

For each scale asked for (its database filled by `manage.py seed_scale --scale …`):

1. in this process, with Django set up against that database: pick the people and objects the
   pages are about, give each person a verified session (a confirmed TOTP device and django-otp's
   `otp_login`, as a completed code step leaves it), and count the queries of every page with
   Django's test client and `CaptureQueriesContext` (after one warm-up request);
2. start gunicorn (2 sync workers, production settings but plain http) on a free port and wait for
   /readyz;
3. run `bench/load.py` in a separate process: N requests per page with the session cookies, then
   enough mixed requests that the workers have served `--soak` requests in all;
4. read the workers' resident memory from /proc/<pid>/status, stop gunicorn, write
   bench/results/<scale>.json.

`bench/report.py` then prints the table with the ratios to the baseline and the growth between
scales. `make bench` runs both. Nothing here is part of the test suite or CI.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATABASES = {
    "full": "brugwijzer_bench",
    "tenth": "brugwijzer_bench_tenth",
    "hundredth": "brugwijzer_bench_hundredth",
}
# Production settings except plain http and unhashed static files (no collectstatic needed);
# a bench-only secret and field key. The same values for gunicorn and for this process.
ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret",
    "BRUGWIJZER_HTTPS": "false",
    "BRUGWIJZER_MANIFEST_STATIC": "false",
    "BRUGWIJZER_FIELD_KEYS": "dGVzdHMtb25seS1maWVsZC1rZXktYnJ1Z3dpanplcjA=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "BRUGWIJZER_LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def database_url(scale: str) -> str:
    base = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{DATABASES[scale]}"


def setup_django(scale: str):
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = database_url(scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brugwijzer.settings")
    os.environ["BRUGWIJZER_ENV_FILE"] = "/nonexistent"  # not the developer's .env (DEBUG=true)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def actors():
    """The people and objects the pages are about: the first school of the seeded set and its
    team, its municipality's official, one of its open referrals and its round in discussion."""
    from accounts.models import User
    from accounts.roles import Role
    from referrals.models import Referral
    from reflection.models import Phase, Round
    from schools.models import School
    from welfare.models import NeedCategory

    school = School.objects.order_by("institution_number").first()
    if school is None:
        raise SystemExit("This database holds no schools: run `manage.py seed_scale` first.")

    def holder(role, **tenant):
        return (
            User.objects.filter(memberships__role=role, **{f"memberships__{k}": v for k, v in tenant.items()})
            .order_by("pk")
            .first()
        )

    director = holder(Role.DIRECTOR, school=school)
    coordinator = holder(Role.CARE_COORDINATOR, school=school)
    official = holder(Role.LOCAL_OFFICIAL, municipality=school.municipality)
    referral = Referral.objects.for_school(school).open().exclude(state="draft").order_by("created_at", "id").first()
    round_ = Round.objects.for_tenant(school).filter(phase=Phase.TEAM).first()
    return {
        "school": school,
        "director": director,
        "coordinator": coordinator,
        "official": official,
        "referral": referral,
        "round": round_,
        "needs": [str(n.pk) for n in NeedCategory.objects.order_by("position")],
    }


def verified_session(user) -> str:
    """A session key for `user`, logged in and past the code step (django-otp's otp_login with a
    confirmed TOTP device, created here for bench users who have none)."""
    from django.http import HttpRequest
    from django.test import Client
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()
    return request.session.session_key


def pages(a):
    """(name, path, who) for every page measured; who is None for a public page."""
    from django.urls import reverse

    school = a["school"].public_id
    pages = [
        ("baseline (privacy page)", reverse("privacy"), None),
        ("school home", reverse("schools:home", kwargs={"school_id": school}), "director"),
        ("directory search", reverse("welfare:directory") + "?q=budgetbegeleiding", "director"),
        ("Ken je buurt map", reverse("schools:map", kwargs={"school_id": school}), "director"),
        ("signals overview", reverse("referrals:signals", kwargs={"school_id": school}), "director"),
        ("referral list", reverse("referrals:referrals", kwargs={"school_id": school}), "coordinator"),
    ]
    if a["referral"]:
        path = reverse("referrals:referral", kwargs={"school_id": school, "referral_id": a["referral"].pk})
        pages.append(("referral detail", path, "coordinator"))
    pages.append(("follow-ups", reverse("referrals:followups"), "coordinator"))
    if a["round"]:
        path = reverse("reflection:team", kwargs={"kind": "school", "tenant_id": school, "round_id": a["round"].pk})
        pages.append(("reflection team view", path, "director"))
    path = reverse("network:dashboard", kwargs={"municipality_id": a["school"].municipality.public_id})
    pages.append(("municipal dashboard", path, "official"))
    pages.append(("HSDS /services", reverse("welfare:api_services"), None))
    return pages


def count_queries(page_list, sessions):
    """Queries per request of every page, with the test client against the same database."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, who in page_list:
        client = Client()
        if who:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[who]
        client.get(path)  # warm-up: per-process caches, the session's first renewal
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code} in the test client")
        counts[name] = len(captured.captured_queries)
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(scale: str, port: int, log):
    env = {**os.environ, **ENV, "DATABASE_URL": database_url(scale), "BRUGWIJZER_ENV_FILE": "/nonexistent"}
    # Two sync workers; no recycling, so the memory measured is that of workers that served every
    # request (production recycles after 1000 ± 100, which only lowers it).
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_MAX_REQUESTS": "0"}
    env |= {"GUNICORN_LOG_LEVEL": "warning"}
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn from the virtual environment
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not become ready within 60 s")


def workers_of(master_pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(master_pid):
                children.append(int(entry.name))
    return sorted(children)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()[0].split()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(int(meminfo[1]) / 1024 / 1024, 1),
        "postgresql": postgres,
        "python": sys.version.split()[0],
        "note": "2 cores shared with two other engineers' work; numbers are noisy",
    }


def row_counts() -> dict:
    from accounts.models import User
    from places.models import Municipality
    from referrals.models import Consent, Referral, ReferralEvent, Signal
    from reflection.models import Round
    from schools.models import School
    from welfare.models import Service, WelfareOrganisation

    models = {
        "municipalities": Municipality, "schools": School, "organisations": WelfareOrganisation,
        "services": Service, "users": User, "signals": Signal, "referrals": Referral,
        "consents": Consent, "referral_events": ReferralEvent, "rounds": Round,
    }  # fmt: skip
    return {name: model.objects.count() for name, model in models.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(DATABASES), required=True)
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads per page (default 2)")
    parser.add_argument("--soak", type=int, default=10_000, help="requests in all before reading worker memory")
    args = parser.parse_args()

    setup_django(args.scale)
    from django.core.management import call_command

    a = actors()
    sessions = {who: verified_session(a[who]) for who in ("director", "coordinator", "official")}
    page_list = pages(a)
    # What production does every night (build_dashboards): publish the measured municipality's
    # dashboard, so the page measured is the one officials get. Building it is measured here too.
    print(f"[{args.scale}] publishing the municipal dashboard …", flush=True)
    started = time.monotonic()
    call_command("build_dashboards", a["school"].municipality.nis_code, verbosity=0)
    publish_seconds = round(time.monotonic() - started, 2)
    print(f"[{args.scale}] counting queries per request …", flush=True)
    queries = count_queries(page_list, sessions)

    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(RESULTS / f"gunicorn-{args.scale}.log", "w") as log:
        server = start_gunicorn(args.scale, port, log)
        try:
            plan = {
                "base": f"http://127.0.0.1:{port}",
                "cookie_name": "sessionid",
                "pages": [{"name": n, "path": p, "session": sessions.get(w)} for n, p, w in page_list],
                "requests": args.requests,
                "concurrency": args.concurrency,
                "soak": args.soak,
            }
            print(f"[{args.scale}] load from a separate process: {args.requests} requests per page …", flush=True)
            done = subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "bench" / "load.py")],
                input=json.dumps(plan),
                capture_output=True,
                text=True,
                check=True,
            )
            load = json.loads(done.stdout)
            workers = workers_of(server.pid)
            memory = {str(pid): round(rss_mb(pid), 1) for pid in workers}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)

    result = {
        "scale": args.scale,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "rows": row_counts(),
        "settings": {"workers": 2, "requests_per_page": args.requests, "concurrency": args.concurrency},
        "pages": [
            {**load["pages"][name], "name": name, "path": path, "queries": queries[name]}
            for name, path, _w in page_list
        ],
        "total_requests": load["total_requests"],
        "worker_rss_mb": memory,
        # build_dashboards for the measured municipality: its dashboard (and any region's) in
        # every language, built from the live aggregate queries.
        "publish_dashboard_seconds": publish_seconds,
        "errors": load["errors"],
    }
    out = RESULTS / f"{args.scale}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"[{args.scale}] wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
