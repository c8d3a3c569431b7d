import CairnCore
import Foundation

/// A call of a dynamic run without a result yet: what launching it takes, and which calls wait for it.
///
/// A run keeps one for each such call, and a map's body may make a hundred thousand calls before
/// the first ends: everything about a call is in one object, so that the run's one table of them
/// holds a reference for each, and the edges between calls cost an entry only for a call that
/// others wait for. Only ``DynamicScheduler`` uses it, under its lock.
final class PendingCall {
    /// The call's node in the run's graph.
    let node: PipelineNode
    /// The definition to launch it with, until it is launched; `nil` for a call given its result at once.
    private var definition: StepDefinition?
    /// How many of the calls it depends on have not ended yet; 0 once it is ready, or will not run.
    var unresolved = 0
    /// The calls that wait for this one, by invocation.
    var dependents: [String] = []
    /// When it became ready to run: when it was queued.
    var readyAt: Date?

    init(_ node: PipelineNode, definition: StepDefinition?) {
        self.node = node
        self.definition = definition
    }

    /// The definition to launch the call with, taken once: the launch holds it from then on.
    func takeDefinition() -> StepDefinition? {
        defer { definition = nil }
        return definition
    }
}
