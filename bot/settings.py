"""Every setting of the bot, read from the environment or `.env`, in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_FILE = ".env"


class SettingsFileError(Exception):
    """The `.env` file is there but cannot be read as UTF-8 text; the message says why."""


class Settings(BaseSettings):
    """Built in main(), never at import, so tests and commands can pass their own values."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    @classmethod
    def load(cls) -> Self:
        """Settings from the environment and `.env`; SettingsFileError if `.env` is unreadable."""
        try:
            return cls()
        except UnicodeDecodeError:
            raise SettingsFileError(_not_utf8(Path(ENV_FILE))) from None
        except OSError as exc:
            raise SettingsFileError(f"cannot read {ENV_FILE}: {exc.strerror}") from None

    discord_token: SecretStr | None = None
    knowledge_dir: Path = Path("knowledge")
    database_path: str = "data/talent-bot.db"
    # What admins entered (audit log, news channels): never derived, so never in database_path.
    state_database_path: str = "data/state.db"
    state_database_url: SecretStr | None = None  # postgresql://…: shared by every machine
    watch_knowledge: bool = True  # reload when the files change, without /reload
    # A reload waits until the files have been quiet this long, but no longer than the second.
    watch_quiet_seconds: float = Field(default=1.0, gt=0, le=60)
    watch_max_seconds: float = Field(default=5.0, gt=0, le=600)
    log_level: str = "INFO"
    max_knowledge_file_bytes: int = Field(default=1024 * 1024, ge=1)

    discord_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    discord_cdn_base: str | None = None  # where attachments are downloaded from (tests: a fake)
    admin_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_role_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    cooldown_rate: int = Field(default=5, ge=1)
    cooldown_seconds: float = Field(default=10.0, gt=0)
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: Annotated[list[int] | None, NoDecode] = None

    @field_validator("admin_user_ids", "admin_role_ids", "shard_ids", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        # `ADMIN_USER_IDS=1,2` reads more naturally in a .env file than a JSON list.
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shards(cls, value: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if not value or "shard_count" not in info.data:
            return value  # an invalid SHARD_COUNT has an error of its own
        count = info.data["shard_count"]
        if count is None:
            # Without the total, discord.py would ignore the ids and run every shard here.
            raise PydanticCustomError(
                "shard_ids", "SHARD_IDS needs SHARD_COUNT, the total number of shards"
            )
        wrong = sorted({i for i in value if not 0 <= i < count})
        if wrong:
            raise PydanticCustomError(
                "shard_ids",
                "SHARD_IDS must be from 0 to {last} (SHARD_COUNT - 1); got {wrong}",
                {"last": count - 1, "wrong": ", ".join(map(str, wrong))},
            )
        if len(set(value)) != len(value):
            raise PydanticCustomError("shard_ids", "SHARD_IDS lists a shard twice")
        return value

    @field_validator("discord_cdn_base")
    @classmethod
    def _cdn_base(cls, value: str | None) -> str | None:
        # Checked at start: a bad base would otherwise fail only at the first upload.
        if value is None:
            return value
        scheme, _, rest = value.partition("://")
        if scheme not in ("http", "https") or not rest.split("/")[0]:
            raise PydanticCustomError(
                "cdn_base", "DISCORD_CDN_BASE must be an http(s) URL such as http://host:port/cdn"
            )
        return value.rstrip("/")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level


def _not_utf8(path: Path) -> str:
    """Where a file stops being UTF-8, by line: never its content, which may hold the token."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        return f"{path} is not UTF-8 text (line {line}); save it as UTF-8"
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    return f"{path} is not UTF-8 text; save it as UTF-8"  # changed since it was read
