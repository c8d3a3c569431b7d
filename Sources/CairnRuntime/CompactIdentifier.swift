import Foundation

/// A record's identifier as a run keeps it for each of its calls: the sixteen bytes of the UUIDs
/// that stores make, rather than a thirty-six character string of its own on the heap.
///
/// A dynamic run keeps the identifiers of each call's step run and output versions until it ends,
/// and it may make a hundred thousand calls. Stores may make identifiers of any other form too: one
/// that is not a lowercase UUID is kept as it is, so ``text`` always gives back the identifier given.
enum CompactIdentifier: Hashable, Sendable {
    /// A lowercase UUID, as its bytes.
    case uuid(UUID)
    /// Any other identifier.
    case text(String)

    /// Keeps `text` as a UUID when it is one in lowercase.
    init(_ text: String) {
        let isLowercaseUUID =
            text.utf8.count == 36 && !text.utf8.contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        if isLowercaseUUID, let uuid = UUID(uuidString: text) {
            self = .uuid(uuid)
        } else {
            self = .text(text)
        }
    }

    /// The identifier as the store gave it.
    var text: String {
        switch self {
        case .uuid(let uuid): uuid.uuidString.lowercased()
        case .text(let text): text
        }
    }
}
