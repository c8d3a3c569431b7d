/// What the runtime knows about the Swift type of a step input or output.
///
/// It is made once per step definition from the static type, so that the runtime can serialize,
/// decode parameters and gather fan-ins without knowing the type itself.
public struct ValueType: Sendable {
    /// The type's full name, as recorded with artifacts and shown in errors.
    public let name: String
    /// The serializer for values of this type, or why there is none.
    public let serializer: Result<AnyArtifactSerializer, CairnError>
    private let decodeJSON: @Sendable (String) throws -> Any
    private let canonicalizeJSON: @Sendable (String) throws -> String
    private let arrayElement: @Sendable () -> ArrayElementInfo?

    /// Describes `type`.
    public init<T>(_ type: T.Type) {
        let name = String(reflecting: T.self)
        self.name = name
        self.serializer = SerializerRegistry.serializer(for: T.self)
        self.decodeJSON = { json in
            guard let decodable = T.self as? any Decodable.Type else {
                throw CairnError.typeMismatch(expected: "a Decodable type for a parameter", found: name)
            }
            return try CanonicalJSON.decode(decodable, from: json)
        }
        self.canonicalizeJSON = { json in
            guard let codable = T.self as? any Codable.Type else {
                throw CairnError.typeMismatch(expected: "a Codable type for a parameter", found: name)
            }
            return String(decoding: try CanonicalJSON.data(encoding: CanonicalJSON.decode(codable, from: json)), as: UTF8.self)
        }
        self.arrayElement = { (T.self as? any GatherableArray.Type)?.elementInfo }
    }

    /// Decodes a parameter from its canonical JSON.
    public func decode(json: String) throws -> Any {
        try decodeJSON(json)
    }

    /// Decodes a parameter from JSON and encodes it again, as canonical JSON: the text a step call
    /// records for the same value. Throws when the JSON is not a value of this type.
    public func canonicalJSON(decoding json: String) throws -> String {
        try canonicalizeJSON(json)
    }

    /// For an array type, its element type and how to gather elements into an array; `nil` otherwise.
    public var element: ArrayElementInfo? {
        arrayElement()
    }
}

/// The element type of an array input, for gathering a fan-in.
public struct ArrayElementInfo: Sendable {
    /// The element's type.
    public let type: ValueType
    /// Builds the array from its elements, which must all be of the element type.
    public let gather: @Sendable ([Any]) throws -> Any
}

/// Arrays, seen from the runtime: a fan-in gathers values of the element type into one.
protocol GatherableArray {
    static var elementInfo: ArrayElementInfo { get }
}

extension Array: GatherableArray {
    static var elementInfo: ArrayElementInfo {
        ArrayElementInfo(type: ValueType(Element.self)) { values in
            try values.map { value in
                guard let element = value as? Element else {
                    throw CairnError.typeMismatch(expected: String(reflecting: Element.self), found: String(reflecting: type(of: value)))
                }
                return element
            }
        }
    }
}
