"""matrix-nio with end-to-end encryption (vodozemac) against one homeserver or two federating ones.

Usage: nio_e2ee.py HOMESERVER_A [HOMESERVER_B]
alice's devices live on HOMESERVER_A, bob's on HOMESERVER_B (HOMESERVER_A when not given), so the same scenario runs
on one server and across federation. Each device is its own nio client with its own crypto store and its own sync
loop (chained next_batch; after every sync it uploads, queries and claims keys as nio's sync_forever does).

1. alice registers (alice1) and logs in again (alice2); bob likewise (bob1, bob2); every device uploads its keys.
   alice1 creates a room with m.room.encryption in its initial state and invites bob; bob1 joins.
2. Every device sends a message. Each must be decrypted (a RoomMessageText, not a MegolmEvent) by both of the other
   user's devices and by the sender's other device.
3. bob logs in a third device (bob3). Once every device has its keys, every device sends again; each message must be
   decrypted by all four other devices, bob3 among them.
4. bob1 deletes bob2 (user-interactive auth with bob's password). alice1's and alice2's syncs must list bob in
   device_lists.changed and their key queries must drop bob2; bob2's access token must be refused. Then alice1 and
   bob3 send. bob2 is excluded by what the senders actually sent: a sender shares a megolm session only through
   m.room.encrypted to-device messages (olm-encrypted m.room_key) addressed to each recipient device, so the
   recorded PUT /sendToDevice/m.room.encrypted bodies after the deletion must address bob1 and bob3 (and the
   sender's other device) but never bob2, the messages must use a session none of the earlier messages used (a
   key bob2 already held would still decrypt them), and the remaining devices must decrypt them.

Every request each client made is recorded; "endpoints" lists them (method and path with IDs replaced). A megolm
event that arrives before its room key (possible across federation, where the to-device EDU and the event travel
separately) is decrypted again once the key is there, as a real client does; such events are counted in
"decrypted_after_key_arrived". Prints one JSON object {"ok", "steps", "failures"} on the last stdout line; checks
that fail are listed in "failures" and the exit code stays 0.
"""

import asyncio
import json
import logging
import re
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter

from nio import (AsyncClient, AsyncClientConfig, DeleteDevicesAuthResponse, DeleteDevicesResponse, EncryptionError,
                 JoinResponse, KeysClaimError, KeysQueryError, KeysUploadError, LoginResponse, MegolmEvent,
                 RegisterResponse, RoomCreateResponse, RoomMessageText, RoomSendResponse, SyncResponse, ToDeviceError)

SYNC_TIMEOUT_MS = 1000      # short long-polls: every device syncs once per round
WAIT_SECONDS = 30
SYNC_FILTER = {"room": {"timeline": {"limit": 50}}}
MEGOLM = "m.megolm.v1.aes-sha2"


class Device:
    """One nio client (one device) with its own store and sync loop state."""

    def __init__(self, name: str, homeserver: str, user_id: str = ""):
        self.name = name
        self.store = tempfile.mkdtemp(prefix=f"nio-e2ee-{name}-")
        self.client = AsyncClient(homeserver, user=user_id, store_path=self.store,
                                  config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False))
        self.next_batch = None
        self.active = True
        self.decrypted = {}         # event id -> RoomMessageText decrypted from m.room.encrypted
        self.plaintext = set()      # event ids of m.room.message that arrived unencrypted
        self.pending = {}           # event id -> MegolmEvent not (yet) decrypted
        self.late = set()           # event ids decrypted only after a later sync brought the key
        self.changed = []           # user ids from device_lists.changed, in arrival order
        self.to_device = Counter()  # to-device event classes received
        self.errors = []
        self.requests = []          # (method, path without query, body) of every request sent
        self._record_requests()

    def _record_requests(self):
        send = self.client.send

        async def recording_send(method, path, data=None, headers=None, trace_context=None, timeout=None):
            self.requests.append((method, path.split("?")[0], data if isinstance(data, str) else None))
            return await send(method, path, data, headers, trace_context, timeout)

        self.client.send = recording_send

    @property
    def user_id(self):
        return self.client.user_id

    @property
    def device_id(self):
        return self.client.device_id

    async def sync(self):
        r = await self.client.sync(timeout=SYNC_TIMEOUT_MS, full_state=False, since=self.next_batch,
                                   sync_filter=SYNC_FILTER)
        if not isinstance(r, SyncResponse):
            self.errors.append(f"sync: {r}")
            await asyncio.sleep(1)
            return
        self.next_batch = r.next_batch
        self.changed.extend(r.device_list.changed)
        self.to_device.update(type(e).__name__ for e in r.to_device_events)
        for room_id, info in r.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, MegolmEvent):
                    event.room_id = room_id
                    self.pending[event.event_id] = event
                elif isinstance(event, RoomMessageText):
                    (self.decrypted.__setitem__(event.event_id, event) if event.decrypted
                     else self.plaintext.add(event.event_id))
        await self.keep_keys()
        self.retry_pending()

    async def keep_keys(self):
        """What nio's sync_forever does after each sync: to-device messages out, keys up, queried and claimed."""
        c = self.client
        if c.outgoing_to_device_messages:
            for r in await c.send_to_device_messages():
                if isinstance(r, ToDeviceError):
                    self.errors.append(f"to_device: {r}")
        if c.should_upload_keys:
            r = await c.keys_upload()
            if isinstance(r, KeysUploadError):
                self.errors.append(f"keys_upload: {r}")
        if c.should_query_keys:
            r = await c.keys_query()
            if isinstance(r, KeysQueryError):
                self.errors.append(f"keys_query: {r}")
        if c.should_claim_keys:
            r = await c.keys_claim(c.get_users_for_key_claiming())
            if isinstance(r, KeysClaimError):
                self.errors.append(f"keys_claim: {r}")

    def retry_pending(self):
        store = self.client.olm.inbound_group_store
        for event_id, event in list(self.pending.items()):
            if not store.get(event.room_id, event.sender_key, event.session_id):
                continue    # its key has not arrived
            try:
                decrypted = self.client.decrypt_event(event)
            except EncryptionError:
                continue
            del self.pending[event_id]
            if isinstance(decrypted, RoomMessageText):
                self.decrypted[event_id] = decrypted
                self.late.add(event_id)

    def active_devices(self, user_id):
        return {d.id for d in self.client.device_store.active_user_devices(user_id)}

    def knows_room(self, room, *user_ids):
        r = self.client.rooms.get(room)
        return bool(r and r.encrypted and all(u in r.users and u not in r.invited_users for u in user_ids))

    def outgoing_key_shares(self, since: int):
        """(user, device) pairs addressed by this device's m.room.encrypted to-device requests from index `since`."""
        pairs = set()
        for method, path, body in self.requests[since:]:
            if method == "PUT" and "/sendToDevice/m.room.encrypted/" in path and body:
                for user, devices in json.loads(body).get("messages", {}).items():
                    pairs.update((user, d) for d in devices)
        return pairs

    async def close(self):
        await self.client.close()
        shutil.rmtree(self.store, ignore_errors=True)


def endpoint(method: str, path: str) -> str:
    path = re.sub(r"/rooms/[^/]+", "/rooms/{roomId}", path)
    path = re.sub(r"/(send|sendToDevice)/([^/]+)/[^/]+$", r"/\1/\2/{txnId}", path)
    path = re.sub(r"/(join|invite)/[^/]+$", r"/\1/{roomId}", path)
    return f"{method} {path}"


class Scenario:
    def __init__(self, homeserver_a: str, homeserver_b: str):
        self.hs = {"alice": homeserver_a, "bob": homeserver_b}
        self.localpart = {u: f"{u}-{secrets.token_hex(4)}" for u in self.hs}
        self.password = {u: secrets.token_urlsafe(16) for u in self.hs}
        self.user_id = {}
        self.devices = {}           # name -> Device, in creation order
        self.sent = []              # {"id", "by", "to": [device names], "phase"}
        self.steps, self.failures = {}, []

    def fail(self, message):
        self.failures.append(message)

    def active(self):
        return [d for d in self.devices.values() if d.active]

    async def add_device(self, user: str, name: str, register: bool) -> Device:
        d = Device(name, self.hs[user], "" if register else self.user_id[user])
        self.devices[name] = d
        if register:
            r = await d.client.register(self.localpart[user], self.password[user], device_name=name)
            ok = isinstance(r, RegisterResponse)
            if ok:
                self.user_id[user] = r.user_id
        else:
            r = await d.client.login(self.password[user], device_name=name)
            ok = isinstance(r, LoginResponse)
        if not ok:
            raise RuntimeError(f"{'register' if register else 'login'} {name}: {r}")
        if d.client.should_upload_keys:
            up = await d.client.keys_upload()
            if isinstance(up, KeysUploadError):
                self.fail(f"keys_upload {name}: {up}")
        await d.sync()
        return d

    async def until(self, predicate, what: str) -> bool:
        """Syncs every active device, round after round, until predicate() holds or WAIT_SECONDS pass."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not predicate():
            if time.monotonic() > deadline:
                self.fail(f"gave up after {WAIT_SECONDS} s waiting for {what}")
                return False
            await asyncio.gather(*(d.sync() for d in self.active()))
        return True

    def everyone_knows_everyone(self, room):
        users = list(self.user_id.values())
        names = [d.name for d in self.active()]

        def check():
            for d in self.active():
                if not d.knows_room(room, *users):
                    return False
                for u in users:
                    expected = {o.device_id for o in self.active() if o.user_id == u and o is not d}
                    if d.active_devices(u) != expected:
                        return False
            return True
        return check, f"every device ({', '.join(names)}) to see the encrypted room with both users joined and " \
                      "hold exactly the keys of every other active device"

    async def send(self, d: Device, room: str, phase: str):
        if not d.knows_room(room):
            return self.fail(f"{d.name} does not know {room} as an encrypted room; it would send in the clear")
        body = f"{phase} from {d.name}"
        r = await d.client.room_send(room, "m.room.message", {"msgtype": "m.text", "body": body},
                                     ignore_unverified_devices=True)
        if not isinstance(r, RoomSendResponse):
            return self.fail(f"room_send {d.name} ({phase}): {r}")
        to = [o.name for o in self.active() if o is not d]
        self.sent.append({"id": r.event_id, "by": d.name, "to": to, "phase": phase, "body": body})

    def undelivered(self, phase):
        """(message, receiver) pairs of the phase not decrypted yet."""
        return [(m, n) for m in self.sent if m["phase"] == phase for n in m["to"]
                if m["id"] not in self.devices[n].decrypted]

    async def check_phase(self, phase: str):
        await self.until(lambda: not self.undelivered(phase), f"every {phase} message to be decrypted")
        messages = [m for m in self.sent if m["phase"] == phase]
        for m, n in self.undelivered(phase):
            state = ("arrived but was not decrypted" if m["id"] in self.devices[n].pending else
                     "arrived unencrypted" if m["id"] in self.devices[n].plaintext else "never arrived")
            self.fail(f"{n} did not decrypt {m['by']}'s {phase} message {m['id']}: it {state}")
        for m in messages:
            for n in m["to"]:
                got = self.devices[n].decrypted.get(m["id"])
                if got is not None and got.body != m["body"]:
                    self.fail(f"{n} decrypted {m['id']} to {got.body!r}, sent was {m['body']!r}")
        self.steps[f"{phase}_decrypted"] = {
            m["by"]: sorted(n for n in m["to"] if m["id"] in self.devices[n].decrypted) for m in messages}
        return messages

    def session_of(self, message):
        """The megolm session ID a receiver decrypted `message` with."""
        for n in message["to"]:
            got = self.devices[n].decrypted.get(message["id"])
            if got is not None:
                return got.session_id
        return None

    async def run(self):
        alice1 = await self.add_device("alice", "alice1", register=True)
        alice2 = await self.add_device("alice", "alice2", register=False)
        bob1 = await self.add_device("bob", "bob1", register=True)
        bob2 = await self.add_device("bob", "bob2", register=False)
        self.steps["users"] = dict(self.user_id)
        self.steps["devices"] = {d.name: d.device_id for d in self.devices.values()}
        alice, bob = self.user_id["alice"], self.user_id["bob"]

        created = await alice1.client.room_create(name="nio e2ee", invite=[bob], initial_state=[
            {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}])
        if not isinstance(created, RoomCreateResponse):
            return self.fail(f"room_create: {created}")
        room = self.steps["room"] = created.room_id
        self.steps["invite_seen"] = await self.until(lambda: room in bob1.client.invited_rooms, "bob1 to see the invite")
        joined = await bob1.client.join(room)
        if not isinstance(joined, JoinResponse):
            return self.fail(f"join: {joined}")
        check, what = self.everyone_knows_everyone(room)
        self.steps["keys_known"] = await self.until(check, what)
        if not self.steps["keys_known"]:
            return  # without each other's device keys no device can share a room key: nothing further can pass

        # 2. Every device sends; the other user's devices and the sender's other device decrypt.
        for d in (alice1, bob1, alice2, bob2):
            await self.send(d, room, "first")
        first = await self.check_phase("first")

        # 3. A device that logs in later decrypts what is sent after it.
        bob3 = await self.add_device("bob", "bob3", register=False)
        self.steps["devices"]["bob3"] = bob3.device_id
        check, what = self.everyone_knows_everyone(room)
        self.steps["keys_known_with_bob3"] = await self.until(check, what)
        for d in (alice1, bob1, alice2, bob2, bob3):
            await self.send(d, room, "second")
        second = await self.check_phase("second")
        self.steps["bob3_decrypted"] = sum(m["id"] in bob3.decrypted for m in second if m["by"] != "bob3")

        # 4. bob deletes bob2. First let the device list changes from bob3's login settle, so that a change seen
        # afterwards is the deletion's.
        for _ in range(10):
            await asyncio.gather(*(d.sync() for d in self.active()))
            if not any(d.changed for d in self.active()):
                break
            for d in self.active():
                d.changed.clear()
        else:
            self.fail("device_lists.changed did not go quiet after bob3's login")
        marks = {d.name: len(d.requests) for d in self.active()}

        asked = await bob1.client.delete_devices([bob2.device_id])
        if not isinstance(asked, DeleteDevicesAuthResponse):
            return self.fail(f"delete_devices without auth: expected a 401 with flows, got {asked}")
        self.steps["delete_flows"] = [f.get("stages") for f in asked.flows]
        deleted = await bob1.client.delete_devices([bob2.device_id], auth={
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": bob},
            "password": self.password["bob"], "session": asked.session})
        self.steps["delete"] = isinstance(deleted, DeleteDevicesResponse)
        if not self.steps["delete"]:
            return self.fail(f"delete_devices: {deleted}")

        refused = await bob2.client.sync(timeout=0, since=bob2.next_batch)
        self.steps["bob2_token_refused"] = getattr(refused, "status_code", None) == "M_UNKNOWN_TOKEN"
        if not self.steps["bob2_token_refused"]:
            self.fail(f"bob2's sync after its deletion answered {refused}, not M_UNKNOWN_TOKEN")
        bob2.active = False

        self.steps["bob_in_device_lists_changed"] = await self.until(
            lambda: all(bob in d.changed for d in (alice1, alice2)),
            "alice1's and alice2's syncs to list bob in device_lists.changed")
        check, what = self.everyone_knows_everyone(room)
        self.steps["bob2_dropped_from_key_queries"] = await self.until(check, what)
        self.steps["bob2_in_alice1_device_store"] = bob2.device_id in alice1.active_devices(bob)

        for d in (alice1, bob3):
            await self.send(d, room, "third")
        third = await self.check_phase("third")

        earlier_sessions = {self.session_of(m) for m in first + second if m["by"] in ("alice1", "bob3")}
        addressed = {}
        for d in (alice1, bob3):
            shares = d.outgoing_key_shares(marks[d.name])
            addressed[d.name] = sorted(f"{u}|{dev}" for u, dev in shares)
            expected = {(o.user_id, o.device_id) for o in self.active() if o is not d}
            if (bob, bob2.device_id) in shares:
                self.fail(f"{d.name} sent a room key to the deleted device bob2 after the deletion")
            if not expected <= shares:
                self.fail(f"{d.name} did not send a new room key to {sorted(expected - shares)} after the deletion")
            message = next((m for m in third if m["by"] == d.name), None)
            session = self.session_of(message) if message else None
            if session is None or session in earlier_sessions:
                self.fail(f"{d.name}'s message after the deletion used {session}, not a new megolm session")
            outbound = d.client.olm.outbound_group_sessions.get(room)
            if outbound is None or (bob, bob2.device_id) in outbound.users_shared_with:
                self.fail(f"{d.name}'s current outbound megolm session lists bob2 among the devices it was shared with")
        self.steps["room_keys_addressed_after_delete"] = addressed
        self.steps["bob2_excluded"] = not any(f"{bob}|{bob2.device_id}" in a for a in addressed.values())


async def main(homeserver_a: str, homeserver_b: str) -> dict:
    s = Scenario(homeserver_a, homeserver_b)
    try:
        await s.run()
    except Exception as e:  # noqa: BLE001 - reported as a failure, with where it happened
        s.fail(f"{type(e).__name__}: {e} at {traceback.format_exc().strip().splitlines()[-3].strip()}")
    finally:
        for d in s.devices.values():
            await d.close()
    for d in s.devices.values():
        if d.errors:
            s.fail(f"{d.name}: {len(d.errors)} errors, first: {d.errors[0]}")
    s.steps["decrypted_after_key_arrived"] = sum(len(d.late) for d in s.devices.values())
    s.steps["to_device_received"] = dict(sum((d.to_device for d in s.devices.values()), Counter()))
    s.steps["endpoints"] = sorted({endpoint(m, p) for d in s.devices.values() for m, p, _ in d.requests})
    return {"ok": not s.failures, "steps": s.steps, "failures": s.failures}


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
    result = asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]))
    sys.stderr.flush()
    print(json.dumps(result), flush=True)
