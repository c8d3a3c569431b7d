import CairnInspect
import Foundation

// `cairn`: every command is in CairnInspect, so that tests can run them in process.
exit(await CairnCommand.run(Array(CommandLine.arguments.dropFirst()), isExiting: true))
