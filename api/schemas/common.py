"""Value types every request body shares, bounded to what the stores can hold.

The bounds are not cosmetic: a read-model column is ``VARCHAR(200)`` on
PostgreSQL, fen amounts are ``BIGINT``, and a string with a NUL character or a
lone surrogate cannot be stored at all. An event the read models cannot store
would stop a projection, so such input is refused here with 422, before a
command records anything.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text") from None
    return value


def _in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment < LATEST:
        raise ValueError("must be between 2000 and 2100")
    return moment


def _date_in_range(day: date) -> date:
    if not 2000 <= day.year < 2100:
        raise ValueError("must be between 2000 and 2100")
    return day


_NUMBER = re.compile(r"\s*[-+]?[0-9._]*([eE][-+]?[0-9]+)?\s*")


def _written_time(value: Any) -> Any:
    # pydantic would read 0 or "1700000000" as a Unix time: a time here is ISO 8601 text.
    if isinstance(value, (date, datetime)):
        return value
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        raise ValueError("an ISO 8601 text expected")
    return value


def _digits(value: Any) -> Any:
    # Query, path and header integers: plain digits, not "1.0", "+1" or "1_0".
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]{1,19}", value):
        raise ValueError("an integer expected")
    return value


def _true_false(value: Any) -> Any:
    if isinstance(value, str) and value not in ("true", "false"):
        raise ValueError("true or false expected")
    return value


def text(max_length: int, *, min_length: int = 1, pattern: str | None = None) -> Any:
    """A string type of at most ``max_length`` characters that the stores can hold."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern),
                     AfterValidator(_storable)]  # fmt: skip


Code = text(32)  # 事项编码、质量维度等短代码
Code64 = text(64)
Name = text(200)  # 名称 (read-model columns are VARCHAR(200))
Address = text(300)
Reason = text(2000)  # 理由、说明
LongText = text(4000, min_length=0)
Username = text(64, min_length=3, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$")
Password = text(128, min_length=8)
Region = text(12, pattern=r"^[0-9]{2,12}$")  # 行政区划代码
CreditCode = text(18, min_length=18, pattern=r"^[0-9A-HJ-NP-RTUW-Y]{18}$")  # 统一社会信用代码
Sha256 = text(64, min_length=64, pattern=r"^[0-9a-f]{64}$")
IdText = text(36)  # an id as text (UUID), in lists and maps
Phone = text(32, pattern=r"^[0-9][0-9-]{6,20}$")
Email = text(200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# 元, two decimals, at most a hundred billion: fen amounts must fit a BIGINT.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("100000000000"), max_digits=14, decimal_places=2)]
Moment = Annotated[AwareDatetime, BeforeValidator(_written_time), AfterValidator(_in_range)]  # 带时区的时间
Day = Annotated[date, BeforeValidator(_written_time), AfterValidator(_date_in_range)]
# In bodies, JSON types as the schema says: "1" is not an integer, 1 is not a boolean.
Int = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
# In the query, the path and headers (text by nature).
QueryInt = Annotated[int, BeforeValidator(_digits)]
QueryBool = Annotated[bool, BeforeValidator(_true_false)]
Reasons = Annotated[list[Reason], Field(min_length=1, max_length=20)]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo is a 422, not a silent default."""

    model_config = ConfigDict(extra="forbid")

    def command_data(self) -> dict[str, Any]:
        """Plain JSON data for a command (amounts as strings, times as ISO text), unset fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


class ReasonBody(Body):
    reason: Reason = Field(description="理由")


class ReasonsBody(Body):
    reasons: Reasons = Field(description="理由(一条或多条)")
