"""`liandong-dead-letters`: list, show, replay and purge a service's dead letters.

    liandong-dead-letters list [--service NAME] [--limit N] [--json]
    liandong-dead-letters show ID [--service NAME]
    liandong-dead-letters replay ID [--service NAME] [--nats-url URL]
    liandong-dead-letters purge ID [--service NAME]

The database is `--database`, else `MONGODB_DATABASE`, else `liandong_<service>`; the
server `--mongodb-url`, else `MONGODB_URL`; NATS `--nats-url`, else `NATS_URL`, as the
operator: `--nats-creds` or `NATS_CREDENTIALS_FILE` (production), else `--nats-user` or
`NATS_USER` with `NATS_PASSWORD` (never a flag: it would show in `ps`).

`replay` republishes the original message (read back from the stream by its sequence,
else the stored copy if it was kept whole) to its subject with its own headers: the same
event id in the body and `ce-id`, and the same `Nats-Msg-Id`. Every consumer of the
subject receives it again, so the event id must stay: consumers that applied it already
find it in their inbox and change nothing. Within the broker's duplicate window of the
original publish JetStream drops the repeat; the command says so (exit 3): replay after
the window. Exit codes: 0 done, 1 no such dead letter or nothing to replay, 2 usage,
3 dropped as a duplicate, 4 the database or NATS could not be reached.
"""

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import Any

import nats
from nats.js.errors import NotFoundError
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from liandong_runtime.settings import MongoSettings, NatsSettings, ServiceSettings
from liandong_runtime.storage import connect

VERBS = {"list": "the latest dead letters", "show": "one dead letter, body included",
         "replay": "republish one to its subject", "purge": "delete one"}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="liandong-dead-letters",
                                  description=__doc__.splitlines()[0])
    verbs = top.add_subparsers(dest="verb", required=True)
    for verb, what in VERBS.items():
        sub = verbs.add_parser(verb, help=what)
        if verb != "list":
            sub.add_argument("id", help="the dead letter's id (STREAM:SEQUENCE:CONSUMER)")
        sub.add_argument("--service", help="the service whose database to read")
        sub.add_argument("--mongodb-url", help="default: MONGODB_URL")
        sub.add_argument("--database", help="default: MONGODB_DATABASE or liandong_<service>")
    verbs.choices["list"].add_argument("--limit", type=int, default=50)
    verbs.choices["list"].add_argument("--json", action="store_true", help="as JSON lines")
    replay = verbs.choices["replay"]
    replay.add_argument("--nats-url", help="default: NATS_URL")
    replay.add_argument("--nats-creds", help="operator's .creds; default: NATS_CREDENTIALS_FILE")
    replay.add_argument("--nats-user", help="default: NATS_USER; the password is NATS_PASSWORD")
    return top


def database_name(args: argparse.Namespace, settings: ServiceSettings) -> str:
    name = args.database or settings.mongodb.database or (
        f"liandong_{args.service}" if args.service else "")
    if not name:
        raise SystemExit("name the service (--service NAME) or the database (--database)")
    return name


async def run(args: argparse.Namespace) -> int:
    settings = ServiceSettings()
    client = connect(MongoSettings(url=args.mongodb_url or settings.mongodb.url))
    try:
        letters = client[database_name(args, settings)].dead_letters
        if args.verb == "list":
            return await list_letters(letters, args.limit, args.json)
        found = await letters.find_one({"_id": args.id})
        if found is None:
            print(f"no dead letter {args.id!r}", file=sys.stderr)
            return 1
        if args.verb == "show":
            print(json.dumps(readable(found), ensure_ascii=False, indent=2))
            return 0
        if args.verb == "purge":
            await letters.delete_one({"_id": args.id})
            print(f"purged {args.id}")
            return 0
        return await replay(letters, found, args.nats_url or settings.nats.url,
                            nats_login(args, settings.nats))
    finally:
        await client.close()


async def list_letters(letters: AsyncCollection[dict[str, Any]], limit: int, as_json: bool,
                       ) -> int:
    found = await letters.find({}, {"body": 0}).sort("parked_at", -1).limit(limit).to_list()
    for doc in found:
        if as_json:
            print(json.dumps(readable(doc), ensure_ascii=False))
        else:
            print(f"{doc['_id']}  {doc['parked_at']:%Y-%m-%d %H:%M:%S}  {doc['kind']:<14} "
                  f"x{doc['deliveries']}  {doc['reason'][:90]}")
    if not as_json:
        print(f"{len(found)} shown of {await letters.count_documents({})}")
    return 0


def readable(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in doc.items()}
    if isinstance(body := doc.get("body"), bytes):
        out["body"] = body.decode("utf-8", errors="backslashreplace")
    return out


def nats_login(args: argparse.Namespace, settings: NatsSettings) -> dict[str, Any]:
    """`nats.connect` arguments for the operator's identity, if one is given; a flag wins."""
    if args.nats_creds or (settings.credentials_file and not args.nats_user):
        return {"user_credentials": args.nats_creds or settings.credentials_file}
    if user := args.nats_user or settings.user:
        return {"user": user, "password": settings.password.get_secret_value()
                if settings.password else None}
    return {}


async def replay(letters: AsyncCollection[dict[str, Any]], doc: dict[str, Any], url: str,
                 login: dict[str, Any]) -> int:
    async with await nats.connect(url.split(","), **login) as nc:
        js = nc.jetstream()
        try:
            original = await js.get_msg(doc["stream"], doc["stream_seq"])
            subject, headers, body = original.subject, original.headers, original.data
        except NotFoundError:
            if not doc["subject"] or doc["body_size"] != len(doc["body"]):
                print("the stream no longer holds it and the stored copy is partial: "
                      "nothing to replay", file=sys.stderr)
                return 1
            subject, headers, body = doc["subject"], doc["headers"], doc["body"]
        ack = await js.publish(subject, body or b"", headers=headers or None)
    if ack.duplicate:
        print(f"JetStream dropped it as a duplicate of stream sequence {doc['stream_seq']}: "
              "the original was published within the duplicate window; replay later",
              file=sys.stderr)
        return 3
    await letters.update_one({"_id": doc["_id"]}, {"$push": {"replays": {
        "at": datetime.now(UTC), "stream_seq": ack.seq}}})
    print(f"replayed {doc['_id']} to {subject} as stream sequence {ack.seq}")
    return 0


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        sys.exit(asyncio.run(run(args)))
    except (PyMongoError, nats.errors.Error, OSError) as exc:
        print(f"liandong-dead-letters: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        sys.exit(4)


if __name__ == "__main__":
    main()
