import Cairn

extension CommandStore {
    /// The schedule named `name`.
    ///
    /// - Parameter retry: The command line to suggest with a corrected name.
    /// - Throws: A ``CommandError`` that suggests the closest schedule name, or says how to list them.
    func schedule(_ name: String, retry: (String) -> String) async throws -> ScheduleRecord {
        if let schedule = try await metadata.schedule(named: name) { return schedule }
        let names = try await metadata.schedules().map(\.name)
        let closest = Suggestion.closest(to: name, in: names)
        throw CommandError(
            "no schedule named '\(name)'" + (closest.map { "; did you mean '\($0)'?" } ?? ""),
            hint: closest.map { "Try: \(retry($0))" } ?? (names.isEmpty ? "There are no schedules." : "List them with: cairn schedule list"))
    }
}
