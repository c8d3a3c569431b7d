import Foundation

/// Lowercase hexadecimal text and the bytes it stands for, as ``StoredIdentifier`` and
/// ``StoredDigest`` convert them.
enum Hexadecimal {
    /// The bytes that `characters` spell, two lowercase hexadecimal digits a byte, the characters at
    /// the offsets in `separators` (which must be `-`) left out; `nil` for any other text.
    static func bytes(_ characters: UnsafeBufferPointer<UInt8>, skipping separators: [Int]) -> Data? {
        var bytes = Data(count: (characters.count - separators.count) / 2)
        let isHexadecimal = bytes.withUnsafeMutableBytes { output in
            var index = 0
            var count = 0
            while index < characters.count {
                if separators.contains(index) {
                    guard characters[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                    continue
                }
                guard count < output.count, let high = digit(characters[index]), let low = digit(characters[index + 1]) else {
                    return false
                }
                output[count] = high << 4 | low
                count += 1
                index += 2
            }
            return count == output.count
        }
        return isHexadecimal ? bytes : nil
    }

    /// `bytes` as lowercase hexadecimal digits, with a `-` before each byte at the offsets in `separators`.
    static func text(_ bytes: Data, separatingBefore separators: [Int]) -> String {
        bytes.withUnsafeBytes { input in
            String(unsafeUninitializedCapacity: input.count * 2 + separators.count) { text in
                var position = 0
                for (index, byte) in input.enumerated() {
                    if separators.contains(index) {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = digits[Int(byte >> 4)]
                    text[position + 1] = digits[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }

    /// The digits, by value.
    private static let digits = Array("0123456789abcdef".utf8)

    /// The value of a lowercase hexadecimal digit.
    private static func digit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
