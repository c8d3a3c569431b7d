/// Why a store refuses to import a history: something of its own already has a name or a number
/// the history's records keep (``HistoryImport``).
///
/// A store never renames or renumbers what it imports, so that the copy answers as the original
/// does; it refuses the run instead, and writes nothing of it.
public enum HistoryConflict: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another run, with another identifier, has the run's name.
    case runName(String)
    /// Another version of the artifact, with another identifier, has the version's number.
    case artifactVersion(name: String, version: Int)

    /// What is in the way, for people.
    public var description: String {
        switch self {
        case .runName(let name):
            "another run there is named '\(name)'"
        case .artifactVersion(let name, let version):
            "another version of artifact '\(name)' there is numbered \(version)"
        }
    }
}
