import CairnCore
import Foundation

extension CanonicalJSON {
    /// Encodes a value as canonical JSON text for a JSON column, throwing when it cannot be encoded.
    static func text(encoding value: some Encodable) throws -> String {
        String(decoding: try data(encoding: value), as: UTF8.self)
    }
}
