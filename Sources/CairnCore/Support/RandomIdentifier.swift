import Foundation

/// New identifiers for records and temporary files: random (version 4) UUIDs in lowercase, the
/// text `UUID().uuidString.lowercased()` gives.
///
/// The random bytes come from the standard library's system generator, one `getrandom` call per
/// eight bytes, because Foundation's `UUID()` opens, reads and closes `/dev/urandom` for each
/// identifier on Linux, and a step run needs three: its own, its output's and a temporary file's.
/// (`@usableFromInline` because ``NewStepRun`` makes its identifier with it by default.)
@usableFromInline
package enum RandomIdentifier {
    /// A new identifier (`0f8fad5b-d9cb-469f-a165-70867728950e`).
    @usableFromInline
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        let uuid = withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4: random
            raw[8] = raw[8] & 0x3F | 0x80  // the RFC 9562 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
        return uuid.uuidString.lowercased()
    }
}
