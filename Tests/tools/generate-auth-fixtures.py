"""Writes the authorisation and state resolution fixtures of Tests/EventAuthTests from Synapse's own code.

* SynapseAuthFixtures.swift: rooms of every version (1-12) with candidate events and whether Synapse's
  `check_state_independent_auth_rules` plus `check_state_dependent_auth_rules` (against the event's auth events)
  allow each one.
* SynapseStateResFixtures.swift: rooms whose DAG forks and merges repeatedly, with the state sets at each merge
  and the state Synapse resolves from them (state res v1 for room v1, v2 for v2-v11, v2.1 for v12).

Every event is hashed and signed with the spec's test key, so event IDs are the real reference hashes.

Usage: python generate-auth-fixtures.py Tests/EventAuthTests
(with matrix-synapse 1.163.2 installed, as `make venv` does)."""
import asyncio
import copy
import json
import os
import random
import sys

from signedjson.key import decode_signing_key_base64, get_verify_key
from signedjson.sign import sign_json
from synapse.api.room_versions import KNOWN_ROOM_VERSIONS
from synapse.crypto.event_signing import add_hashes_and_signatures, compute_event_reference_hash
from synapse.event_auth import check_state_dependent_auth_rules, check_state_independent_auth_rules
from synapse.events import make_event_from_dict
from synapse.state import v1 as state_v1
from synapse.state import v2 as state_v2
from synapse.storage.databases.main.event_federation import StateDifference
from unpaddedbase64 import encode_base64

SYNAPSE_VERSION = "1.163.2"
SERVER_KEY = decode_signing_key_base64("ed25519", "1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1")
IDENTITY_KEY = decode_signing_key_base64("ed25519", "0", "B1dF7xH2oPb6sJ0n8R4mW9tKq3yZ5cVgLuA+eIiO1Q0")
IDENTITY_PUBLIC_KEY = encode_base64(get_verify_key(IDENTITY_KEY).encode())
VERSIONS = [str(v) for v in range(1, 13)]

CREATE, MEMBER, PL, JR, TPI = (
    "m.room.create", "m.room.member", "m.room.power_levels", "m.room.join_rules", "m.room.third_party_invite")
ALICE, BOB, CAROL, DAVE = "@alice:a.example", "@bob:b.example", "@carol:c.example", "@dave:a.example"
ERIN, FRANK, MALLORY, SAM = "@erin:e.example", "@frank:f.example", "@mallory:m.example", "@sam:s.example"
ZARA, TP = "@zara:z.example", "@tp:t.example"


def domain(user_id):
    return user_id.split(":", 1)[1]


def version_number(version):
    return int(version)


class Store:
    """An in-memory event store: what the auth checks and state resolution fetch events from."""

    def __init__(self):
        self.events = {}

    async def get_events(self, event_ids, redact_behaviour=None, get_prev_content=False, allow_rejected=False):
        return {event_id: self.events[event_id] for event_id in event_ids if event_id in self.events}

    async def get_auth_chain_difference(self, room_id, state_sets, conflicted_state=None, additional=None):
        # Every event is handed to state resolution as unpersisted, so Synapse computes the auth difference and the
        # conflicted subgraph itself; the persisted part it asks the store for is always empty.
        return StateDifference(auth_difference=set(), conflicted_subgraph=None if conflicted_state is None else set())


class Clock:
    async def sleep(self, duration):
        return None


def run(coroutine):
    return asyncio.new_event_loop().run_until_complete(coroutine)


class Room:
    """Builds a room's events, deciding each one with Synapse's auth checks against its auth events."""

    def __init__(self, version, rng):
        self.version = version
        self.rv = KNOWN_ROOM_VERSIONS[version]
        self.rng = rng
        self.store = Store()
        self.order = []
        self.dicts = {}
        self.rejected = set()
        # Rooms before v12 are named by their creator's server; a v12 room is named after its create event.
        self.room_id = None if version == "12" else "!r%d:a.example" % rng.randint(0, 99999)
        self.ts = 1_700_000_000_000
        self.counter = 0

    @property
    def uses_v1_format(self):
        return version_number(self.version) <= 2

    def auth_ids(self, event_type, sender, state_key, content, state):
        if event_type == CREATE and state_key == "":
            return []
        keys = {(PL, ""), (MEMBER, sender)}
        if self.version != "12":
            keys.add((CREATE, ""))
        if event_type == MEMBER:
            keys.add((MEMBER, state_key))
            membership = content.get("membership")
            if membership in ("join", "invite", "knock"):
                keys.add((JR, ""))
            invite = content.get("third_party_invite")
            if membership == "invite" and isinstance(invite, dict) and isinstance(invite.get("signed"), dict):
                token = invite["signed"].get("token")
                if isinstance(token, str):
                    keys.add((TPI, token))
            authoriser = content.get("join_authorised_via_users_server")
            if self.rv.restricted_join_rule and membership == "join" and isinstance(authoriser, str):
                keys.add((MEMBER, authoriser))
        return sorted(state[key] for key in keys if key in state)

    def reference(self, event_id):
        if not self.uses_v1_format:
            return event_id
        name, digest = compute_event_reference_hash(self.store.events[event_id])
        return [event_id, {name: encode_base64(digest)}]

    def build(self, event_type, sender, content, state_key=None, prev=(), auth=(), room_id=True, redacts=None,
              tick=None):
        """An event dict, hashed and signed by the sender's server, turned into a Synapse event."""
        self.ts += self.rng.choice([0, 1, 7, 1000]) if tick is None else tick
        depth = 1 + max([self.store.events[p].depth for p in prev if p in self.store.events] or [0])
        event = {"type": event_type, "sender": sender, "content": content, "depth": depth,
                 "origin_server_ts": self.ts,
                 "prev_events": [self.reference(p) for p in prev], "auth_events": [self.reference(a) for a in auth]}
        if state_key is not None:
            event["state_key"] = state_key
        if room_id is True and self.room_id is not None:
            event["room_id"] = self.room_id
        elif isinstance(room_id, str):
            event["room_id"] = room_id
        if redacts is not None:
            if self.rv.updated_redaction_rules:
                event["content"] = dict(content, redacts=redacts)
            else:
                event["redacts"] = redacts
        if self.uses_v1_format:
            self.counter += 1
            event["event_id"] = "$e%d-%d:%s" % (self.counter, self.rng.randint(0, 999), domain(sender))
        add_hashes_and_signatures(self.rv, event, domain(sender), SERVER_KEY)
        return event

    def decide(self, event):
        """Synapse's verdict on an event against its own auth events, with the reason when it refuses."""
        try:
            run(check_state_independent_auth_rules(self.store, event))
            auth_events = [self.store.events[i] for i in event.auth_event_ids() if i in self.store.events]
            check_state_dependent_auth_rules(event, auth_events)
            return True, ""
        except Exception as error:  # Synapse signals refusals with several exception types.
            return False, "%s: %s" % (type(error).__name__, error)

    def add(self, event_dict, rejected=False):
        event = make_event_from_dict(copy.deepcopy(event_dict), self.rv, rejected_reason="auth" if rejected else None)
        self.store.events[event.event_id] = event
        self.order.append((event.event_id, event_dict))
        self.dicts[event.event_id] = event_dict
        if rejected:
            self.rejected.add(event.event_id)
        return event

    def send(self, event_type, sender, content, state, state_key=None, prev=None, auth_state=None, **extra):
        """Builds an event on `prev` with auth events from `auth_state` (default `state`), stores it, rejected if
        Synapse refuses it, and applies it to `state` when accepted."""
        auth = self.auth_ids(event_type, sender, state_key, content, state if auth_state is None else auth_state)
        event_dict = self.build(event_type, sender, content, state_key, prev=prev or [], auth=auth, **extra)
        allowed, _ = self.decide(make_event_from_dict(copy.deepcopy(event_dict), self.rv))
        event = self.add(event_dict, rejected=not allowed)
        if event_type == CREATE and state_key == "" and self.room_id is None:
            self.room_id = event.room_id
        if allowed and state_key is not None:
            state[(event_type, state_key)] = event.event_id
        return event, allowed

    def content_of(self, state, key):
        event_id = state.get(key)
        return copy.deepcopy(self.dicts[event_id]["content"]) if event_id else {}

    def events_json(self):
        return [json.dumps(event_dict, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                for _, event_dict in self.order]


def create_content(room, rng, creator=ALICE):
    content = {"room_version": room.version}
    if not room.rv.implicit_room_creator:
        content["creator"] = creator
    if room.version == "12" and rng.random() < 0.7:
        content["additional_creators"] = [ZARA]
    return content


def level(rng, version, value):
    """A power level as later versions require it, or in one of the legacy forms earlier versions accept."""
    number = version_number(version)
    if number < 10 and rng.random() < 0.3:
        return rng.choice(["%d" % value, " +%d " % value, "0%d" % value])
    if number <= 2 and rng.random() < 0.2:
        return value + 0.5
    return value


def initial_power_levels(room, rng, creators):
    version = room.version
    users = {BOB: level(rng, version, 50), DAVE: level(rng, version, rng.choice([50, 100]))}
    if ALICE not in creators:
        users[ALICE] = 100
    return {
        "users": users, "users_default": 0, "state_default": 50, "events_default": 0, "ban": 50, "kick": 50,
        "redact": 50, "invite": rng.choice([0, 50]), "notifications": {"room": 50},
        "events": {PL: 100, "m.room.name": level(rng, version, 50), "org.example.profile": 0},
    }


def build_base_room(version, rng, full=True):
    """create, joins, power levels and a public join rule; when `full`, also an invite, a ban, a knock (v7+),
    a third-party invite, a rejected join and a final join rule."""
    room = Room(version, rng)
    state = {}
    create, _ = room.send(CREATE, ALICE, create_content(room, rng), state, state_key="")
    creators = {ALICE} | set(room.dicts[create.event_id]["content"].get("additional_creators", [])) \
        if version == "12" else set()
    tip = [create.event_id]

    def send(event_type, sender, content, state_key=None, **extra):
        nonlocal tip
        event, allowed = room.send(event_type, sender, content, state, state_key=state_key, prev=tip, **extra)
        tip = [event.event_id]
        return event, allowed

    send(MEMBER, ALICE, {"membership": "join"}, ALICE)
    send(PL, ALICE, initial_power_levels(room, rng, creators), "")
    send(JR, ALICE, {"join_rule": "public"}, "")
    for user in [BOB, CAROL, DAVE, MALLORY] + ([ZARA] if ZARA in creators else []):
        send(MEMBER, user, {"membership": "join"}, user)
    if not full:
        return room, state, tip, creators
    levels = room.content_of(state, (PL, ""))
    levels["users"][CAROL] = 0
    send(PL, ALICE, levels, "")
    send(MEMBER, ALICE, {"membership": "invite"}, ERIN)
    send(MEMBER, ALICE, {"membership": "ban"}, MALLORY)
    if room.rv.knock_join_rule:
        send(JR, ALICE, {"join_rule": "knock"}, "")
        send(MEMBER, FRANK, {"membership": "knock"}, FRANK)
    send(TPI, ALICE, {"display_name": "t...", "key_validity_url": "https://id.example/isvalid",
                      "public_key": IDENTITY_PUBLIC_KEY, "public_keys": [{"public_key": IDENTITY_PUBLIC_KEY}]}, "tok1")
    rules = ["public", "invite"] + (["knock"] if room.rv.knock_join_rule else []) \
        + (["restricted"] if room.rv.restricted_join_rule else []) \
        + (["knock_restricted"] if room.rv.knock_restricted_join_rule else [])
    send(JR, ALICE, {"join_rule": "invite"}, "")
    send(MEMBER, SAM, {"membership": "join"}, SAM)  # rejected: the room is invite-only
    send(JR, ALICE, {"join_rule": rng.choice(rules)}, "")
    send("m.room.message", CAROL, {"body": "hello", "msgtype": "m.text"})
    return room, state, tip, creators


def signed_invite(mxid=TP, token="tok1"):
    return sign_json({"mxid": mxid, "token": token, "sender": ALICE}, "id.example", IDENTITY_KEY)


def member_candidates(version, creators):
    rv = KNOWN_ROOM_VERSIONS[version]
    joins = [(SAM, {}), (ERIN, {}), (MALLORY, {}), (FRANK, {}), (BOB, {}), (CAROL, {})]
    if rv.restricted_join_rule:
        joins += [(SAM, {"join_authorised_via_users_server": BOB}), (SAM, {"join_authorised_via_users_server": CAROL}),
                  (SAM, {"join_authorised_via_users_server": ERIN}), (FRANK, {"join_authorised_via_users_server": DAVE})]
    cases = [(user, user, dict({"membership": "join"}, **extra)) for user, extra in joins]
    cases += [(BOB, SAM, {"membership": "join"})]
    cases += [(sender, target, {"membership": "invite"}) for sender, target in
              [(BOB, SAM), (CAROL, SAM), (ALICE, MALLORY), (ALICE, BOB), (SAM, CAROL), (ERIN, SAM)]]
    cases += [(user, user, {"membership": "leave"}) for user in [ERIN, FRANK, CAROL, SAM, MALLORY]]
    cases += [(sender, target, {"membership": "leave"}) for sender, target in
              [(BOB, CAROL), (CAROL, BOB), (BOB, DAVE), (ALICE, BOB), (ALICE, DAVE), (ALICE, MALLORY), (BOB, MALLORY),
               (SAM, CAROL)]]
    cases += [(sender, target, {"membership": "ban"}) for sender, target in
              [(ALICE, CAROL), (ALICE, DAVE), (CAROL, BOB), (BOB, ALICE), (BOB, SAM)]]
    cases += [(user, user, {"membership": "knock"}) for user in [SAM, ERIN, BOB, FRANK]]
    invite = {"display_name": "tp", "signed": signed_invite()}
    cases += [
        (ALICE, TP, {"membership": "invite", "third_party_invite": invite}),
        (BOB, TP, {"membership": "invite", "third_party_invite": invite}),
        (ALICE, CAROL, {"membership": "invite", "third_party_invite": invite}),
        (ALICE, TP, {"membership": "invite", "third_party_invite": {"display_name": "tp", "signed": signed_invite(token="nope")}}),
        (ALICE, TP, {"membership": "invite", "third_party_invite": {"display_name": "tp", "signed": dict(signed_invite(), token="tok2")}}),
        (ALICE, MALLORY, {"membership": "invite", "third_party_invite": {"display_name": "m", "signed": signed_invite(mxid=MALLORY)}}),
        (ALICE, TP, {"membership": "invite", "third_party_invite": {"display_name": "tp"}}),
    ]
    if version == "12" and ZARA in creators:
        cases += [(ZARA, ALICE, {"membership": "ban"}), (ZARA, BOB, {"membership": "leave"}),
                  (BOB, ZARA, {"membership": "leave"}), (DAVE, ZARA, {"membership": "ban"})]
    return [(MEMBER, sender, target, content) for sender, target, content in cases]


def power_level_candidates(room, state, creators):
    version = room.version
    current = room.content_of(state, (PL, ""))

    def changed(edit):
        content = copy.deepcopy(current)
        edit(content)
        return content

    def set_path(*path_and_value):
        *path, value = path_and_value

        def edit(content):
            """Sets (or, for None, removes) one power level."""
            target = content
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if value is None:
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
        edit.label = "%s = %r" % (".".join(path), value)
        return edit

    edits = [
        (ALICE, set_path("users", BOB, 75)), (BOB, set_path("users", CAROL, 50)), (BOB, set_path("users", CAROL, 60)),
        (BOB, set_path("users", DAVE, 10)), (BOB, set_path("users", BOB, 10)), (BOB, set_path("ban", 40)),
        (BOB, set_path("kick", 60)), (BOB, set_path("events", PL, 50)), (BOB, set_path("events", "m.room.topic", 50)),
        (BOB, set_path("events", "m.room.topic", 60)), (BOB, set_path("notifications", "room", 100)),
        (BOB, set_path("notifications", "room", None)), (ALICE, set_path("users", BOB, "75")),
        (ALICE, set_path("users", "notauser", 10)), (ALICE, set_path("ban", "abc")), (CAROL, set_path("users", CAROL, 0)),
        (DAVE, set_path("users", BOB, 0)), (ALICE, set_path("users_default", " 10 ")), (BOB, set_path("users", DAVE, None)),
        (ALICE, set_path("events", "m.room.name", 30)), (ALICE, set_path("users", ALICE, 100)),
        (ALICE, set_path("users", ZARA, 100)), (ZARA, set_path("users", BOB, 100)), (BOB, set_path("users", ZARA, 0)),
        (BOB, set_path("users", ALICE, 0)), (DAVE, set_path("users", ALICE, None)),
    ]
    return [(PL, sender, "", changed(edit), edit.label) for sender, edit in edits
            if sender != ZARA or ZARA in creators]


def other_candidates(version, creators):
    cases = [
        ("m.room.message", CAROL, None, {"body": "hi", "msgtype": "m.text"}),
        ("m.room.message", SAM, None, {"body": "hi", "msgtype": "m.text"}),
        ("m.room.message", ERIN, None, {"body": "hi", "msgtype": "m.text"}),
        ("m.room.message", MALLORY, None, {"body": "hi", "msgtype": "m.text"}),
        ("m.room.name", CAROL, "", {"name": "n"}), ("m.room.name", BOB, "", {"name": "n"}),
        ("m.room.topic", DAVE, "", {"topic": "t"}), ("m.room.topic", CAROL, "", {"topic": "t"}),
        ("org.example.profile", CAROL, CAROL, {"x": 1}), ("org.example.profile", CAROL, BOB, {"x": 1}),
        ("org.example.profile", BOB, "@carol", {"x": 1}),
        (TPI, CAROL, "tok9", {"display_name": "x", "public_key": IDENTITY_PUBLIC_KEY}),
        (TPI, SAM, "tok9", {"display_name": "x", "public_key": IDENTITY_PUBLIC_KEY}),
        ("m.room.aliases", BOB, "b.example", {"aliases": ["#b:b.example"]}),
        ("m.room.aliases", BOB, "a.example", {"aliases": ["#a:a.example"]}),
        ("m.room.aliases", CAROL, "c.example", {"aliases": ["#c:c.example"]}),
        ("m.room.aliases", MALLORY, "m.example", {"aliases": ["#m:m.example"]}),
    ]
    if ZARA in creators:
        cases += [("m.room.name", ZARA, "", {"name": "z"})]
    return cases


def candidate_case(room, state, tip, event_type, sender, state_key, content, **extra):
    auth = room.auth_ids(event_type, sender, state_key, content, state)
    event_dict = room.build(event_type, sender, content, state_key, prev=tip, auth=auth, **extra)
    return event_dict


def add_case(cases, room_index, room, event_dict, label):
    """Records Synapse's verdict; an event Synapse cannot even parse counts as refused."""
    try:
        event = make_event_from_dict(copy.deepcopy(event_dict), room.rv)
    except Exception as error:  # Synapse drops events it cannot parse.
        cases.append({"room": room_index, "label": label, "event": canonical(event_dict), "event_id": None,
                      "allowed": False, "synapse_reason": "unparseable: %s" % error})
        return
    allowed, reason = room.decide(event)
    cases.append({"room": room_index, "label": label, "event": canonical(event_dict), "event_id": event.event_id,
                  "allowed": allowed, "synapse_reason": reason})


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def auth_fixtures(rng):
    rooms, cases = [], []
    for version in VERSIONS:
        room, state, tip, creators = build_base_room(version, rng)
        index = len(rooms)
        rooms.append(room)
        candidates = member_candidates(version, creators) + power_level_candidates(room, state, creators) \
            + other_candidates(version, creators)
        for event_type, sender, state_key, content, *detail in candidates:
            event_dict = candidate_case(room, state, tip, event_type, sender, state_key, content)
            label = "%s by %s" % (event_type, sender) + (" for %s" % state_key if state_key else "")
            add_case(cases, index, room, event_dict, label + "".join(": " + d for d in detail))
        add_redaction_cases(cases, index, room, state, tip)
        add_auth_event_cases(cases, index, room, state, tip)
        add_create_cases(cases, rooms, version, rng)
        add_first_join_cases(cases, rooms, version, rng)
        add_federation_cases(cases, rooms, version, rng)
    return rooms, cases


def add_redaction_cases(cases, index, room, state, tip):
    alice_event = next(i for i, d in room.order if d["sender"] == ALICE and d["type"] == JR)
    carol_event = next(i for i, d in room.order if d["sender"] == CAROL and d["type"] == "m.room.message")
    for sender, target in [(CAROL, alice_event), (CAROL, carol_event), (BOB, alice_event), (SAM, carol_event)]:
        content = {"reason": "r"}
        event_dict = candidate_case(room, state, tip, "m.room.redaction", sender, None, content, redacts=target)
        add_case(cases, index, room, event_dict, "redaction by %s" % sender)


def add_auth_event_cases(cases, index, room, state, tip):
    message = {"body": "m", "msgtype": "m.text"}
    normal = room.auth_ids("m.room.message", CAROL, None, message, state)
    old_levels = next(i for i, d in room.order if d["type"] == PL)
    variants = [
        ("duplicate power levels", normal + [old_levels]),
        ("unexpected join rules", normal + [state[(JR, "")]]),
        ("no power levels", [i for i in normal if i != state[(PL, "")]]),
    ]
    if room.version != "12":
        variants.append(("no create event", [i for i in normal if i != state[(CREATE, "")]]))
    else:
        variants.append(("listed create event", normal + ["$" + room.room_id[1:]]))
    for label, auth in variants:
        event_dict = room.build("m.room.message", CAROL, message, prev=tip, auth=auth)
        add_case(cases, index, room, event_dict, label)
    rejected_join = next(i for i, d in room.order if d["sender"] == SAM and i in room.rejected)
    sam_auth = sorted(room.auth_ids("m.room.message", SAM, None, message, state) + [rejected_join])
    event_dict = room.build("m.room.message", SAM, message, prev=tip, auth=sam_auth)
    add_case(cases, index, room, event_dict, "rejected auth event")


def add_create_cases(cases, rooms, version, rng):
    """Create events on their own: each is checked in an otherwise empty room."""
    room = Room(version, rng)
    index = len(rooms)
    rooms.append(room)
    base = create_content(room, rng)
    room_id = None if version == "12" else "!new:a.example"
    variants = [("valid create", base, room_id, []),
                ("create with prev_events", base, room_id,
                 ["$p:a.example" if room.uses_v1_format else "$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]),
                ("unknown room version", dict(base, room_version="999"), room_id, []),
                ("room version not a string", dict(base, room_version=5), room_id, []),
                ("no creator", {k: v for k, v in base.items() if k != "creator"}, room_id, [])]
    if version == "12":
        variants += [("additional creators", dict(base, additional_creators=["@x:x.example"]), None, []),
                     ("additional creator not a user", dict(base, additional_creators=["notauser"]), None, []),
                     ("additional creators not a list", dict(base, additional_creators="@x:x.example"), None, []),
                     ("additional creator not a string", dict(base, additional_creators=[5]), None, []),
                     ("create with room_id", base, "!new:a.example", [])]
    else:
        variants.append(("room on another server", base, "!new:other.example", []))
    for label, content, rid, prev in variants:
        event = {"type": CREATE, "state_key": "", "sender": ALICE, "content": content, "depth": 1,
                 "origin_server_ts": 1_700_000_000_000, "auth_events": [],
                 "prev_events": [[p, {"sha256": "aGFzaA"}] if room.uses_v1_format else p for p in prev]}
        if rid is not None:
            event["room_id"] = rid
        if room.uses_v1_format:
            event["event_id"] = "$create-%d:a.example" % len(cases)
        add_hashes_and_signatures(room.rv, event, "a.example", SERVER_KEY)
        add_case(cases, index, room, event, label)


def add_first_join_cases(cases, rooms, version, rng):
    room = Room(version, rng)
    index = len(rooms)
    rooms.append(room)
    state = {}
    create, _ = room.send(CREATE, ALICE, create_content(room, rng), state, state_key="")
    for user in [ALICE, BOB]:
        event_dict = candidate_case(room, state, [create.event_id], MEMBER, user, user, {"membership": "join"})
        add_case(cases, index, room, event_dict, "first join by %s" % user)


def add_federation_cases(cases, rooms, version, rng):
    room = Room(version, rng)
    index = len(rooms)
    rooms.append(room)
    state = {}
    create, _ = room.send(CREATE, ALICE, dict(create_content(room, rng), **{"m.federate": False}), state, state_key="")
    tip = [create.event_id]
    for event_type, sender, content, state_key in [
            (MEMBER, ALICE, {"membership": "join"}, ALICE),
            (JR, ALICE, {"join_rule": "public"}, "")]:
        event, _ = room.send(event_type, sender, content, state, state_key=state_key, prev=tip)
        tip = [event.event_id]
    for user in [DAVE, BOB]:
        event_dict = candidate_case(room, state, tip, MEMBER, user, user, {"membership": "join"})
        add_case(cases, index, room, event_dict, "join of an unfederated room by %s" % user)


class DAGBuilder:
    """Grows a room whose DAG forks into branches and merges them again with Synapse's state resolution."""

    def __init__(self, version, rng):
        self.rng = rng
        self.room, self.state, self.tip, self.creators = build_base_room(version, rng, full=False)
        self.history = [dict(self.state)]
        self.cases = []

    def members(self, state, membership="join"):
        return sorted(k[1] for k, v in state.items()
                      if k[0] == MEMBER and self.room.dicts[v]["content"].get("membership") == membership)

    def random_event(self, state):
        rng = self.rng
        joined = self.members(state) or [ALICE]
        sender = rng.choice(joined)
        everyone = [ALICE, BOB, CAROL, DAVE, ERIN, FRANK, MALLORY, SAM] + ([ZARA] if ZARA in self.creators else [])
        kind = rng.choice(["power", "power", "join_rules", "kick", "ban", "join", "invite", "leave", "name",
                           "message", "unban"])
        if kind == "power":
            content = self.room.content_of(state, (PL, "")) or {"users": {}}
            content.setdefault("users", {})
            target = rng.choice([BOB, CAROL, DAVE])
            if rng.random() < 0.7:
                content["users"][target] = rng.choice([0, 25, 50, 75, 100])
            else:
                content.setdefault("events", {})["m.room.name"] = rng.choice([0, 50, 100])
                content[rng.choice(["kick", "ban", "invite", "state_default"])] = rng.choice([0, 50, 100])
            return PL, sender, "", content
        if kind == "join_rules":
            return JR, sender, "", {"join_rule": rng.choice(["public", "invite"])}
        if kind in ("kick", "ban", "unban"):
            membership = "ban" if kind == "ban" else "leave"
            return MEMBER, sender, rng.choice(everyone), {"membership": membership}
        if kind == "join":
            user = rng.choice(everyone)
            return MEMBER, user, user, {"membership": "join"}
        if kind == "invite":
            return MEMBER, sender, rng.choice(everyone), {"membership": "invite"}
        if kind == "leave":
            return MEMBER, sender, sender, {"membership": "leave"}
        if kind == "name":
            return "m.room.name", sender, "", {"name": "name %d" % rng.randint(0, 99)}
        return "m.room.message", sender, None, {"body": "b", "msgtype": "m.text"}

    def branch(self, start_state, tip, length):
        state = dict(start_state)
        for _ in range(length):
            event_type, sender, state_key, content = self.random_event(state)
            stale = self.rng.random() < 0.15
            auth_state = self.rng.choice(self.history) if stale else state
            auth = self.room.auth_ids(event_type, sender, state_key, content, auth_state)
            event_dict = self.room.build(event_type, sender, content, state_key, prev=tip, auth=auth)
            allowed, _ = self.room.decide(make_event_from_dict(copy.deepcopy(event_dict), self.room.rv))
            flagged = allowed and self.rng.random() < 0.05
            event = self.room.add(event_dict, rejected=not allowed or flagged)
            tip = [event.event_id]
            if allowed and state_key is not None:
                state[(event_type, state_key)] = event.event_id
                self.history.append(dict(state))
        return state, tip

    def resolve(self, state_sets):
        room = self.room
        if room.rv.state_res == 1:
            return run(state_v1.resolve_events_with_store(
                room.room_id, room.rv, state_sets, None, lambda ids: room.store.get_events(ids)))
        return dict(run(state_v2.resolve_events_with_store(
            Clock(), room.room_id, room.rv, state_sets, dict(room.store.events), room.store)))

    def round(self):
        branch_count = self.rng.randint(2, 3)
        results = [self.branch(self.state, self.tip, self.rng.randint(1, 6)) for _ in range(branch_count)]
        state_sets = [state for state, _ in results]
        resolved = self.resolve(state_sets)
        self.cases.append({"state_sets": [sorted_state(s) for s in state_sets], "resolved": sorted_state(resolved)})
        self.state = dict(resolved)
        self.history.append(dict(self.state))
        self.tip = sorted({event_id for _, tip in results for event_id in tip})


def sorted_state(state):
    return sorted([key[0], key[1], event_id] for key, event_id in state.items())


def state_res_fixtures(rng):
    rooms = []
    plan = [("1", 4)] + [(str(v), 3) for v in range(2, 12)] + [("12", 30)]
    for version, room_count in plan:
        for _ in range(room_count):
            builder = DAGBuilder(version, rng)
            for _ in range(3):
                builder.round()
            rooms.append(builder)
    return rooms


def room_json(room):
    return {"room_version": room.version, "events": room.events_json(),
            "event_ids": [event_id for event_id, _ in room.order], "rejected": sorted(room.rejected)}


def write_swift(path, name, comment, payload):
    body = json.dumps(payload, ensure_ascii=True, indent=1)
    assert '"""#' not in body
    with open(path, "w") as out:
        out.write("// Generated by Tests/tools/generate-auth-fixtures.py with matrix-synapse %s; do not edit by hand.\n"
                  % SYNAPSE_VERSION)
        out.write("// %s\n" % comment)
        out.write("enum %s {\n    static let json = #\"\"\"\n" % name)
        out.write(body)
        out.write("\n\"\"\"#\n}\n")


def main(directory):
    rng = random.Random(0xA17)
    rooms, cases = auth_fixtures(rng)
    write_swift(os.path.join(directory, "SynapseAuthFixtures.swift"), "SynapseAuthFixtures",
                "Candidate events in rooms of every version, and whether Synapse's auth checks allow each.",
                {"rooms": [room_json(room) for room in rooms], "cases": cases})
    dags = state_res_fixtures(rng)
    write_swift(os.path.join(directory, "SynapseStateResFixtures.swift"), "SynapseStateResFixtures",
                "Forked and merged DAGs of every version, with the state sets at each merge and Synapse's resolution.",
                [dict(room_json(builder.room), merges=builder.cases) for builder in dags])
    allowed = sum(case["allowed"] for case in cases)
    merges = sum(len(builder.cases) for builder in dags)
    print("wrote %d auth decisions (%d allowed) and %d merges in %d DAGs to %s"
          % (len(cases), allowed, merges, len(dags), directory))


if __name__ == "__main__":
    main(sys.argv[1])
