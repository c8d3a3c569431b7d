import Foundation

/// New identifiers for records and temporary files: time-ordered (version 7) UUIDs in lowercase,
/// as text like `UUID().uuidString.lowercased()`.
///
/// The first 48 bits are the Unix time in milliseconds and the other 74 are random (RFC 9562). Records
/// made one after another thus get identifiers that sort next to each other, so that inserting them
/// into an index on their identifiers (every table's primary key, every link's foreign key) touches
/// the same few pages, where random identifiers would touch a page of the index for each.
///
/// The random bytes come from the standard library's system generator, one `getrandom` call per
/// eight bytes, because Foundation's `UUID()` opens, reads and closes `/dev/urandom` for each
/// identifier on Linux, and a step run needs three: its own, its output's and a temporary file's.
/// (`@usableFromInline` because ``NewStepRun`` makes its identifier with it by default.)
@usableFromInline
package enum RandomIdentifier {
    /// A new identifier (`019ab5e1-d9cb-769f-a165-70867728950e`).
    @usableFromInline
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000)
        let uuid = withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 0..<6 { raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * index)) }
            raw[6] = raw[6] & 0x0F | 0x70  // version 7: time-ordered
            raw[8] = raw[8] & 0x3F | 0x80  // the RFC 9562 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
        return uuid.uuidString.lowercased()
    }
}
