"""matrix-nio against a running Axon: register, log in, whoami, log out, then reuse the old token.

Usage: nio_accounts.py HOMESERVER_URL LOCALPART PASSWORD
Prints one JSON object with what each step returned; the Swift test checks it and records the access
tokens, so the log check can prove the server never logged them.
"""

import asyncio
import json
import sys

from nio import AsyncClient, LoginResponse, LogoutResponse, RegisterResponse, WhoamiResponse


async def main(homeserver: str, localpart: str, password: str) -> dict:
    steps: dict = {}
    registrar = AsyncClient(homeserver)
    registered = await registrar.register(localpart, password, device_name="nio register")
    steps["register"] = {"ok": isinstance(registered, RegisterResponse), "user_id": getattr(registered, "user_id", None)}
    steps["tokens"] = [getattr(registered, "access_token", None)]
    await registrar.close()

    client = AsyncClient(homeserver, localpart)
    login = await client.login(password, device_name="nio login")
    steps["login"] = {"ok": isinstance(login, LoginResponse), "user_id": getattr(login, "user_id", None), "device_id": getattr(login, "device_id", None)}
    steps["tokens"].append(client.access_token)

    whoami = await client.whoami()
    steps["whoami"] = {
        "ok": isinstance(whoami, WhoamiResponse),
        "user_id": getattr(whoami, "user_id", None),
        "device_id": getattr(whoami, "device_id", None),
        "is_guest": getattr(whoami, "is_guest", None),
    }

    old_token = client.access_token
    logout = await client.logout()
    steps["logout"] = {"ok": isinstance(logout, LogoutResponse)}

    client.access_token = old_token
    after = await client.whoami()
    steps["whoami_after_logout"] = {"ok": isinstance(after, WhoamiResponse), "errcode": getattr(after, "status_code", None)}
    await client.close()
    return steps


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))))
