"""`seatlas geocode`: find coordinates for addresses, check them against the boundaries, append them.

Editors run this by hand; the build never geocodes. Accepted answers are appended to
data/coordinates.yml with `reviewed: false`, for a person to check on the map. Existing
entries (manual ones above all) and the file's comments are never rewritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import geography
from ..model.load import load_data
from ..model.records import Atlas, Record
from ..model.validation import Report

HEADER = (
    "# yaml-language-server: $schema=schemas/coordinates.schema.json\n"
    "# 좌표: scripts/geocode가 찾아 덧붙이고, 사람이 지도에서 확인한 뒤 reviewed: true로 바꿉니다.\n"
    "# 손으로 넣은 좌표(method: manual)는 명령이 덮어쓰지 않습니다.\n"
)
APP = "seoul-social-economy-atlas-geocode"
# Nominatim's usage policy: a User-Agent that identifies the application, with a way to reach its user.
_CONTACT = re.compile(r"[^@\s()<>]+@[^@\s()<>]+\.[A-Za-z]{2,}|https?://\S+")


class Unreachable(Exception):
    """The geocoder cannot be reached (no network, service down, or it refuses more requests)."""

    def __init__(self, message: str, accepted: int = 0):
        super().__init__(message)
        self.accepted = accepted


class PolicyRefused(ValueError):
    """A request the geocoder's usage policy does not allow; nothing was sent."""


_NUMBERED = re.compile(r"^(.*?(?:로|길)\s*\d+(?:-\d+)?)(?=\s|$)")
_ROAD = re.compile(r"^(.*?(?:로|길))(?=\s|\d|$)")


@dataclass(frozen=True)
class Query:
    text: str
    precision: str  # rooftop when a building number is asked for, street otherwise


def queries(city: str, road_address: str) -> list[Query]:
    """The full address first, then without the detail, then without the building number."""
    road = " ".join(road_address.split())
    out = [Query(f"{city} {road}", "rooftop")]
    numbered = _NUMBERED.match(road)
    if numbered:
        out.append(Query(f"{city} {numbered.group(1)}", "rooftop"))
    street = _ROAD.match(road)
    if street:
        out.append(Query(f"{city} {street.group(1)}", "street"))
    seen: set[str] = set()
    return [q for q in out if not (q.text in seen or seen.add(q.text))]


def outside(atlas_target: Record, lat: float, lon: float) -> str | None:
    """Why a point cannot be stored for a record (the build's own boundary check), or None."""
    coord = Record(
        "coordinates", {"id": atlas_target.id, "lat": lat, "lon": lon}, "data/coordinates.yml", 0, {"lat": 0}
    )
    atlas = Atlas({atlas_target.record_type: [atlas_target], "coordinates": [coord]})
    report = Report()
    geography.check_places(atlas, report)
    found = [p.message for p in report.problems if p.field == "lat/lon" and p.record == atlas_target.id]
    return found[0] if found else None


def existing_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(item["id"]) for item in data if isinstance(item, dict) and "id" in item}


def append_entries(path: Path, entries: list[dict]) -> None:
    """Append entries to the file, keeping every byte already there; atomic (temp file, then rename)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if re.search(r"^\[\]\s*$", text, re.M):  # an empty list written as []
        text = re.sub(r"^\[\]\s*$\n?", "", text, flags=re.M)
    if text and not text.endswith("\n"):
        text += "\n"
    for entry in entries:
        text += "\n" + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_user_agent(name: str, user_agent: str) -> None:
    """Refuse to call Nominatim without a User-Agent naming the atlas and a contact (its usage policy)."""
    if name != "nominatim":
        return
    if "atlas" not in user_agent.lower() or not _CONTACT.search(user_agent):
        raise PolicyRefused(
            f"Nominatim's usage policy asks for a User-Agent that names the application and a contact; "
            f"{user_agent!r} does not. Give your e-mail or web address: --contact you@example.org "
            f"(sends '{APP} (you@example.org)'). Nothing was sent."
        )


def make_geocoder(name: str, user_agent: str, options: dict[str, str], min_delay: float = 1.0) -> Callable:
    """A rate-limited geocode function of a geopy service (Nominatim by default)."""
    from geopy.extra.rate_limiter import RateLimiter

    check_user_agent(name, user_agent)
    from geopy.geocoders import get_geocoder_for_service

    cls = get_geocoder_for_service(name)
    geocoder = cls(user_agent=user_agent, **options)
    kwargs = {"exactly_one": True}
    if "country_codes" in inspect.signature(geocoder.geocode).parameters:
        kwargs["country_codes"] = "kr"
    limited = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False)
    return lambda query: limited(query, **kwargs)


def run(atlas: Atlas, coordinates: Path, geocode: Callable, method: str, only: set[str] | None = None, out=print):
    """Geocode every placed record without a stored coordinate; returns (accepted, failed) counts.

    Raises Unreachable at the first failure to reach the service (every later request would fail
    the same way); what was accepted before it is already written.
    """
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, GeopyError

    stored = existing_ids(coordinates)
    today = dt.date.today()
    accepted = failed = 0
    for kind in geography.PLACED_KINDS:
        for r in atlas.all(kind):
            if r.id in stored or not r.get("road_address") or (only and r.id not in only):
                continue
            district = atlas.get("districts", r.get("district") or "")
            if district is None:
                out(f"{r.file}:{r.line}: {r.id}: skipped: no district to check the answer against")
                failed += 1
                continue
            found, reasons = None, []
            for q in queries(district["city"], r["road_address"]):
                try:
                    answer = geocode(q.text)
                except GeocoderRateLimited as exc:
                    raise Unreachable(
                        f"the geocoder refuses more requests: too many requests (HTTP 429); try again later ({exc})",
                        accepted,
                    ) from None
                except (GeocoderUnavailable, GeocoderTimedOut, OSError) as exc:
                    raise Unreachable(
                        f"cannot reach the geocoder (no network connection, or the service is down): "
                        f"{type(exc).__name__}: {exc}",
                        accepted,
                    ) from None
                except GeopyError as exc:
                    reasons.append(f"'{q.text}': {type(exc).__name__}: {exc}")
                    break
                if answer is None:
                    reasons.append(f"'{q.text}': no answer")
                    continue
                lat, lon = round(float(answer.latitude), 6), round(float(answer.longitude), 6)
                why = outside(r, lat, lon)
                if why:
                    reasons.append(f"'{q.text}': answer rejected: {why}")
                    continue
                found = {
                    "id": r.id,
                    "lat": lat,
                    "lon": lon,
                    "precision": q.precision,
                    "method": method,
                    "query": q.text,
                    "reviewed": False,
                    "as_of": today,
                }
                break
            if found is None:
                failed += 1
                out(f"{r.file}:{r.line}: {r.id}: not geocoded: " + "; ".join(reasons))
                continue
            # Written at once, so an error later on loses nothing already found.
            append_entries(coordinates, [found])
            stored.add(r.id)
            accepted += 1
            out(f"{r.id}: ({found['lat']}, {found['lon']}) from '{found['query']}' ({found['precision']})")
    return accepted, failed


def add_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--geocoder", default="nominatim", help="geopy service name (default: nominatim)")
    sub.add_argument("--contact", help="your e-mail or web address, sent in the User-Agent (Nominatim requires it)")
    sub.add_argument(
        "--user-agent",
        help=f"User-Agent sent to the service (default: '{APP} (CONTACT)'); for Nominatim it must name the atlas "
        "and a contact",
    )
    sub.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="geocoder option, e.g. api_key=..."
    )
    sub.add_argument("--only", action="append", metavar="ID", help="geocode only these record ids")


def command(args: argparse.Namespace) -> int:
    data = Path(args.data)
    atlas, problems = load_data(data)
    if problems:
        print(f"note: the data has {len(problems)} problem(s); run `seatlas validate`", file=sys.stderr)
    options = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"--option {item}: expected KEY=VALUE", file=sys.stderr)
            return 2
        options[key] = value
    user_agent = args.user_agent or (f"{APP} ({args.contact})" if args.contact else APP)
    try:
        geocode = make_geocoder(args.geocoder, user_agent, options)
    except PolicyRefused as exc:
        print(f"seatlas geocode: {exc}", file=sys.stderr)
        return 2
    added = f"{data.name}/coordinates.yml (reviewed: false)"
    try:
        accepted, failed = run(
            atlas, data / "coordinates.yml", geocode, f"geopy:{args.geocoder}", set(args.only) if args.only else None
        )
    except Unreachable as exc:
        print(f"seatlas geocode: stopped at the first failure: {exc}", file=sys.stderr)
        print("지오코더에 연결할 수 없습니다: 인터넷 연결을 확인하고 다시 실행하세요.")
        print(f"{exc.accepted} coordinate(s) added to {added} before it stopped")
        return 1
    print(f"{accepted} coordinate(s) added to {added}, {failed} not found")
    return 1 if failed and not accepted else 0
