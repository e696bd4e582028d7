import AxonTesting
import MatrixTypes
import Testing

/// Hostile events must be refused with an error, never crash or hang the parser or the event decoder.
///
/// Three mutations in four flip bytes (exercising the parser); the fourth replaces members of a valid event with
/// values of the wrong shape (exercising the decoder, which byte flips rarely reach with valid JSON).
@Suite("Event decoder under mutation")
struct PDUMutationTests {
    static let seeds = PDUSamples.all.map { sample in
        (
            bytes: Array(sample.json.utf8),
            json: try! JSONValue.parse(sample.json),
            version: sample.version,
            eventID: try! EventID(sample.eventID)
        )
    }

    /// Replacement values of every shape the decoder might meet, valid and not.
    static let replacements: [JSONValue] = [
        .null, true, 0, -1, .integer(JSONValue.canonicalIntegerRange.upperBound + 1), 1.5, "", "$x", "@a:b", "!r:s",
        .string(PDUSamples.hashEventID), .string(PDUSamples.hashRoomID), "m.room.create", [], [:], ["$x"],
        [["$x:y", [:]]], [.string(PDUSamples.hashEventID)], ["sha256": "x"], ["s": ["k": "v"]], ["s": ["k": 1]],
        .string(String(repeating: "x", count: 300)),
    ]

    static func mutateTree(_ value: JSONValue, depth: Int, using generator: inout SeededRandomNumberGenerator) -> JSONValue {
        let replace = depth > 0 && Int.random(in: 0 ..< 4, using: &generator) == 0
        switch value {
        case .object(var members) where !replace && !members.isEmpty:
            let key = members.keys.sorted()[Int.random(in: 0 ..< members.count, using: &generator)]
            switch Int.random(in: 0 ..< 4, using: &generator) {
            case 0: members[key] = nil
            case 1: members[key] = replacements.randomElement(using: &generator)!
            default: members[key] = mutateTree(members[key]!, depth: depth + 1, using: &generator)
            }
            return .object(members)
        case .array(var elements) where !replace && !elements.isEmpty:
            let index = Int.random(in: 0 ..< elements.count, using: &generator)
            elements[index] = mutateTree(elements[index], depth: depth + 1, using: &generator)
            return .array(elements)
        default:
            return replacements.randomElement(using: &generator)!
        }
    }

    /// Runs `count` seeded mutations, returning how many mutated events still decoded.
    static func run(count: Int, seed: UInt64) -> Int {
        var generator = SeededRandomNumberGenerator(seed: seed)
        var decoded = 0
        for iteration in 0 ..< count {
            let seed = seeds[iteration % seeds.count]
            let json: JSONValue
            if iteration % 4 != 0 {
                let mutated = JSONMutationTests.mutate(seed.bytes, using: &generator)
                guard let parsed = try? JSONValue.parse(mutated, options: seed.version.eventParseOptions) else { continue }
                json = parsed
            } else {
                json = mutateTree(seed.json, depth: 0, using: &generator)
            }
            guard let event = try? PDU(json: json, eventID: seed.eventID, version: seed.version) else { continue }
            decoded += 1
            #expect(event.json == json)
        }
        return decoded
    }

    /// A million mutations in four independently seeded runs, so that they use every core.
    @Test func survivesAMillionMutations() async {
        let decoded = await withTaskGroup(of: Int.self) { group in
            for run in 0 ..< 4 {
                group.addTask { Self.run(count: 250_000, seed: 0x9D0 + UInt64(run)) }
            }
            return await group.reduce(0, +)
        }
        #expect(decoded > 0)
    }
}
