/// Writes canonical JSON made of strings, arrays and objects, byte for byte as ``CanonicalJSON``'s
/// encoder writes it.
///
/// Written by hand because every step writes canonical JSON (its cache key's ingredients, its
/// parameters) and every run its graph, and `JSONEncoder`, which boxes every value in a tree before
/// sorting and writing it, was the largest cost of recording a step. Existing stores hold cache
/// keys hashed from the encoder's text, so this writes exactly that text (the tests compare the two):
///
/// - object members in the order of their keys' UTF-8 bytes, as `.sortedKeys` sorts them;
/// - no whitespace, and `/` left as is (`.withoutEscapingSlashes`);
/// - `"` and `\` escaped with a backslash; U+0008, U+0009, U+000A, U+000C and U+000D as `\b`,
///   `\t`, `\n`, `\f` and `\r`; the other characters below U+0020 as `\u00xx`, in lowercase
///   hexadecimal; everything else (U+007F, any non-ASCII character) unescaped.
///
/// ```swift
/// var json = CanonicalJSONWriter()
/// json.beginObject()
/// json.key("names")
/// json.array(["a", "b"])
/// json.endObject()
/// json.text // {"names":["a","b"]}
/// ```
struct CanonicalJSONWriter {
    /// The UTF-8 bytes written so far.
    private var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same container, and needs a comma.
    private var needsComma = false

    /// The text written so far.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Opens an object, as a value of its own: its members follow, each a ``key(_:)`` then a value,
    /// in the order of their keys' UTF-8 bytes.
    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object opened last.
    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes the key of the next member of the open object.
    mutating func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string.
    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var unescaped = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[unescaped..<index]))
                appendEscaped(byte)
                unescaped = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[unescaped...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Opens an array, as a value of its own: its elements follow.
    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the array opened last.
    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an array of strings.
    mutating func array(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Writes an object with a member for each entry of `members`, sorted by key; `value` writes
    /// each member's value.
    mutating func object<Value>(_ members: [String: Value], value: (inout CanonicalJSONWriter, Value) -> Void) {
        beginObject()
        for (key, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            self.key(key)
            value(&self, member)
        }
        endObject()
    }

    /// Writes the comma before a key or a value that follows another in the same container.
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes the escape sequence of a byte that cannot appear as is in a JSON string.
    private mutating func appendEscaped(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            let digits: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(digits.utf8Start[Int(byte >> 4)])
            bytes.append(digits.utf8Start[Int(byte & 0x0F)])
        }
    }
}
