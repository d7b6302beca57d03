"""Stored events decoded for the read side: the library's result, in about two thirds of the time.

A rebuild decodes every event it handles, and decoding was a fifth of its time
(bench/projections.py). ``JSONTranscoder.decode`` parses with the standard library and
calls a Python hook for every JSON object. ``FastJSONTranscoder`` parses with orjson
and then walks only the containers, turning ``{"_type_": …, "_data_": …}`` objects back
into values with the same registered transcodings, inner ones first, exactly as the hook
does. What orjson refuses (integers beyond 64 bits, NaN) goes to the library's decoder,
so the two never disagree (tests/projections/test_decoding.py compares them on every
event of the demo market).

Only reading changes: events are still encoded by the library's transcoder, and the
stored format is untouched.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper


class FastJSONTranscoder(JSONTranscoder):
    def decode(self, data: bytes) -> Any:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            return super().decode(data)
        kind = type(value)
        if kind is dict:
            return self._object(value)
        if kind is list:
            return self._array(value)
        return value

    def _object(self, obj: dict[str, Any]) -> Any:
        for key, value in obj.items():
            kind = type(value)
            if kind is dict:
                obj[key] = self._object(value)
            elif kind is list:
                obj[key] = self._array(value)
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return self._decode_obj(obj)  # the library's own lookup and error for an unknown name
        return obj

    def _array(self, items: list[Any]) -> list[Any]:
        for i, value in enumerate(items):
            kind = type(value)
            if kind is dict:
                items[i] = self._object(value)
            elif kind is list:
                items[i] = self._array(value)
        return items


def read_side_mapper(mapper: Mapper) -> Mapper:
    """A mapper like ``mapper`` whose transcoder decodes faster, when it is the library's JSON one."""
    if type(mapper.transcoder) is not JSONTranscoder:
        return mapper  # a custom transcoder: decode with it, as written
    fast = FastJSONTranscoder()
    for transcoding in mapper.transcoder.names.values():
        fast.register(transcoding)
    return type(mapper)(transcoder=fast, compressor=mapper.compressor, cipher=mapper.cipher)
