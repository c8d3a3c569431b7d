/// Finds the known name closest to a mistyped one.
package enum Suggestion {
    /// The candidate with the smallest edit distance to `name`, if it is close enough to be a typo.
    package static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(Array(name.lowercased()), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    package static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Suggestion {
    /// "unknown key 'enable_cahce' in steps.train; did you mean 'enable_cache'? Known keys: enable_cache, parameters"
    package static func unknown(_ kind: String, _ name: String, in place: String, known: [String]) -> String {
        let list = known.isEmpty ? "there are no \(kind)s" : "known \(kind)s: \(known.joined(separator: ", "))"
        guard let suggestion = closest(to: name, in: known) else { return "unknown \(kind) '\(name)' in \(place); \(list)" }
        return "unknown \(kind) '\(name)' in \(place); did you mean '\(suggestion)'? \(list.prefix(1).uppercased() + list.dropFirst())"
    }
}
