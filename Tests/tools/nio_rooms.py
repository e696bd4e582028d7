"""matrix-nio against any homeserver: a two-user private room scenario, driven only through /sync as a real client.

Usage: nio_rooms.py HOMESERVER_URL
Registers two fresh users (alice-<hex>, bob-<hex>) and then: create, invite, join, 100 interleaved messages, back
pagination to m.room.create, typing, read receipts, a display name change and a leave. Each user chains its own
next_batch and records every timeline event id, so a token that replays or skips events shows up as a duplicate or a
missing message. The same script passes against Synapse, which makes it the reference for Axon's behaviour.
Prints one JSON object {"ok", "steps", "failures"} on the last stdout line; checks that fail are listed in
"failures" and the exit code stays 0.
"""

import asyncio
import json
import secrets
import sys
import time
from collections import Counter

from nio import (AsyncClient, JoinResponse, MessageDirection, ProfileGetDisplayNameResponse, ReceiptEvent,
                 RegisterResponse, RoomCreateEvent, RoomCreateResponse, RoomInviteResponse, RoomLeaveResponse,
                 RoomMemberEvent, RoomMessagesResponse, RoomPreset, RoomSendResponse, SyncResponse,
                 TypingNoticeEvent)

SYNC_TIMEOUT_MS = 5000
WAIT_SECONDS = 30
MESSAGES_EACH = 50
# Room creation and a join each arrive as one batch of about ten events; Synapse's default timeline limit is 10.
SYNC_FILTER = {"room": {"timeline": {"limit": 50}}}


class Peer:
    """One user with its own sync loop state: the chained token, every timeline event and ephemeral event seen."""

    def __init__(self, homeserver: str, name: str):
        self.name = name
        self.localpart = f"{name}-{secrets.token_hex(4)}"
        self.client = AsyncClient(homeserver)
        self.next_batch = None
        self.seen = Counter()       # event id -> times it appeared in a sync timeline
        self.timeline = []          # (room id, event) in arrival order
        self.ephemeral = []         # (room id, event)
        self.invited, self.left = set(), set()
        self.sync_errors = []

    @property
    def user_id(self):
        return self.client.user_id

    async def sync(self):
        r = await self.client.sync(timeout=SYNC_TIMEOUT_MS, full_state=False, since=self.next_batch,
                                   sync_filter=SYNC_FILTER)
        if not isinstance(r, SyncResponse):
            self.sync_errors.append(str(r))
            await asyncio.sleep(1)
            return
        self.next_batch = r.next_batch
        for room_id, info in r.rooms.join.items():
            self._record(room_id, info.timeline.events)
            self.ephemeral.extend((room_id, e) for e in info.ephemeral)
        self.invited.update(r.rooms.invite)
        for room_id, info in r.rooms.leave.items():
            self.left.add(room_id)
            self._record(room_id, info.timeline.events)

    def _record(self, room_id, events):
        for e in events:
            self.seen[e.event_id] += 1
            self.timeline.append((room_id, e))

    async def until(self, predicate) -> bool:
        """Sync until predicate() holds, for at most WAIT_SECONDS."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not predicate():
            if time.monotonic() > deadline:
                return False
            await self.sync()
        return True

    def member(self, room_id, user_id, membership, **content) -> bool:
        return any(isinstance(e, RoomMemberEvent) and r == room_id and e.state_key == user_id
                   and e.membership == membership and all(e.content.get(k) == v for k, v in content.items())
                   for r, e in self.timeline)

    def duplicates(self) -> int:
        return sum(n - 1 for n in self.seen.values() if n > 1)


async def scenario(alice: Peer, bob: Peer, steps: dict, fail) -> None:
    for p in (alice, bob):
        r = await p.client.register(p.localpart, secrets.token_urlsafe(16), device_name=f"nio {p.name}")
        if not isinstance(r, RegisterResponse):
            return fail(f"register {p.name}: {r}")
        await p.sync()  # initial sync: the token every later sync chains from
    steps["register"] = {"alice": alice.user_id, "bob": bob.user_id}

    created = await alice.client.room_create(name="nio rooms", preset=RoomPreset.private_chat)
    if not isinstance(created, RoomCreateResponse):
        return fail(f"room_create: {created}")
    room = steps["create"] = created.room_id
    invited = await alice.client.room_invite(room, bob.user_id)
    if not isinstance(invited, RoomInviteResponse):
        return fail(f"room_invite: {invited}")
    steps["invite_seen"] = await bob.until(lambda: room in bob.invited)
    if not steps["invite_seen"]:
        fail("bob's sync never listed the room under rooms.invite")
    joined = await bob.client.join(room)
    steps["join"] = isinstance(joined, JoinResponse)
    if not steps["join"]:
        return fail(f"join: {joined}")

    # Event ids in send order; bob first in each pair so the room's last event is alice's. Both sync after every
    # pair: many short incremental batches, never a limited timeline whose gap would hide a lost event.
    sent = []
    for i in range(MESSAGES_EACH):
        for p in (bob, alice):
            r = await p.client.room_send(room, "m.room.message", {"msgtype": "m.text", "body": f"{p.name} {i}"})
            if not isinstance(r, RoomSendResponse):
                return fail(f"room_send {p.name} {i}: {r}")
            sent.append(r.event_id)
        await alice.sync()
        await bob.sync()

    def all_seen(p, *memberships):
        return lambda: all(e in p.seen for e in sent) and all(p.member(room, *m) for m in memberships)

    if not await alice.until(all_seen(alice, (bob.user_id, "invite"), (bob.user_id, "join"))):
        fail("alice did not see all messages and bob's invite and join in her timeline")
    if not await bob.until(all_seen(bob, (bob.user_id, "join"))):
        fail("bob did not see all messages and his own join in his timeline")
    steps["messages_seen_by_alice"] = sum(e in alice.seen for e in sent)
    steps["messages_seen_by_bob"] = sum(e in bob.seen for e in sent)

    history, token, sent_ids = [], bob.next_batch, set(sent)
    for _ in range(100):
        r = await bob.client.room_messages(room, start=token, direction=MessageDirection.back, limit=20)
        if not isinstance(r, RoomMessagesResponse):
            fail(f"room_messages: {r}")
            break
        history.extend(r.chunk)
        if not r.chunk or r.end is None:
            break
        token = r.end
    in_history = [e.event_id for e in history if e.event_id in sent_ids]
    steps["history_count"] = len(history)
    steps["history_reaches_create"] = any(isinstance(e, RoomCreateEvent) for e in history)
    steps["history_in_order"] = in_history == sent[::-1]
    if not steps["history_reaches_create"]:
        fail("back pagination stopped before m.room.create")
    if not steps["history_in_order"]:
        fail(f"back pagination returned {len(in_history)} of {len(sent)} messages ({len(set(in_history))} distinct),"
             " not exactly once in reverse send order")

    def typing(present):
        def check():
            notices = [e for r, e in bob.ephemeral if r == room and isinstance(e, TypingNoticeEvent)]
            return bool(notices) and (alice.user_id in notices[-1].users) == present
        return check

    await alice.client.room_typing(room, True, timeout=30000)
    steps["typing_seen"] = await bob.until(typing(True))
    await alice.client.room_typing(room, False)
    steps["typing_stop_seen"] = await bob.until(typing(False))
    if not steps["typing_seen"]:
        fail("bob's sync never carried an m.typing naming alice")
    if not steps["typing_stop_seen"]:
        fail("bob's sync never carried an m.typing without alice after she stopped")

    last = sent[-1]
    await bob.client.update_receipt_marker(room, last)
    steps["receipt_seen"] = await alice.until(lambda: any(
        isinstance(e, ReceiptEvent) and r == room and any(x.user_id == bob.user_id and x.event_id == last
                                                          for x in e.receipts) for r, e in alice.ephemeral))
    if not steps["receipt_seen"]:
        fail("alice's sync never carried bob's m.read receipt for the last message")

    await alice.client.set_displayname("Alice Cooper")
    seen_name = await bob.until(lambda: bob.member(room, alice.user_id, "join", displayname="Alice Cooper"))
    profile = await bob.client.get_displayname(alice.user_id)
    profile_name = profile.displayname if isinstance(profile, ProfileGetDisplayNameResponse) else None
    steps["displayname_seen"] = seen_name and profile_name == "Alice Cooper"
    if not seen_name:
        fail("bob never saw alice's m.room.member event with displayname 'Alice Cooper'")
    if profile_name != "Alice Cooper":
        fail(f"get_displayname(alice) returned {profile}")

    left = await bob.client.room_leave(room)
    if not isinstance(left, RoomLeaveResponse):
        fail(f"room_leave: {left}")
    steps["leave_seen_by_alice"] = await alice.until(lambda: alice.member(room, bob.user_id, "leave"))
    steps["leave_in_bob_sync"] = await bob.until(lambda: room in bob.left)
    if not steps["leave_seen_by_alice"]:
        fail("alice never saw bob's leave membership event")
    if not steps["leave_in_bob_sync"]:
        fail("bob's sync never listed the room under rooms.leave")


async def main(homeserver: str) -> dict:
    alice, bob = Peer(homeserver, "alice"), Peer(homeserver, "bob")
    steps, failures = {}, []
    try:
        await scenario(alice, bob, steps, failures.append)
    finally:
        await alice.client.close()
        await bob.client.close()
    steps["duplicates"] = {p.name: p.duplicates() for p in (alice, bob)}
    for p in (alice, bob):
        if p.duplicates():
            failures.append(f"{p.name} saw {p.duplicates()} timeline events more than once across syncs")
        if p.sync_errors:
            failures.append(f"{p.name}: {len(p.sync_errors)} sync errors, first: {p.sync_errors[0]}")
    for key in ("messages_seen_by_alice", "messages_seen_by_bob"):
        if steps.get(key, 0) != 2 * MESSAGES_EACH:
            failures.append(f"{key} is {steps.get(key)}, expected {2 * MESSAGES_EACH}")
    return {"ok": not failures, "steps": steps, "failures": failures}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
