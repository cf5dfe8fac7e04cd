import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from brugwijzer.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("0", False), ("no", False), ("", None)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("BW_TEST_FLAG", raw)
    assert env_bool("BW_TEST_FLAG", default=None) is expected


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("BW_TEST_FLAG", "treu")
    with pytest.raises(ImproperlyConfigured, match="BW_TEST_FLAG"):
        env_bool("BW_TEST_FLAG", default=False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("BW_TEST_NUMBER", "seven")
    with pytest.raises(ImproperlyConfigured, match="BW_TEST_NUMBER"):
        env_int("BW_TEST_NUMBER", default=7)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("BW_TEST_HOSTS", " a.example, b.example ,,")
    assert env_list("BW_TEST_HOSTS", default=[]) == ["a.example", "b.example"]


def _settings_in_subprocess(show="settings.DEBUG", **env):
    """Print `show` (an expression over the settings) in a fresh process that has `env`."""
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({show})",
        ],
        cwd=ROOT,
        # No .env file: these tests are about what the environment alone gives.
        env={**clean, "DJANGO_SETTINGS_MODULE": "brugwijzer.settings", "BRUGWIJZER_ENV_FILE": "/nonexistent", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_subprocess()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert _settings_in_subprocess(SECRET_KEY="x" * 50).stdout.strip() == "False"
    assert _settings_in_subprocess(DEBUG="true").stdout.strip() == "True"


def test_every_environment_variable_is_documented():
    import re

    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', (ROOT / "brugwijzer" / "settings.py").read_text()))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert read, "no variables found: has the settings module changed its helpers?"
    for name in read:
        assert re.search(rf"^{name}=", example, re.MULTILINE), f"{name} is missing from .env.example"
        assert f"`{name}`" in readme or f"`{name}`," in readme, f"{name} is missing from the README's settings table"


def test_production_refuses_to_start_without_keys_for_family_details():
    result = _settings_in_subprocess(SECRET_KEY="x" * 50, BRUGWIJZER_FIELD_KEYS="")
    assert result.returncode != 0
    assert "BRUGWIJZER_FIELD_KEYS" in result.stderr


def test_a_dotenv_file_fills_in_what_the_environment_leaves_open(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\n")
    result = _settings_in_subprocess(BRUGWIJZER_ENV_FILE=str(env_file))
    assert result.stdout.strip() == "True"
    result = _settings_in_subprocess(BRUGWIJZER_ENV_FILE=str(env_file), DEBUG="false", SECRET_KEY="x" * 50)
    assert result.stdout.strip() == "False"


def test_redis_url_puts_the_cache_in_redis_and_sessions_in_cache_and_database():
    show = "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], settings.SESSION_ENGINE"
    result = _settings_in_subprocess(show, SECRET_KEY="x" * 50, REDIS_URL="redis://cache.example:6379/2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.core.cache.backends.redis.RedisCache redis://cache.example:6379/2 "
        "django.contrib.sessions.backends.cached_db"
    )


def test_without_redis_the_cache_is_per_process_and_sessions_are_in_the_database():
    show = "settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE"
    result = _settings_in_subprocess(show, SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db"
    )


def test_logs_are_json_in_production_and_text_in_debug_mode():
    show = "settings.LOGGING['handlers']['console']['formatter']"
    assert _settings_in_subprocess(show, SECRET_KEY="x" * 50).stdout.strip() == "json"
    assert _settings_in_subprocess(show, DEBUG="true").stdout.strip() == "text"
    result = _settings_in_subprocess(show, SECRET_KEY="x" * 50, BRUGWIJZER_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "BRUGWIJZER_LOG_FORMAT" in result.stderr
