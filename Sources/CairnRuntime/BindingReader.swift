import CairnCore

/// Reads the values behind input bindings: constants are decoded, artifacts are loaded with the
/// serializer they were stored with, and lists are gathered element by element.
///
/// Steps read their inputs through it, and so do dynamic pipelines awaiting a handle's value; only
/// where an upstream output's artifact version comes from differs.
struct BindingReader {
    /// Where artifact bytes are read from.
    let artifacts: any ArtifactStore
    /// Where versions whose bytes are found missing or changed are marked unusable.
    let metadata: any MetadataStore
    /// The artifact version of an upstream invocation's output.
    let outputVersion: (_ invocation: String, _ output: String) async throws -> ArtifactVersionRecord

    /// The value behind `binding`, as `type`; `place` says where it is wanted, for errors
    /// (`input 'data' of step 'train'`).
    func value(of binding: InputBinding, as type: ValueType, for place: String) async throws -> Any {
        switch binding {
        case .constant(let json):
            do {
                return try type.decode(json: json)
            } catch {
                throw CairnError.typeMismatch(expected: "\(type.name) for \(place)", found: json)
            }
        case .output(let invocation, let output):
            return try await artifacts.load(try await outputVersion(invocation, output), as: type, for: place, reportingDamageTo: metadata)
        case .list(let elements):
            guard let element = type.element else {
                throw CairnError.typeMismatch(expected: "an array type for \(place), which receives a list", found: type.name)
            }
            var values: [Any] = []
            for binding in elements {
                values.append(try await value(of: binding, as: element.type, for: place))
            }
            return try element.gather(values)
        }
    }
}
