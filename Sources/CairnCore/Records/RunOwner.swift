import Foundation

/// The process that runs a run: the only one that may record its end.
///
/// A run is created by its process, and `MetadataStore.resumeRun(id:graph:at:)` hands it to the
/// process that resumes it. A process that lost its run, because another host took it for dead and
/// resumed it, cannot record the run's end over the new owner's.
public struct RunOwner: Sendable, Equatable, CustomStringConvertible {
    /// The host of the process.
    public var host: String
    /// The identifier of the process on its host.
    public var processID: Int32

    /// Names a process.
    public init(host: String, processID: Int32) {
        self.host = host
        self.processID = processID
    }

    /// The process that a run's record says runs it.
    public init(of run: RunRecord) {
        self.init(host: run.host, processID: run.processID)
    }

    /// This process.
    public static var current: RunOwner {
        RunOwner(host: ProcessInfo.processInfo.hostName, processID: ProcessInfo.processInfo.processIdentifier)
    }

    /// `process P on H`.
    public var description: String { "process \(processID) on \(host)" }
}
