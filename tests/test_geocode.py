"""`seatlas geocode` with fake geocoders: what it asks, what it keeps, what it refuses; no network."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from seatlas.cli import geocode
from seatlas.cli import main as cli
from seatlas.model import geography
from seatlas.model.load import load_data
from seatlas.model.validation import load

MANUAL = """\
# 좌표 파일의 머리 주석: 그대로 남아야 합니다.

- id: {id}
  lat: {lat}
  lon: {lon}
  precision: rooftop
  method: manual   # 손으로 확인한 값
  reviewed: true
  as_of: 2024-01-02
"""


@dataclass
class Answer:
    latitude: float
    longitude: float


class FakeGeocoder:
    """Answers from a table (query → Answer, None or an exception), recording every query."""

    def __init__(self, answers: dict, default=None):
        self.answers = answers
        self.default = default
        self.asked: list[str] = []

    def geocode(self, query: str):
        self.asked.append(query)
        answer = self.answers.get(query, self.default)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _placed(atlas):
    """Records with a road address and a legal dong, so their dong centre is a point inside."""
    return [
        r
        for kind in geography.PLACED_KINDS
        for r in atlas.all(kind)
        if r.get("road_address") and r.get("legal_dong") and r.get("district")
    ]


@pytest.fixture
def data(project: Path):
    data_dir = project / "data"
    (data_dir / "coordinates.yml").unlink(missing_ok=True)
    atlas, problems = load_data(data_dir)
    assert not problems
    return data_dir, atlas


def _inside(r):
    return Answer(*geography.dong_centre(r["district"], r["legal_dong"]))


def _elsewhere(r):
    """A point in another district than the record's."""
    other = next(code for code in ("11680", "11110", "11380") if code != r["district"])
    p = geography.districts()[other].geometry.representative_point()
    return Answer(p.y, p.x)


def _city(atlas, r):
    return atlas.get("districts", r["district"])["city"]


def test_queries_go_from_full_address_to_street():
    qs = geocode.queries("서울특별시", "은평구 통일로 684 서울혁신파크 미래청 1층")
    assert [q.text for q in qs] == [
        "서울특별시 은평구 통일로 684 서울혁신파크 미래청 1층",
        "서울특별시 은평구 통일로 684",
        "서울특별시 은평구 통일로",
    ]
    assert [q.precision for q in qs] == ["rooftop", "rooftop", "street"]
    assert [q.text for q in geocode.queries("서울특별시", "종로구 종로 1")] == [
        "서울특별시 종로구 종로 1",
        "서울특별시 종로구 종로",
    ]


def test_accepted_answers_are_appended_and_valid(data):
    data_dir, atlas = data
    targets = _placed(atlas)[:3]
    fake = FakeGeocoder({f"{_city(atlas, r)} {r['road_address']}": _inside(r) for r in targets})
    lines = []
    accepted, failed = geocode.run(
        atlas, data_dir / "coordinates.yml", fake.geocode, "geopy:fake", {r.id for r in targets}, lines.append
    )
    assert (accepted, failed) == (3, 0)
    text = (data_dir / "coordinates.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/coordinates.schema.json\n")
    entries = yaml.safe_load(text)
    assert [e["id"] for e in entries] == [r.id for r in targets]
    for e, r in zip(entries, targets, strict=True):
        assert e["reviewed"] is False
        assert e["method"] == "geopy:fake"
        assert e["query"] == f"{_city(atlas, r)} {r['road_address']}"
        assert e["precision"] == "rooftop"
    # The appended file passes the build's own checks, boundaries included.
    atlas2, problems = load(data_dir, extra_checks=(geography.check_places,))
    assert problems == []
    assert {c.id for c in atlas2.all("coordinates")} == {r.id for r in targets}


def test_existing_entries_and_comments_are_kept_and_not_asked_again(data):
    data_dir, atlas = data
    first, second = _placed(atlas)[:2]
    lat, lon = geography.dong_centre(first["district"], first["legal_dong"])
    manual = MANUAL.format(id=first.id, lat=lat, lon=lon)
    path = data_dir / "coordinates.yml"
    path.write_text(manual, encoding="utf-8")
    fake = FakeGeocoder({}, default=None)
    fake.answers = {q.text: _inside(second) for q in geocode.queries(_city(atlas, second), second["road_address"])}
    accepted, failed = geocode.run(atlas, path, fake.geocode, "geopy:fake", {first.id, second.id}, lambda _m: None)
    assert (accepted, failed) == (1, 0)
    assert not any(first["road_address"] in q for q in fake.asked)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(manual), "the manual entry and the header comment must stay byte for byte"
    assert [e["id"] for e in yaml.safe_load(text)] == [first.id, second.id]


def test_answers_outside_the_district_are_refused_and_simpler_forms_tried(data):
    data_dir, atlas = data
    r = next(r for r in _placed(atlas) if len(geocode.queries(_city(atlas, r), r["road_address"])) >= 2)
    qs = geocode.queries(_city(atlas, r), r["road_address"])
    fake = FakeGeocoder({qs[0].text: _elsewhere(r), qs[1].text: _inside(r)})
    lines = []
    accepted, _ = geocode.run(atlas, data_dir / "coordinates.yml", fake.geocode, "geopy:fake", {r.id}, lines.append)
    assert accepted == 1
    assert fake.asked[:2] == [qs[0].text, qs[1].text]
    entry = yaml.safe_load((data_dir / "coordinates.yml").read_text(encoding="utf-8"))[0]
    assert entry["query"] == qs[1].text


def test_all_answers_outside_is_reported_and_nothing_written(data):
    data_dir, atlas = data
    r = _placed(atlas)[0]
    fake = FakeGeocoder({}, default=_elsewhere(r))
    lines = []
    accepted, failed = geocode.run(
        atlas, data_dir / "coordinates.yml", fake.geocode, "geopy:fake", {r.id}, lines.append
    )
    assert (accepted, failed) == (0, 1)
    assert not (data_dir / "coordinates.yml").exists()
    assert len(lines) == 1
    assert lines[0].startswith(f"{r.file}:{r.line}: {r.id}: not geocoded")
    assert "answer rejected" in lines[0] and "is not inside" in lines[0]
    assert len(fake.asked) == len(geocode.queries(_city(atlas, r), r["road_address"]))


def test_a_service_error_is_reported_per_record_and_loses_nothing(data):
    data_dir, atlas = data
    good, bad, empty = _placed(atlas)[:3]
    path = data_dir / "coordinates.yml"
    answers = {f"{_city(atlas, good)} {good['road_address']}": _inside(good)}
    answers.update(
        {q.text: GeocoderServiceError("HTTP 500") for q in geocode.queries(_city(atlas, bad), bad["road_address"])}
    )
    fake = FakeGeocoder(answers, default=None)
    lines = []
    accepted, failed = geocode.run(atlas, path, fake.geocode, "geopy:fake", {good.id, bad.id, empty.id}, lines.append)
    assert (accepted, failed) == (1, 2)
    assert [e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))] == [good.id]
    bad_line = next(line for line in lines if f": {bad.id}: not geocoded" in line)
    assert bad_line.startswith(f"{bad.file}:{bad.line}:") and "HTTP 500" in bad_line
    empty_line = next(line for line in lines if f": {empty.id}: not geocoded" in line)
    assert "no answer" in empty_line
    # A second run after the error keeps what the first stored and adds the rest.
    fake2 = FakeGeocoder({q.text: _inside(bad) for q in geocode.queries(_city(atlas, bad), bad["road_address"])})
    geocode.run(atlas, path, fake2.geocode, "geopy:fake", {good.id, bad.id}, lambda _m: None)
    assert [e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))] == [good.id, bad.id]


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (GeocoderUnavailable("Failed to resolve 'nominatim.openstreetmap.org'"), "cannot reach the geocoder"),
        (GeocoderTimedOut("timed out"), "cannot reach the geocoder"),
        (ConnectionResetError("connection reset"), "cannot reach the geocoder"),
        (GeocoderRateLimited("Too Many Requests"), "too many requests (HTTP 429)"),
    ],
)
def test_the_first_network_failure_stops_the_run_and_keeps_what_was_found(data, error, says):
    data_dir, atlas = data
    good, bad, later = _placed(atlas)[:3]
    path = data_dir / "coordinates.yml"
    answers = {f"{_city(atlas, good)} {good['road_address']}": _inside(good)}
    fake = FakeGeocoder(answers, default=error)
    with pytest.raises(geocode.Unreachable) as stopped:
        geocode.run(atlas, path, fake.geocode, "geopy:fake", {good.id, bad.id, later.id}, lambda _m: None)
    assert says in str(stopped.value) and stopped.value.accepted == 1
    # One request failed; no other place was tried after it.
    assert fake.asked == [f"{_city(atlas, good)} {good['road_address']}", f"{_city(atlas, bad)} {bad['road_address']}"]
    assert [e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))] == [good.id]


def fake_service(monkeypatch, error=None):
    """Replace geopy's Nominatim by a fake that records what it was made with and asked."""
    made, asked = [], []

    class Fake:
        def __init__(self, user_agent, **options):
            made.append(user_agent)

        def geocode(self, query, *, exactly_one=True, country_codes=None):
            asked.append(query)
            if error:
                raise error
            return None

    monkeypatch.setattr("geopy.geocoders.get_geocoder_for_service", lambda name: Fake)
    monkeypatch.setattr(geocode, "make_geocoder", _without_delay(geocode.make_geocoder))
    return made, asked


def _without_delay(make):
    return lambda name, ua, options, min_delay=1.0: make(name, ua, options, min_delay=0)


def test_offline_the_command_says_the_geocoder_cannot_be_reached(data, monkeypatch, capsys):
    data_dir, _ = data
    _, asked = fake_service(monkeypatch, GeocoderUnavailable("Max retries exceeded: Name or service not known"))
    code = cli.main(["--data", str(data_dir), "geocode", "--contact", "editor@example.org"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "cannot reach the geocoder (no network connection, or the service is down)" in err
    assert "지오코더에 연결할 수 없습니다" in out
    assert "not found" not in out + err
    assert len(asked) == 1, "it stops after the first network failure"


def test_nominatim_is_not_called_without_a_user_agent_naming_the_atlas_and_a_contact(data, monkeypatch, capsys):
    data_dir, _ = data
    made, asked = fake_service(monkeypatch)
    for argv in ([], ["--user-agent", "my-script"], ["--user-agent", "my-script (me@example.org)"]):
        code = cli.main(["--data", str(data_dir), "geocode", "--only", "none", *argv])
        assert code == 2, argv
        assert "usage policy" in capsys.readouterr().err
    assert made == [] and asked == []
    assert cli.main(["--data", str(data_dir), "geocode", "--only", "none", "--contact", "editor@example.org"]) == 0
    assert made == ["seoul-social-economy-atlas-geocode (editor@example.org)"]


def test_write_is_atomic_and_keeps_the_old_file_on_failure(data, monkeypatch):
    data_dir, atlas = data
    path = data_dir / "coordinates.yml"
    path.write_text("# 머리 주석\n[]\n", encoding="utf-8")

    def broken(*_a):
        raise OSError("disk full")

    monkeypatch.setattr(geocode.os, "replace", broken)
    with pytest.raises(OSError):
        geocode.append_entries(path, [{"id": "x", "lat": 37.5, "lon": 127.0}])
    assert path.read_text(encoding="utf-8") == "# 머리 주석\n[]\n"
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".coordinates")) == []
    monkeypatch.undo()
    geocode.append_entries(path, [{"id": "x", "lat": 37.5, "lon": 127.0}])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 머리 주석\n") and "[]" not in text
    assert yaml.safe_load(text) == [{"id": "x", "lat": 37.5, "lon": 127.0}]


def test_geocoder_is_chosen_by_name_rate_limited_and_limited_to_korea(monkeypatch):
    made = []

    class FakeNominatim:
        def __init__(self, user_agent, **options):
            made.append((user_agent, options))
            self.calls = []

        def geocode(self, query, *, exactly_one=True, country_codes=None, timeout=None):
            self.calls.append((query, exactly_one, country_codes))
            return Answer(37.5, 127.0)

    class FakeOther:
        def __init__(self, user_agent, api_key):
            self.calls = []

        def geocode(self, query, *, exactly_one=True):
            self.calls.append((query, exactly_one))
            return None

    services = {"nominatim": FakeNominatim, "other": FakeOther}
    monkeypatch.setattr("geopy.geocoders.get_geocoder_for_service", lambda name: services[name])
    find = geocode.make_geocoder("nominatim", "atlas-test (editor@example.org)", {}, min_delay=0)
    assert find("서울특별시 은평구 은평로 245").latitude == 37.5
    assert made == [("atlas-test (editor@example.org)", {})]
    other = geocode.make_geocoder("other", "atlas-test", {"api_key": "k"}, min_delay=0)
    assert other("q") is None

    from geopy.extra.rate_limiter import RateLimiter

    seen = {}
    real_init = RateLimiter.__init__

    def spy(self, func, *args, **kwargs):
        seen.update(kwargs)
        real_init(self, func, *args, **kwargs)

    monkeypatch.setattr(RateLimiter, "__init__", spy)
    geocode.make_geocoder("nominatim", "atlas-test (editor@example.org)", {})
    assert seen["min_delay_seconds"] >= 1


def test_country_code_is_sent_to_nominatim(monkeypatch):
    calls = []

    class FakeNominatim:
        def __init__(self, user_agent):
            pass

        def geocode(self, query, *, exactly_one=True, country_codes=None):
            calls.append(country_codes)

    monkeypatch.setattr("geopy.geocoders.get_geocoder_for_service", lambda name: FakeNominatim)
    geocode.make_geocoder("nominatim", "atlas-test (https://atlas.example.org/)", {}, min_delay=0)("q")
    assert calls == ["kr"]


def test_cli_has_the_geocode_command():
    args = cli.parser().parse_args(
        ["geocode", "--user-agent", "me", "--geocoder", "nominatim", "--option", "timeout=5", "--only", "a"]
    )
    assert args.func is geocode.command
    assert (args.user_agent, args.geocoder, args.option, args.only) == ("me", "nominatim", ["timeout=5"], ["a"])
