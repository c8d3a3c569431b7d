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
/// The text is written in two passes of the same code, the first only measuring it, so that the
/// second writes straight into the string's storage: a fan-in's cache key ingredients may take
/// megabytes, which a buffer of bytes copied into a string would hold twice.
///
/// ```swift
/// let text = CanonicalJSONWriter.text { json in
///     json.beginObject()
///     json.key("names")
///     json.array(["a", "b"])
///     json.endObject()
/// }
/// // {"names":["a","b"]}
/// ```
struct CanonicalJSONWriter {
    /// Where the bytes go: the string's storage, or nowhere while the text is measured.
    private let output: UnsafeMutableBufferPointer<UInt8>?
    /// How many bytes have been written, or measured.
    private var count = 0
    /// Whether the next value or key follows another in the same container, and needs a comma.
    private var needsComma = false

    private init(output: UnsafeMutableBufferPointer<UInt8>?) {
        self.output = output
    }

    /// The text that `write` writes. `write` runs twice and must write the same both times.
    static func text(_ write: (inout CanonicalJSONWriter) -> Void) -> String {
        var measure = CanonicalJSONWriter(output: nil)
        write(&measure)
        return String(unsafeUninitializedCapacity: measure.count) { storage in
            var json = CanonicalJSONWriter(output: storage)
            write(&json)
            return json.count
        }
    }

    /// Opens an object, as a value of its own: its members follow, each a ``key(_:)`` then a value,
    /// in the order of their keys' UTF-8 bytes.
    mutating func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the object opened last.
    mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes the key of the next member of the open object.
    mutating func key(_ key: String) {
        string(key)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string.
    mutating func string(_ value: String) {
        separate()
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var unescaped = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(UnsafeBufferPointer(rebasing: utf8[unescaped..<index]))
                appendEscaped(byte)
                unescaped = index + 1
            }
            append(UnsafeBufferPointer(rebasing: utf8[unescaped...]))
        }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Opens an array, as a value of its own: its elements follow.
    mutating func beginArray() {
        separate()
        append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the array opened last.
    mutating func endArray() {
        append(UInt8(ascii: "]"))
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
        if needsComma { append(UInt8(ascii: ",")) }
    }

    /// Writes the escape sequence of a byte that cannot appear as is in a JSON string.
    private mutating func appendEscaped(_ byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(byte)
        case 0x08: append(UInt8(ascii: "b"))
        case 0x09: append(UInt8(ascii: "t"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0D: append(UInt8(ascii: "r"))
        default:
            let digits: StaticString = "0123456789abcdef"
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(digits.utf8Start[Int(byte >> 4)])
            append(digits.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// Writes a byte.
    private mutating func append(_ byte: UInt8) {
        output?[count] = byte
        count += 1
    }

    /// Writes bytes.
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let target = output?.baseAddress, let source = bytes.baseAddress {
            (target + count).update(from: source, count: bytes.count)
        }
        count += bytes.count
    }
}
