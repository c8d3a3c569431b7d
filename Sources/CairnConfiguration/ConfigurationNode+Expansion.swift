import CairnCore
import Yams

extension ConfigurationNode {
    /// How deeply values may nest in a configuration file: far more than any real one needs, and
    /// few enough that reading a value never risks the stack.
    static let maximumDepth = 64

    /// Refuses anchors (`&name`), aliases (`*name`) and nesting deeper than ``maximumDepth``, at the
    /// place in the file where each is.
    ///
    /// An alias repeats the value its anchor names, so nine lines of aliases, each naming the line
    /// before nine times, make a value of nine to the ninth (387 million) elements from a file of a
    /// few hundred bytes: reading it took minutes and gigabytes, and a run would store all of it.
    /// The parser replaces each alias by the node it names (which keeps its anchor), sharing rather
    /// than copying it, so composing the file is cheap; this walk stops at the first anchored node,
    /// in file order the anchor itself, before any alias is expanded. A configuration has no need
    /// of them: each value is written out where it applies.
    static func refuseExpansion(in node: Node, file: String, depth: Int = 0) throws {
        if let anchor = node.anchor {
            throw CairnError.invalidConfiguration(
                key: "",
                reason: "anchors and aliases (&\(anchor.rawValue), *\(anchor.rawValue)) are not supported in a configuration file; "
                    + "write each value out where it applies",
                location: location(of: node, in: file))
        }
        guard depth < maximumDepth else {
            throw CairnError.invalidConfiguration(
                key: "", reason: "values nest deeper than \(maximumDepth) levels, the limit for a configuration file",
                location: location(of: node, in: file))
        }
        switch node {
        case .scalar, .alias:
            return
        case .sequence(let elements):
            for element in elements { try refuseExpansion(in: element, file: file, depth: depth + 1) }
        case .mapping(let members):
            for (key, value) in members {
                try refuseExpansion(in: key, file: file, depth: depth + 1)
                try refuseExpansion(in: value, file: file, depth: depth + 1)
            }
        }
    }
}
