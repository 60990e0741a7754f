"""Checks, against the installed paved wheel, that a program in Python can
tell paved's errors apart and read their parts: Python receives a paved error
as RuntimeError(message) (the JavaScript error stays in the jsii kernel), and
Errors.details(message) gives back its construct path, property, detail and
kind; anything paved did not make gives None.
"""
import sys

from paved import Environment, ErrorKind, Errors, Platform, TerraformState

platform = Platform(outdir=sys.argv[1] if len(sys.argv) > 1 else "out-python-errors")
try:
    Environment(platform, "dev", account="12", region="eu-central-1", state=TerraformState.local())
    sys.exit("Environment with account '12' was accepted")
except RuntimeError as e:
    message = str(e)
    details = Errors.details(message)
if details is None:
    sys.exit(f"Errors.details does not know the message of a paved error: {message!r}")
got = (details.construct_path, details.property, details.kind)
if got != ("dev", "account", ErrorKind.INVALID_INPUT):
    sys.exit(f"Errors.details gave {got}, expected ('dev', 'account', ErrorKind.INVALID_INPUT)")
if '"12"' not in details.detail or not message.endswith(details.detail):
    sys.exit(f"Errors.details gave detail {details.detail!r} for message {message!r}")
if Errors.details("dev: account: not a message paved made") is not None:
    sys.exit("Errors.details recognised a message paved did not make")
print(f"python errors: Errors.details({message!r}) -> {got[0]}, {got[1]}, {details.kind}")
