import Foundation

/// Picks the serializer for a type.
///
/// The rules, in order:
/// 1. a type conforming to ``ArtifactSerializable`` uses its own serializer;
/// 2. `String` is stored as UTF-8 text and `Data` as it is;
/// 3. arrays of `Float`, `Double`, `Int`, `Int32`, `Int64` and `UInt8` are stored as NumPy `.npy` files;
/// 4. any other `Codable` type is stored as JSON;
/// 5. anything else has no serializer, which is an error: Cairn never falls back to an opaque format.
public enum SerializerRegistry {
    /// The serializer for `type`, or the error that explains why there is none.
    public static func serializer<T>(for type: T.Type) -> Result<AnyArtifactSerializer, CairnError> {
        if let custom = type as? any ArtifactSerializable.Type {
            return .success(customSerializer(of: custom))
        }
        if let builtIn = builtIns[ObjectIdentifier(type)] {
            return .success(builtIn)
        }
        if let codable = type as? any Codable.Type {
            return .success(jsonSerializer(of: codable))
        }
        return .failure(.noSerializer(type: String(reflecting: type)))
    }

    private static func customSerializer<T: ArtifactSerializable>(of type: T.Type) -> AnyArtifactSerializer {
        AnyArtifactSerializer(T.artifactSerializer)
    }

    private static func jsonSerializer<T: Codable>(of type: T.Type) -> AnyArtifactSerializer {
        AnyArtifactSerializer(JSONArtifactSerializer<T>())
    }

    private static let builtIns: [ObjectIdentifier: AnyArtifactSerializer] = [
        ObjectIdentifier(String.self): AnyArtifactSerializer(TextArtifactSerializer()),
        ObjectIdentifier(Data.self): AnyArtifactSerializer(BytesArtifactSerializer()),
        ObjectIdentifier([Float].self): AnyArtifactSerializer(NumPyArtifactSerializer<Float>()),
        ObjectIdentifier([Double].self): AnyArtifactSerializer(NumPyArtifactSerializer<Double>()),
        ObjectIdentifier([Int].self): AnyArtifactSerializer(NumPyArtifactSerializer<Int>()),
        ObjectIdentifier([Int32].self): AnyArtifactSerializer(NumPyArtifactSerializer<Int32>()),
        ObjectIdentifier([Int64].self): AnyArtifactSerializer(NumPyArtifactSerializer<Int64>()),
        ObjectIdentifier([UInt8].self): AnyArtifactSerializer(NumPyArtifactSerializer<UInt8>()),
    ]
}
