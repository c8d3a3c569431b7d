/// A tiny SplitMix64 random number generator: the same seed gives the same sequence on every machine.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The internal state, advanced on every call to ``next()``.
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    init(seed: UInt64) { state = seed }

    /// Returns the next 64 pseudo-random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
