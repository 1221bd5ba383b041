"""`liandong-nats-permissions`: who may do what on NATS, from the one declaration.

    liandong-nats-permissions show [--only USER]
    liandong-nats-permissions nsc [--account LIANDONG] [--edit] [--only USER]
    liandong-nats-permissions revoke ORG [--account LIANDONG]

`show` lists what each user may publish and subscribe to. `nsc` prints the commands that
give production's users (decentralized JWT auth, one user per service, one for the
operator and one per organisation of the directory, `REFDATA_DIR`) exactly what the
embedded server gives them; run them where the operator's keys are, then
`nsc generate creds` per user (deploy/README.md, docs/integration.md). With `--edit` they
are `nsc edit user` for users that exist: nsc adds the permissions listed; remove what is
no longer listed with `nsc edit user --name USER --rm SUBJECT`. `revoke` prints the
commands that shut an organisation's system out (its user's JWT revoked in the account,
pushed to the servers).
"""

import argparse
import shlex

from liandong_runtime.nats_permissions import Grant, everyone


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="liandong-nats-permissions",
                                  description=__doc__.splitlines()[0])
    verbs = top.add_subparsers(dest="verb", required=True)
    show = verbs.add_parser("show", help="what each user may publish and subscribe to")
    show.add_argument("--only", help="this user alone")
    nsc = verbs.add_parser("nsc", help="the nsc commands for production's users")
    nsc.add_argument("--account", default="LIANDONG", help="the nsc account (LIANDONG)")
    nsc.add_argument("--edit", action="store_true", help="`nsc edit user`, not `add user`")
    nsc.add_argument("--only", help="this user alone")
    revoke = verbs.add_parser("revoke", help="the nsc commands that shut a user out")
    revoke.add_argument("user")
    revoke.add_argument("--account", default="LIANDONG", help="the nsc account (LIANDONG)")
    return top


def revoke_commands(user: str, account: str) -> str:
    return "\n".join([
        shlex.join(["nsc", "revocations", "add-user", "--account", account, "--name", user]),
        shlex.join(["nsc", "push", "--account", account])])


def nsc_command(grant: Grant, account: str, verb: str) -> str:
    """One subject per line, quoted for the shell (`$JS...` stays literal)."""
    flags = [("--allow-pub", s) for s in grant.publish] + [
        ("--allow-sub", s) for s in grant.subscribe] + [
        ("--deny-pub", s) for s in grant.deny_publish]
    if grant.responses:  # answers the requests it receives (commands)
        flags.append(("--allow-pub-response", "1"))
    return " \\\n  ".join([shlex.join(["nsc", verb, "user", "--account", account,
                                       "--name", grant.user]),
                           *(f"{flag} {shlex.quote(subject)}" for flag, subject in flags)])


def show(grant: Grant) -> str:
    return "\n".join([f"{grant.user}", *(f"  publish    {s}" for s in grant.publish),
                      *(f"  subscribe  {s}" for s in grant.subscribe),
                      *(f"  denied     {s}" for s in grant.deny_publish),
                      *(["  responds   to the requests it receives"] if grant.responses else [])])


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.verb == "revoke":
        print(revoke_commands(args.user, args.account))
        return
    grants = [grant for grant in everyone() if args.only in (None, grant.user)]
    if not grants:
        raise SystemExit(f"no NATS user {args.only!r}")
    if args.verb == "show":
        print("\n\n".join(show(grant) for grant in grants))
    else:
        verb = "edit" if args.edit else "add"
        print("\n\n".join(nsc_command(grant, args.account, verb) for grant in grants))


if __name__ == "__main__":
    main()
