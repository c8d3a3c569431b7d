import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What this host says of a process: whether it still runs, and what tells it apart from a later
/// process that is given the same identifier.
package enum ProcessLiveness: Equatable {
    /// The process runs; `start` says when it started, where the system tells.
    case running(start: String?)
    /// No process has the identifier, or the one that has it ended and waits to be reaped: it runs nothing.
    case gone

    /// What this host says of the process `processID`.
    package static func of(_ processID: Int32) -> ProcessLiveness {
        guard kill(processID, 0) == 0 || errno == EPERM else { return .gone }
        #if os(Linux)
            guard let fields = statFields(of: processID) else { return .gone }
            // /proc/PID/stat's third field is the state; its 22nd, the clock tick the process started at.
            if fields[0] == "Z" || fields[0] == "X" { return .gone }
            return .running(start: fields.count > 19 ? bootID.map { "\($0)/\(fields[19])" } : nil)
        #else
            return .running(start: nil)
        #endif
    }

    /// When this process started, as ``running(start:)`` gives it: recorded with a run, so that a
    /// later process with the same identifier is not taken for the run's.
    package static let currentStart: String? = {
        guard case .running(let start) = of(ProcessInfo.processInfo.processIdentifier) else { return nil }
        return start
    }()

    #if os(Linux)
        /// The fields of /proc/PID/stat after the command, which is in parentheses and may hold spaces.
        private static func statFields(of processID: Int32) -> [Substring]? {
            guard let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.isEmpty ? nil : fields
        }

        /// The identifier of this boot of the host: clock ticks count from the boot.
        private static let bootID: String? = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    #endif
}
