"""One data snapshot per request, and the cache behind it: in memory, in Redis, and with Redis down."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import Engine, func, select

from models.cache import DataCache, shared_cache
from models.db import engine_for, write_transaction
from models.recording import CellValue, apply_changes, plan_changes
from models.tables import Observation, Upload
from tests.web import WebClient


def record(engine: Engine, value: int) -> None:
    """Record DEU's 2020 count of identified victims (a write: the data version grows)."""
    upload = Upload(original_name="x.csv", sha256="0" * 64, size_bytes=1, file_format="csv",
                    uploaded_by="t", submitted_on=dt.date(2024, 1, 1), outcome="loaded")  # fmt: skip
    with write_transaction(engine) as session:
        session.add(upload)
        changes = plan_changes(session, [CellValue("DEU", "identified_victims", 2020, value)])
        apply_changes(session, changes, upload, "t", dt.datetime.now(dt.UTC))


def test_two_reads_in_one_request_see_one_version_even_when_a_write_lands_between(
    db_url: str, engine: Engine
) -> None:
    from app import server
    from dashboard import _data

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = db_url
    try:
        with server.test_request_context("/"):
            before = _data.status()
            rows = _data.session().scalar(select(func.count()).select_from(Observation))
            record(engine, 4321)  # another request's write, committed in the middle of this one
            after = _data.status()
            rows_after = _data.session().scalar(select(func.count()).select_from(Observation))
            table = _data.compliance("annual", 2020, 2020)
            assert after.version == before.version == _data.current_state()[1]
            assert rows_after == rows == 0  # an uncached read, in the same transaction: the old data
            assert 4321 not in set(table["value"].dropna())
        with server.test_request_context("/"):
            assert _data.status().version == before.version + 1  # the next request sees the write
            assert 4321 in set(_data.compliance("annual", 2020, 2020)["value"].dropna())
    finally:
        server.config["VID_DATABASE_URL"] = previous


def test_the_snapshot_is_opened_once_and_closed_when_the_request_ends(web: WebClient, db_url: str) -> None:
    from dashboard import _data
    from tests.dashboard.test_components import GRID_INPUTS, GRID_OUTPUTS

    engine = engine_for(db_url)
    assert web.callback(GRID_OUTPUTS, GRID_INPUTS).status_code == 200
    assert engine.pool.checkedout() == 0  # the request's read transaction ended with it
    from app import server

    with server.test_request_context("/"):
        assert _data.snapshot() is _data.snapshot()


def test_the_redis_cache_is_shared_by_every_process_that_names_it(redis_url: str, redis_prefix: str) -> None:
    from cachelib import RedisCache

    one = shared_cache(redis_url, redis_prefix)
    other = DataCache(
        RedisCache(host=redis_url.split("//")[1].split(":")[0], key_prefix=redis_prefix),
        redis_prefix,
        shared=True,
    )  # fmt: skip  (as another server builds it)
    one.set("outputs:db:e:1:abc", {"figure": [1, 2, 3]})
    assert other.get("outputs:db:e:1:abc") == {"figure": [1, 2, 3]}
    assert other.get("outputs:db:e:2:abc") is None  # another data version, another key
    one.clear()
    assert other.get("outputs:db:e:1:abc") is None


def test_a_cache_whose_redis_is_down_serves_from_memory_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = shared_cache("redis://127.0.0.1:1/0", "vid-test-down:")  # nothing listens on port 1
    computed: list[int] = []
    with caplog.at_level(logging.WARNING, logger="vidmonitor.cache"):
        for _ in range(3):
            assert down.get_or_compute("k", lambda: computed.append(1) or len(computed)) == 1
    assert computed == [1]  # kept in this process's memory meanwhile
    lines = [record.getMessage() for record in caplog.records if record.name == "vidmonitor.cache"]
    assert len(lines) == 1
    assert lines[0].startswith("shared cache unavailable (ConnectionError")


def test_pages_answer_while_the_shared_cache_is_down(
    web: WebClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from app import server
    from dashboard import _data
    from tests.dashboard.test_components import GRID_INPUTS, GRID_OUTPUTS

    down = DataCache(shared_cache("redis://127.0.0.1:1/0", "vid-test-down:")._backend, "x:", shared=True)
    monkeypatch.setitem(server.extensions, "vid_cache", down)
    with caplog.at_level(logging.WARNING, logger="vidmonitor.cache"):
        first = web.callback(GRID_OUTPUTS, GRID_INPUTS)
        again = web.callback(GRID_OUTPUTS, GRID_INPUTS)
        page = web.page("/compliance")
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.headers[_data.CACHE_HEADER], again.headers[_data.CACHE_HEADER]) == ("miss", "hit")
    assert "Compliance" in page  # web.page checked it answered 200
    assert len([r for r in caplog.records if r.name == "vidmonitor.cache"]) == 1


def test_an_unknown_cache_url_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="VID_CACHE_URL must be a redis://"):
        shared_cache("memcached://127.0.0.1:11211", "vid:")


def test_a_file_prepared_by_one_server_is_confirmed_by_another_without_reading_it_again(
    web: WebClient,
    accounts: dict[str, str],
    redis_url: str,
    redis_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app import server
    from dashboard.pages import _upload_inputs
    from tests.conftest import PASSWORD
    from tests.dashboard.uploads import GOOD, confirm, preview, text

    monkeypatch.setitem(server.extensions, "vid_cache", shared_cache(redis_url, redis_prefix))
    first = _upload_inputs.PreparedUploads()  # the prepared files of one server's process...
    monkeypatch.setattr(_upload_inputs, "prepared_uploads", first)
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "no problems found" in text(preview(web, GOOD))
    other = _upload_inputs.PreparedUploads()  # ... and another's, which never saw the file
    monkeypatch.setattr(_upload_inputs, "prepared_uploads", other)
    assert "Recorded — your receipt" in text(confirm(web, GOOD))
    assert (first.prepared, other.prepared) == (1, 0)  # read and validated once, by the first
