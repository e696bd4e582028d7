/// SplitMix64: a reproducible generator so that property tests fail the same way on every run.
public struct SeededRandomNumberGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Set once the writers of a randomized test have all been answered, so its readers know when to stop.
public actor CompletionFlag {
    public private(set) var finished = false

    public init() {}

    public func finish() { finished = true }
}
