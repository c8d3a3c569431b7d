import ArgumentParser
import Cairn
import CairnScheduler
import Foundation
import ServiceLifecycle
import UnixSignals

/// `<executable> scheduler`: fires the stack's schedules of this executable's pipelines.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Fires the stack's schedules of this executable's pipelines until SIGTERM or SIGINT.",
        discussion: """
            Each occurrence runs once however many schedulers watch the same store. On SIGTERM or SIGINT the \
            scheduler stops claiming; runs in flight finish, or are stopped after the grace period.
            """)

    @Option(name: .customLong("grace-period"), help: ArgumentHelp("How long runs in flight may go on after SIGTERM.", valueName: "seconds"))
    var gracePeriod: Double = 30

    @OptionGroup var stack: StackOptions

    func validate() throws {
        guard gracePeriod.isFinite, gracePeriod >= 0 else { throw ValidationError("--grace-period must be 0 seconds or more, not \(gracePeriod)") }
    }

    func run() async throws {
        let stack = try await stack.open()
        let logger = Logger(label: "cairn.scheduler")
        let scheduler = Scheduler(
            stack: stack, pipelines: CommandEnvironment.pipelines, configuration: SchedulerConfiguration(gracePeriod: .seconds(gracePeriod)),
            logger: logger)
        try await ServiceGroup(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}
