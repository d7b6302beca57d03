"""The read side's faster decoding gives exactly the library's events."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.persistence import TranscodingNotRegisteredError

from projections.decoding import FastJSONTranscoder, read_side_mapper
from tests.projections.scenarios import busy_market


def test_every_event_of_a_busy_market_decodes_to_what_the_library_decodes(market, world, clock):
    busy_market(market, world, clock)
    fast = read_side_mapper(market.mapper)
    assert isinstance(fast.transcoder, FastJSONTranscoder)

    stored = market.recorder.select_notifications(start=1, limit=100_000)
    assert len(stored) > 100
    for notification in stored:
        library, ours = market.mapper.to_domain_event(notification), fast.to_domain_event(notification)
        assert type(ours) is type(library) and ours.__dict__ == library.__dict__, notification.topic


def test_tagged_values_nest_and_what_orjson_refuses_goes_to_the_library(market):
    library = market.mapper.transcoder
    fast = read_side_mapper(market.mapper).transcoder
    value = {"a": [{"b": Decimal("1.50"), "c": [uuid4(), {"d": None}]}], "_type_": "not a tag: three keys", "e": 2**70}
    encoded = library.encode(value)

    assert fast.decode(encoded) == library.decode(encoded) == value
    with pytest.raises(TranscodingNotRegisteredError):
        fast.decode(b'{"_type_": "unknown", "_data_": 1}')
