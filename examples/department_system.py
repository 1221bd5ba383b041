"""A department's own case system on the liandong bus: a small adapter.

    python examples/department_system.py --org dept-urban --nats nats://127.0.0.1:4222 \\
        --password-file secret.txt --state ./urban-state [--accept]

It logs in to NATS as its organisation (a password of the embedded server, or
`--creds` an nsc .creds file), reads the events addressed to it through its durable
`<org>-1` (the backlog first: whatever happened while it was down comes in order), and
keeps a local copy of the transfers it received in `<state>/transfers.json`. With
`--accept` it accepts each transfer by a NATS command, with a command id made from the
transfer's event id: asked twice (after a crash, say), the command gets the first answer
again and changes nothing. Every event it handles is also appended to
`<state>/events.jsonl`; the ids it handled are kept in `<state>/seen.txt`, so a
redelivered event is acked and not handled twice. SIGTERM or Ctrl-C stops it cleanly.
"""

import argparse
import asyncio
import json
import logging
import signal
from pathlib import Path
from typing import Any

from liandong_client import Accepted, Delivery, FileSeen, OrgClient
from liandong_contracts import referral_v1 as ref

log = logging.getLogger("department_system")


class LocalCopy:
    """The transfers this department received, as its own system keeps them."""

    def __init__(self, state: Path) -> None:
        self.file = state / "transfers.json"
        self.journal = state / "events.jsonl"
        self.transfers: dict[str, dict[str, Any]] = (
            json.loads(self.file.read_text()) if self.file.exists() else {})

    def save(self) -> None:
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.transfers, ensure_ascii=False, indent=2))
        temporary.replace(self.file)

    def note(self, delivery: Delivery) -> None:
        event = delivery.event
        with self.journal.open("a") as out:
            out.write(json.dumps({"event_id": str(event.event_id), "type": event.type,
                                  "subject": delivery.subject, "sequence": delivery.sequence,
                                  "case_id": event.correlation_id,
                                  "actor": event.actor.id}) + "\n")


async def run(args: argparse.Namespace, password: str | None, stop: asyncio.Event) -> None:
    state = Path(args.state)
    copy, seen = LocalCopy(state), FileSeen(state / "seen.txt")
    client = await OrgClient.connect(args.nats, args.org, password=password, creds=args.creds)

    async def handle(delivery: Delivery) -> None:
        event = delivery.event
        copy.note(delivery)
        if isinstance(event, ref.CaseTransferred) and event.receiver.id == args.org:
            copy.transfers[event.case_id] = {
                "status": "received", "matter_code": event.matter_code,
                "from": event.actor.id, "attempt": event.attempt,
                "transfer_event": str(event.event_id)}
            if args.accept:
                answer = await client.command("referral", "accept", id=event.case_id,
                                              command_id=f"accept-{event.event_id}")
                copy.transfers[event.case_id]["answer"] = answer.__dict__
                if isinstance(answer, Accepted):
                    copy.transfers[event.case_id]["status"] = "accepting"
            copy.save()
        elif isinstance(event, ref.CaseTransferAccepted) and event.case_id in copy.transfers:
            copy.transfers[event.case_id]["status"] = "accepted"
            copy.save()

    try:
        async with client.events(slot=args.slot) as events:
            log.info("%s: consuming %s", args.org, events.durable)
            await events.consume(handle, seen, stop=stop)
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", required=True, help="the organisation id (its NATS user)")
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    parser.add_argument("--password-file", help="the NATS password (embedded server)")
    parser.add_argument("--creds", help="the organisation's nsc .creds file (production)")
    parser.add_argument("--state", required=True, help="folder of the local copy")
    parser.add_argument("--slot", type=int, default=1, help="which of its durables (1..3)")
    parser.add_argument("--accept", action="store_true", help="accept every transfer")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    Path(args.state).mkdir(parents=True, exist_ok=True)
    password = Path(args.password_file).read_text().strip() if args.password_file else None

    async def main_loop() -> None:
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        await run(args, password, stop)

    asyncio.run(main_loop())


if __name__ == "__main__":
    main()
