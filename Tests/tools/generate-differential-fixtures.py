"""Writes the differential fixtures of Tests/EventAuthTests/Differential from Synapse's own code.

A seeded generator draws rooms of several versions and, in each, random events: content with non-ASCII and
combining-mark keys, canonically equivalent key pairs (U+00E9 and e + U+0301), legacy numbers (floats, integers
beyond 2^53; rooms v1-v5 only, v6+ rooms get a few as refused cases), deep nesting, power levels re-spelling user
IDs and event types or holding values Python's int() refuses (rooms v1-v9 accept those in a first power levels
event), state keys and user IDs in both spellings, restricted and knock_restricted joins with and without the
authorising server's signature, third-party invites, v1-v2 redactions, aliases events, odd join rules and
memberships, and m.federate in several forms. Each event is recorded with Synapse's verdicts: whether it parses
as a PDU, its canonical bytes, content hash, event ID, redacted form, whether its signatures satisfy Synapse's
signature rules, and whether the auth rules allow it against its auth events. Rooms fork and merge; each merge records the state sets and Synapse's resolution, with
both v2 and v2.1 for rooms v10-v12 (the fixtures keep at least MIN_V2_V21_DIFFERENCES merges where they differ).

Usage: python generate-differential-fixtures.py Tests/EventAuthTests/Differential
(with matrix-synapse 1.163.2 installed, as `make venv` does)."""
import base64
import copy
import hashlib
import importlib.util
import json
import os
import random
import sys

from canonicaljson import encode_canonical_json
from signedjson.key import decode_signing_key_base64, get_verify_key
from signedjson.sign import sign_json, verify_signed_json
from synapse.api.room_versions import KNOWN_ROOM_VERSIONS, StateResolutionVersions
from synapse.crypto.event_signing import compute_content_hash, compute_event_signature
from synapse.event_auth import _check_size_limits, validate_event_for_room_version
from synapse.events import make_event_from_dict
from synapse.federation.federation_base import _check_sigs_on_pdu, event_from_pdu_json
from synapse.state import v2 as state_v2
from synapse.synapse_rust.events import redact_event_dict
from synapse.util.json import json_decoder
from unpaddedbase64 import encode_base64

_spec = importlib.util.spec_from_file_location(
    "auth_fixtures", os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate-auth-fixtures.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

SEED = 0xD1FF
MIN_V2_V21_DIFFERENCES = 30
ABSENT = object()  # a create event without m.federate
CREATE, MEMBER, PL, JR, TPI = base.CREATE, base.MEMBER, base.PL, base.JR, base.TPI
VERIFY_KEY = get_verify_key(base.SERVER_KEY)
IDENTITY_KEY_COMBINING = decode_signing_key_base64("ed25519", "\u0301x", encode_base64(base.IDENTITY_KEY.encode()))
# Servers whose keys the receiving side knows (all sign with the same key); any other name has no keys.
SERVERS = ["a.example", "b.example", "c.example", "d.example", "e.example", "x.example"]

E_ACUTE, E_COMBINING = "\u00e9", "e\u0301"
# Users in both spellings of the same text, plus other scripts; all on servers in SERVERS.
CREATOR = "@alice:a.example"
USERS = [CREATOR, "@" + E_ACUTE + ":a.example", "@" + E_COMBINING + ":a.example", "@bob:b.example",
         "@\u00f1o:c.example", "@n\u0303o:c.example", "@\u65e5\u672c:d.example", "@carol:c.example",
         "@\u00c5:e.example", "@\u212b:e.example", "@dave:x.example"]
# Keys that collide under canonical equivalence (or compatibility forms, which must stay distinct too).
KEYS = [E_ACUTE, E_COMBINING, "\u00c5", "A\u030a", "\u212b", "\uac00", "\u1100\u1161", "\ufb01", "fi", "a", "b",
        "\u0301", "\U0001f389", "\u2028", "\u0007", "\"q\"", "back\\slash", "", "m.room.name", "m.room.nam" + E_ACUTE,
        "m.room.name\u0301"]
STRINGS = ["", "plain", E_ACUTE, E_COMBINING, "\u0000nul", "\u001f", "\u007f", "\u2029", "\U0001f600", "\\", "\"",
           "\ud7ff\ue000", "a\u0301\u0302\u0303"]
LEGACY_NUMBERS = [1e16, 1e-05, 1000000000000000.0, 0.1, -0.0, 1.5, 1e100, 5e-324, 1.7976931348623157e308,
                  123456789.123, 2 ** 53, 2 ** 53 + 1, -(2 ** 53) - 7, 2 ** 63 - 1, -(2 ** 63)]
# Power levels as Python's int() reads them (rooms v1-v9 accept them; v10+ refuse them).
LEGACY_LEVELS = [" 50 ", "+50", "\u00a050\u3000", "\u0665\u0660", "1_0", "1__0", "_5", "5\u0301", "\u001c5", "1e2",
                 True, False, 50.9, -0.5, "", "-0"]
CANONICAL_NUMBERS = [0, 1, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 42]


def b64(data):
    return encode_base64(data)


def text(value, rng):
    """The event as a peer might send it: canonical, or with keys in any order and escaped or raw non-ASCII."""
    if rng.random() < 0.7:
        return encode_canonical_json(value).decode()
    return json.dumps(shuffled(value, rng), ensure_ascii=rng.random() < 0.3, separators=(",", ":"))


def shuffled(value, rng, depth=0):
    """Object members in random order (deeply nested values are left as they are)."""
    if depth > 20:
        return value
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng, depth + 1) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng, depth + 1) for v in value]
    return value


def fuzz_value(rng, legacy, depth=0):
    roll = rng.random()
    if depth > 2 or roll < 0.25:
        return rng.choice(STRINGS)
    if roll < 0.45:
        return rng.choice(LEGACY_NUMBERS if legacy and rng.random() < 0.6 else CANONICAL_NUMBERS)
    if roll < 0.55:
        return rng.choice([True, False, None])
    if roll < 0.7:
        return [fuzz_value(rng, legacy, depth + 1) for _ in range(rng.randint(0, 3))]
    return fuzz_object(rng, legacy, depth + 1)


def fuzz_object(rng, legacy, depth=0):
    keys = rng.sample(KEYS, rng.randint(1, 3))
    if rng.random() < 0.4:
        keys += [E_ACUTE, E_COMBINING]  # always both spellings of one key
    return {key: fuzz_value(rng, legacy, depth) for key in keys}


def nested(depth):
    """A value `depth` containers deep."""
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


class Recorder:
    """Synapse's verdicts on one event, from its bytes as received."""

    def __init__(self, room):
        self.room = room

    async def _check_signatures(self, event):
        validate_event_for_room_version(event)
        await _check_sigs_on_pdu(KnownKeys(), self.room.rv, event)

    def record(self, raw):
        room = self.room
        entry = {"json": raw}
        try:
            pdu_json = json_decoder.decode(raw)
            event = event_from_pdu_json(pdu_json, room.rv)
            event_id = event.event_id
            _check_size_limits(event)
        except Exception as error:  # Synapse drops events it cannot parse, whatever the exception.
            entry.update(parsed=False, why=("%s: %s" % (type(error).__name__, error))[:80])
            return entry, None
        pdu = json_decoder.decode(raw)  # as received: get_pdu_json() would add an empty `unsigned`
        canonical = encode_canonical_json(pdu).decode()
        redacted = encode_canonical_json(redact_event_dict(room.rv, pdu)).decode()
        # Forms equal to the bytes as sent (or to the canonical form) are left out to keep the fixtures small.
        if canonical != raw:
            entry["canonical"] = canonical
        if redacted != canonical:
            entry["redacted"] = redacted
        entry.update(parsed=True, event_id=event_id, content_hash=b64(compute_content_hash(pdu, hashlib.sha256)[1]))
        try:
            base.run(self._check_signatures(event))
            entry["signatures_ok"] = True
        except Exception:  # noqa: BLE001 - any failure refuses the event
            entry["signatures_ok"] = False
        allowed, reason = room.decide(event)
        entry["allowed"] = allowed
        if not allowed:
            entry["why"] = reason[:120]
        return entry, event


class KnownKeys:
    """A keyring that knows the key of each server in SERVERS."""

    async def verify_event_for_server(self, server, event, validity_time):
        if server not in SERVERS:
            raise Exception("no keys for %r" % server)
        redacted = redact_event_dict(event.room_version, event.get_pdu_json())
        verify_signed_json(redacted, server, VERIFY_KEY)


class WithStateRes:
    """A room version that resolves state with `algorithm` whatever the real one says, to compare v2 with v2.1."""

    def __init__(self, rv, algorithm):
        self._rv = rv
        self._algorithm = algorithm

    def __getattr__(self, name):
        return self._algorithm if name == "state_res" else getattr(self._rv, name)


class FuzzRoom:
    """A room of one version whose events are drawn at random and recorded with Synapse's verdicts."""

    def __init__(self, version, rng, federate=ABSENT):
        self.rng = rng
        self.room = base.Room(version, rng)
        self.rv = self.room.rv
        self.legacy = not self.rv.strict_canonicaljson
        self.recorder = Recorder(self.room)
        self.entries = []
        self.merges = []
        self.state = {}
        self.history = []
        content = {"room_version": version}
        if not self.rv.implicit_room_creator:
            content["creator"] = CREATOR
        if version == "12" and rng.random() < 0.5:
            content["additional_creators"] = [rng.choice(USERS[1:])]
        if federate is not ABSENT:
            content["m.federate"] = federate
        create = self.emit(CREATE, CREATOR, content, "", prev=[])
        self.tip = [create]
        self.creators = {CREATOR} | set(content.get("additional_creators", [])) if version == "12" else set()

    # -- building and recording --------------------------------------------------------------------------

    def auth_for(self, event_type, sender, state_key, content, state):
        try:
            return self.room.auth_ids(event_type, sender, state_key, content, state)
        except TypeError:  # unhashable authoriser or token: pick from the normal slots only
            return self.room.auth_ids(event_type, sender, state_key, dict(content, membership="leave"), state)

    def emit(self, event_type, sender, content, state_key=None, prev=None, auth_state=None, extra_signers=(),
             unsigned_by_sender=False, dag=True, redacts=None):
        """Builds, signs, records and (when it parses and its signatures hold) stores an event."""
        room = self.room
        state = self.state if auth_state is None else auth_state
        auth = self.auth_for(event_type, sender, state_key, content, state)
        event_dict = room.build(event_type, sender, content, state_key, prev=self.tip if prev is None else prev,
                                auth=auth, redacts=redacts)
        signatures = {} if unsigned_by_sender else event_dict["signatures"]
        for server in extra_signers:
            signatures.update(compute_event_signature(room.rv, event_dict, server, base.SERVER_KEY))
        event_dict["signatures"] = signatures
        entry, event = self.recorder.record(text(event_dict, self.rng))
        self.entries.append(entry)
        if event is None or not entry["signatures_ok"] or not dag:
            entry["stored"] = False
            return None
        entry["stored"] = True
        room.add(event_dict, rejected=not entry["allowed"])
        if entry["allowed"] and state_key is not None:
            self.state[(event_type, state_key)] = event.event_id
            self.history.append(dict(self.state))
        if event_type == CREATE and room.room_id is None:
            room.room_id = event.room_id
        return event.event_id

    def send(self, *args, **kwargs):
        event_id = self.emit(*args, **kwargs)
        if event_id is not None and kwargs.get("prev") is None:
            self.tip = [event_id]
        return event_id

    # -- the room's set-up and random events -----------------------------------------------------------------

    def join_rules(self):
        rules = ["public", "invite"]
        if self.rv.knock_join_rule:
            rules.append("knock")
        if self.rv.restricted_join_rule:
            rules += ["restricted", "restricted"]
        if self.rv.knock_restricted_join_rule:
            rules += ["knock_restricted", "knock_restricted"]
        return rules

    def setup(self):
        rng = self.rng
        self.send(MEMBER, CREATOR, {"membership": "join"}, CREATOR)
        users = {u: rng.choice([0, 50, 100]) for u in rng.sample(USERS[1:], 5) if u not in self.creators}
        if CREATOR not in self.creators:
            users[CREATOR] = 100
        levels = {"users": users, "state_default": 50, "events_default": 0, "invite": 0,
                  "events": {"m.room.name": 50, "m.room.nam" + E_ACUTE: 100}}
        if not self.rv.enforce_int_power_levels and rng.random() < 0.5:
            self.unreadable_level(levels)  # before v10 only `users` is checked, so the room starts with it
        self.send(PL, CREATOR, levels, "")
        self.send(JR, CREATOR, {"join_rule": "public"}, "")
        for user in rng.sample(USERS[1:], 6):
            self.send(MEMBER, user, {"membership": "join"}, user)
        self.send(TPI, CREATOR, {"display_name": "t", "public_key": base.IDENTITY_PUBLIC_KEY}, "tok1")
        self.send(JR, CREATOR, {"join_rule": rng.choice(self.join_rules())}, "")

    def members(self, state, membership="join"):
        return sorted(k[1] for k, v in state.items()
                      if k[0] == MEMBER and self.room.dicts[v]["content"].get("membership") == membership)

    def current(self, state, key):
        return self.room.content_of(state, key)

    def unreadable_level(self, levels):
        """Sets a named level or an `events` entry to something Python's int() refuses (or a null)."""
        target = self.rng.choice([levels, levels.setdefault("events", {})])
        name = self.rng.choice(["ban", "kick", "invite", "redact", "state_default", "events_default", "users_default",
                                "m.room.name", "m.room.message", "m.room.member"])
        target[name] = self.rng.choice(["abc", None, [1], {}, "", " ", True, 1.5])

    def respelled(self, text_value):
        if E_ACUTE in text_value:
            return text_value.replace(E_ACUTE, E_COMBINING)
        if E_COMBINING in text_value:
            return text_value.replace(E_COMBINING, E_ACUTE)
        return text_value.replace("\u00c5", "\u212b") if "\u00c5" in text_value else text_value

    def power_change(self, state):
        rng = self.rng
        content = self.current(state, (PL, "")) or {}
        users = content.setdefault("users", {})
        events = content.setdefault("events", {})
        roll = rng.random()
        if roll < 0.35 and users:
            user = rng.choice(sorted(users))
            users[self.respelled(user)] = users.pop(user)  # the same level under the other spelling
        elif roll < 0.5 and users:
            user = rng.choice(sorted(users))
            users[self.respelled(user)] = users[user]  # both spellings
        elif roll < 0.65:
            key = rng.choice(sorted(events) or ["m.room.name"])
            if key in events:
                events[self.respelled(key)] = events.pop(key)
            else:
                events[key] = 50
        elif roll < 0.85:
            users[rng.choice(USERS)] = rng.choice([0, 25, 50, 75, 100])
        else:
            content[rng.choice(["ban", "kick", "invite", "redact", "state_default", "events_default"])] = \
                rng.choice([0, 50, 100])
        if rng.random() < 0.15:
            self.unreadable_level(content)
        if rng.random() < 0.1:
            users[rng.choice(["@:a.example", "@x:not a server!", "@nocolon"])] = 0  # Synapse checks only '@' and ':'
        if rng.random() < 0.3 and users:
            user = rng.choice(sorted(users))
            users[user] = rng.choice(LEGACY_LEVELS) if rng.random() < 0.5 else str(users[user])
        return content

    def random_event(self, state):
        """(type, sender, state_key, content, options) for a plausible or hostile event."""
        rng = self.rng
        joined = self.members(state) or [CREATOR]
        sender = rng.choice(joined)
        kind = rng.choice(["power", "power", "power", "state", "state", "message", "join", "restricted", "restricted",
                           "invite", "leave", "kick", "ban", "knock", "join_rules", "third_party", "bad_member",
                           "redaction", "aliases"])
        if kind == "power":
            return PL, sender, "", self.power_change(state), {}
        if kind == "state":
            event_type = rng.choice(["m.room.name", "m.room.nam" + E_ACUTE, "m.room.name\u0301", "org.example." + E_ACUTE])
            key = rng.choice(["", sender, self.respelled(sender), rng.choice(USERS), E_ACUTE, E_COMBINING])
            return event_type, sender, key, fuzz_object(rng, self.legacy), {}
        if kind == "message":
            return "m.room.message", sender, None, dict(fuzz_object(rng, self.legacy), body="b"), {}
        if kind == "join":
            user = rng.choice(USERS)
            membership = "join" if rng.random() < 0.85 else rng.choice([["join"], 5, None, "JOIN"])
            return MEMBER, user, user, {"membership": membership}, {}
        if kind == "restricted":
            user = rng.choice(USERS)
            authoriser = rng.choice(joined + USERS[:3] + ["notauser", "@x:unknown.example"])
            signers = []
            if rng.random() < 0.6:
                signers.append(authoriser.split(":", 1)[-1])
            content = {"membership": "join", "join_authorised_via_users_server": authoriser}
            return MEMBER, user, user, content, {"extra_signers": signers}
        if kind == "invite":
            return MEMBER, sender, rng.choice(USERS), {"membership": "invite"}, {}
        if kind == "leave":
            return MEMBER, sender, sender, {"membership": "leave"}, {}
        if kind in ("kick", "ban"):
            return MEMBER, sender, rng.choice(USERS), {"membership": "leave" if kind == "kick" else "ban"}, {}
        if kind == "knock":
            user = rng.choice(USERS)
            return MEMBER, user, user, {"membership": "knock"}, {}
        if kind == "join_rules":
            odd = [5, None, ["public"], "private", "PUBLIC"]
            return JR, sender, "", {"join_rule": rng.choice(self.join_rules() if rng.random() < 0.85 else odd)}, {}
        if kind == "aliases":
            domain = sender.split(":", 1)[1]
            state_key = rng.choice([domain, "", "other.example", domain + "\u0301"])
            return "m.room.aliases", sender, state_key, {"aliases": ["#a:" + domain]}, {}
        if kind == "redaction":
            earlier = [entry["event_id"] for entry in self.entries if entry.get("stored")]
            target = rng.choice(earlier + [5, None, "$nocolon", "$x:b.example", "$x:a.example"])
            return "m.room.redaction", sender, None, {"reason": "r"}, {"redacts": target}
        if kind == "third_party":
            target = rng.choice(["@tp:x.example"] + USERS)
            # The identity server's key ID need not be ASCII after "ed25519:".
            key = rng.choice([base.IDENTITY_KEY, base.IDENTITY_KEY, IDENTITY_KEY_COMBINING])
            signed = sign_json({"mxid": rng.choice([target, self.respelled(target)]), "sender": CREATOR,
                                "token": rng.choice(["tok1", "tok1", "tok2"])}, "id.example", key)
            options = {"unsigned_by_sender": rng.random() < 0.3}
            return MEMBER, rng.choice([CREATOR, sender]), target, \
                {"membership": "invite", "third_party_invite": {"display_name": "t", "signed": signed}}, options
        target = rng.choice(["notauser", "@nocolon", "@" + E_ACUTE])
        return MEMBER, sender, target, {"membership": rng.choice(["invite", "leave", "ban"])}, {}

    def random_events(self, count, state=None, tip=None):
        """Appends `count` random events to a branch starting at `state`/`tip`; returns the branch's end."""
        state = dict(self.state if state is None else state)
        tip = list(self.tip if tip is None else tip)
        saved_state, saved_tip = self.state, self.tip
        self.state, self.tip = state, tip
        for _ in range(count):
            event_type, sender, state_key, content, options = self.random_event(state)
            stale = self.rng.random() < 0.15 and self.history
            auth_state = self.rng.choice(self.history) if stale else None
            self.send(event_type, sender, content, state_key, auth_state=auth_state, **options)
        end = (self.state, self.tip)
        self.state, self.tip = saved_state, saved_tip
        return end

    def standalone_cases(self):
        """Events checked but never stored: numbers and nesting at the parser's limits, refused signatures."""
        rng = self.rng
        sender = CREATOR
        for value in ([1e16, 2 ** 53 + 1] if not self.legacy else []) + rng.sample(LEGACY_NUMBERS, 3):
            self.emit("m.room.message", sender, {"body": "n", "n": value}, dag=False)
        for depth in rng.sample([60, 124, 125, 126, 127, 300], 2):  # the event adds two levels
            self.emit("m.room.message", sender, {"body": "deep", "d": nested(depth)}, dag=False)
        self.emit("m.room.message", sender, {"body": "unsigned"}, unsigned_by_sender=True, dag=False)
        # A localpart that starts with a combining mark: "@" and U+0301 are one grapheme cluster, not one character.
        self.emit("m.room.message", "@\u0301x:b.example", {"body": "mark"}, dag=False)

    # -- forks and merges ---------------------------------------------------------------------------------

    def resolve(self, state_sets, rv):
        room = self.room
        if rv.state_res == StateResolutionVersions.V1:
            return base.run(base.state_v1.resolve_events_with_store(
                room.room_id, rv, state_sets, None, lambda ids: room.store.get_events(ids)))
        return dict(base.run(state_v2.resolve_events_with_store(
            base.Clock(), room.room_id, rv, state_sets, dict(room.store.events), room.store)))

    def merge_round(self, branch_lengths):
        results = [self.random_events(length) for length in branch_lengths]
        state_sets = [state for state, _ in results]
        merge = {"sets": [sorted_state(s) for s in state_sets]}
        resolved = self.resolve(state_sets, self.rv)
        if self.rv.state_res == StateResolutionVersions.V1:
            merge["v1"] = sorted_state(resolved)
        elif self.rv.state_res == StateResolutionVersions.V2:
            merge["v2"] = sorted_state(resolved)
        else:
            merge["v21"] = sorted_state(resolved)
        if self.rv.state_res != StateResolutionVersions.V1 and base.version_number(self.room.version) >= 10:
            other = WithStateRes(self.rv, StateResolutionVersions.V2 if "v21" in merge else StateResolutionVersions.V2_1)
            merge["v21" if "v2" in merge else "v2"] = sorted_state(self.resolve(state_sets, other))
        self.merges.append(merge)
        self.state = dict(resolved)
        self.history.append(dict(self.state))
        self.tip = sorted({event_id for _, tip in results for event_id in tip if event_id})

    def fixture(self):
        """The room's events with Synapse's verdicts, and its merges with state entries naming events by index."""
        index = {entry["event_id"]: i for i, entry in enumerate(self.entries) if entry.get("stored")}

        def indexed(state):
            return [[event_type, state_key, index[event_id]] for event_type, state_key, event_id in state]

        merges = [{name: [indexed(s) for s in value] if name == "sets" else indexed(value)
                   for name, value in merge.items()} for merge in self.merges]
        return {"version": self.room.version, "events": self.entries, "merges": merges}


def sorted_state(state):
    return sorted([key[0], key[1], event_id] for key, event_id in state.items())


def differing(merge):
    return "v2" in merge and "v21" in merge and merge["v2"] != merge["v21"]


def fuzz_room(version, rng, rounds, standalone=True):
    room = FuzzRoom(version, rng)
    room.setup()
    room.random_events(rng.randint(3, 7))
    if standalone:
        room.standalone_cases()
    for _ in range(rounds):
        room.merge_round([rng.randint(1, 5) for _ in range(rng.randint(2, 3))])
    return room


def boundary_rooms(rng):
    """m.federate and the authorising server's signature at each boundary, in v7 (no restricted joins) to v12."""
    rooms = []
    for version in ["1", "6", "7", "8", "10", "12"]:
        for federate in [False, True, 0, "false", None, ABSENT]:
            room = FuzzRoom(version, rng, federate)
            room.send(MEMBER, CREATOR, {"membership": "join"}, CREATOR)
            room.send(JR, CREATOR, {"join_rule": "public"}, "")
            for user in ["@dave:a.example", "@bob:b.example"]:
                room.emit(MEMBER, user, {"membership": "join"}, user, dag=False)
            room.emit(MEMBER, CREATOR, {"membership": "invite"}, "@bob:b.example", dag=False)
            room.emit("m.room.message", CREATOR, {"body": "local"}, dag=False)
            rooms.append(room)
        room = FuzzRoom(version, rng)
        room.send(MEMBER, CREATOR, {"membership": "join"}, CREATOR)
        room.send(PL, CREATOR, {"users": {CREATOR: 100, "@bob:b.example": 50}, "invite": 50}, "")
        room.send(JR, CREATOR, {"join_rule": "public"}, "")
        room.send(MEMBER, "@bob:b.example", {"membership": "join"}, "@bob:b.example")
        room.send(MEMBER, "@carol:c.example", {"membership": "join"}, "@carol:c.example")
        rules = ["restricted"] if room.rv.restricted_join_rule else ["invite"]
        rules += ["knock_restricted"] if room.rv.knock_restricted_join_rule else []
        for rule in rules:
            room.send(JR, CREATOR, {"join_rule": rule}, "")
            for authoriser, signers in [("@bob:b.example", []), ("@bob:b.example", ["b.example"]),
                                        ("@carol:c.example", ["c.example"]), ("@bob:b.example", ["c.example"]),
                                        ("@nobody:b.example", ["b.example"]), ("notauser", []),
                                        ("x:b.example", ["b.example"]), ("@b:b.example:1", [])]:
                content = {"membership": "join", "join_authorised_via_users_server": authoriser}
                room.emit(MEMBER, "@sam:d.example", content, "@sam:d.example", extra_signers=signers, dag=False)
            for value in [None, 5]:
                content = {"membership": "join", "join_authorised_via_users_server": value}
                room.emit(MEMBER, "@sam:d.example", content, "@sam:d.example", dag=False)
            room.emit(MEMBER, "@bob:b.example", {"membership": "join", "join_authorised_via_users_server": "x"},
                      "@bob:b.example", dag=False)
        rooms.append(room)
    rooms.append(third_party_invite_room(rng))
    rooms.append(create_event_room(rng))
    return rooms


def create_event_room(rng):
    """Create events naming room versions Synapse recognises or not, each checked on its own."""
    room = FuzzRoom("10", rng)
    for version in ["10", "1", "org.matrix.hydra.11", "org.matrix.msc3757.10", "org.matrix.msc3757.11",
                    "org.matrix.msc9999", "13", 10, None, ["10"], "1\u0301"]:
        room.emit(CREATE, CREATOR, {"room_version": version, "creator": CREATOR}, "", prev=[], dag=False)
    room.emit(CREATE, CREATOR, {"creator": CREATOR}, "", prev=[], dag=False)
    return room


def third_party_invite_room(rng):
    """Invites made good by m.room.third_party_invite events whose public keys are malformed in each way Synapse
    reads differently (no merges: Synapse's state resolution fails outright on some of these)."""
    room = FuzzRoom("10", rng)
    room.send(MEMBER, CREATOR, {"membership": "join"}, CREATOR)
    room.send(JR, CREATOR, {"join_rule": "invite"}, "")
    good = base.IDENTITY_PUBLIC_KEY
    variants = [{"public_key": good}, {"public_key": good.replace("+", "-").replace("/", "_")},
                {"public_key": "!!notbase64", "public_keys": [{"public_key": good}]},
                {"public_keys": [{"nokey": 1}, {"public_key": good}]}, {"public_keys": [{"public_key": good}, {"nokey": 1}]},
                {"public_keys": ["x", {"public_key": good}]}, {"public_keys": None, "public_key": good},
                {"public_keys": 5}, {"public_keys": {"public_key": good}}, {"public_key": 5},
                {"public_key": "AAAA", "public_keys": [{"public_key": good}]}, {}]
    for index, keys in enumerate(variants):
        token = "tok%d" % index
        room.send(TPI, CREATOR, dict(keys, display_name="t"), token)
        for key in [base.IDENTITY_KEY, IDENTITY_KEY_COMBINING]:
            signed = sign_json({"mxid": "@tp:x.example", "sender": CREATOR, "token": token}, "id.example", key)
            content = {"membership": "invite", "third_party_invite": {"display_name": "t", "signed": signed}}
            room.emit(MEMBER, CREATOR, content, "@tp:x.example", dag=False)
        forged = dict(signed, signatures={"aa.example": {"ed25519:0": "AAAA"}, **signed["signatures"]})
        content = {"membership": "invite", "third_party_invite": {"display_name": "t", "signed": forged}}
        room.emit(MEMBER, CREATOR, content, "@tp:x.example", dag=False)
    return room


def main(directory):
    rng = random.Random(SEED)
    rooms = boundary_rooms(rng)
    plan = ["1", "1", "2", "2", "3", "4", "5", "6", "7", "8", "9"] + ["10", "11"] * 2 + ["12"] * 4
    for version in plan:
        rooms.append(fuzz_room(version, rng, rounds=3))
    differences = sum(differing(m) for r in rooms for m in r.merges)
    attempts = 0
    while differences < MIN_V2_V21_DIFFERENCES and attempts < 2000:
        attempts += 1
        room = fuzz_room(rng.choice(["10", "11", "12"]), rng, rounds=4, standalone=False)
        found = sum(differing(m) for m in room.merges)
        if found:
            rooms.append(room)
            differences += found
    os.makedirs(directory, exist_ok=True)
    payload = {"generator": "Tests/tools/generate-differential-fixtures.py", "synapse": base.SYNAPSE_VERSION,
               "seed": SEED, "servers": SERVERS, "verify_key": b64(VERIFY_KEY.encode()),
               "rooms": [room.fixture() for room in rooms]}
    path = os.path.join(directory, "synapse-differential.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    events = sum(len(r.entries) for r in rooms)
    merges = sum(len(r.merges) for r in rooms)
    print("wrote %d events and %d merges (%d where v2 and v2.1 differ) in %d rooms to %s"
          % (events, merges, differences, len(rooms), path))
    if differences < MIN_V2_V21_DIFFERENCES:
        sys.exit("only %d merges where v2 and v2.1 differ" % differences)


if __name__ == "__main__":
    main(sys.argv[1])
