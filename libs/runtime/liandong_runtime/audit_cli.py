"""`liandong-audit`: verify a service's audit chain, or show its latest entries.

    liandong-audit verify [--service NAME] [--mongodb-url URL] [--database DB]
    liandong-audit show --last 20 [--service NAME] [--json]

The URL and database default to `MONGODB_URL` and `MONGODB_DATABASE`; `--service`
names `liandong_<service>`. With neither, every database holding a chain is verified.
Exit codes: 0 every chain intact, 1 a chain is broken, 2 the database could not be read.
"""

import argparse
import asyncio
import sys
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from liandong_runtime import audit
from liandong_runtime.settings import MongoSettings, ServiceSettings
from liandong_runtime.storage import connect


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="liandong-audit", description=__doc__.splitlines()[0])
    verbs = top.add_subparsers(dest="verb", required=True)
    for verb, what in (("verify", "walk the chain and report the first broken entry"),
                       ("show", "print the latest entries")):
        sub = verbs.add_parser(verb, help=what)
        sub.add_argument("--service", help="the service whose database to read")
        sub.add_argument("--mongodb-url", help="default: MONGODB_URL")
        sub.add_argument("--database", help="default: MONGODB_DATABASE or liandong_<service>")
    show = verbs.choices["show"]
    show.add_argument("--last", type=int, default=20, help="how many entries (default 20)")
    show.add_argument("--json", action="store_true", help="whole entries as JSON lines")
    return top


async def databases(client: AsyncMongoClient[dict[str, Any]], args: argparse.Namespace,
                    settings: ServiceSettings) -> list[str]:
    if args.database or args.service:
        return [args.database or f"liandong_{args.service}"]
    if settings.mongodb.database:
        return [settings.mongodb.database]
    return [name for name in sorted(await client.list_database_names())
            if audit.HEAD in await client[name].list_collection_names()]


async def run(args: argparse.Namespace) -> int:
    settings = ServiceSettings()
    url = args.mongodb_url or settings.mongodb.url
    client = connect(MongoSettings(url=url))
    try:
        names = await databases(client, args, settings)
        if args.verb == "show":
            return await show(client[names[0]] if names else None, args.last, args.json)
        return await verify(client, names)
    finally:
        await client.close()


async def verify(client: AsyncMongoClient[dict[str, Any]], names: list[str]) -> int:
    if not names:
        print("no audit chain found")
        return 0
    broken = 0
    for name in names:
        verdict = await audit.verify(client[name])
        print(verdict if len(names) == 1 else f"{name}: {verdict}")
        broken += not verdict.ok
    return 1 if broken else 0


async def show(db: Any, last: int, as_json: bool) -> int:
    for entry in await audit.recent(db, last) if db is not None else []:
        try:
            print(audit.canonical(entry).decode() if as_json else line(entry))
        except (KeyError, TypeError, ValueError):  # an edited entry: show it as it is
            print(repr(entry))
    return 0


def line(entry: dict[str, Any]) -> str:
    asked = entry["who"].get("requested_by")  # absent in entries written before it existed
    actors = entry["who"]["actors"] or ([asked] if asked else [])
    who = ", ".join(f"{a['org']}/{a['person'] or '-'}" for a in actors)
    what = ", ".join(f"{e['type']} {e['event_id']}" for e in entry["what"]) or "-"
    cause = entry["cause"]["consumed_event_id"] or ",".join(entry["cause"]["causation_ids"])
    return (f"{entry['seq']:>6} {audit.iso(entry['at'])} "
            f"who={who or entry['who']['consumer'] or '-'} what={what} "
            f"on={','.join(entry['correlation_ids']) or '-'} cause={cause or '-'} "
            f"hash={entry['hash'][:16]}")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except PyMongoError as exc:
        print(f"error: cannot read the audit log: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
