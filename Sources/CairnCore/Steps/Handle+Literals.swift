// Literal conversions, so that plain literals can be passed where a step expects a handle.

extension Handle: ExpressibleByIntegerLiteral where Value: ExpressibleByIntegerLiteral & Encodable {
    public init(integerLiteral value: Value.IntegerLiteralType) {
        self = .constant(Value(integerLiteral: value))
    }
}

extension Handle: ExpressibleByFloatLiteral where Value: ExpressibleByFloatLiteral & Encodable {
    public init(floatLiteral value: Value.FloatLiteralType) {
        self = .constant(Value(floatLiteral: value))
    }
}

extension Handle: ExpressibleByBooleanLiteral where Value: ExpressibleByBooleanLiteral & Encodable {
    public init(booleanLiteral value: Value.BooleanLiteralType) {
        self = .constant(Value(booleanLiteral: value))
    }
}

extension Handle: ExpressibleByUnicodeScalarLiteral
where Value: ExpressibleByStringLiteral & Encodable {
    public init(unicodeScalarLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

extension Handle: ExpressibleByExtendedGraphemeClusterLiteral
where Value: ExpressibleByStringLiteral & Encodable {
    public init(extendedGraphemeClusterLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

extension Handle: ExpressibleByStringLiteral where Value: ExpressibleByStringLiteral & Encodable {
    public init(stringLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

/// An array literal of handles is a fan-in: `selectBest(evaluations: [a, b, c])`.
/// An array literal of plain literals is a list of constants, recorded as one parameter.
extension Handle: ExpressibleByArrayLiteral where Value: RangeReplaceableCollection {
    public init(arrayLiteral elements: Handle<Value.Element>...) {
        let bindings = elements.map(\.binding)
        if let unencodable = bindings.first(where: { $0.encodingFailure != nil }) {
            self.init(binding: unencodable)
        } else if bindings.allSatisfy(\.isParameter) {
            self.init(binding: .constant(json: CanonicalJSON.arrayString(ofEncoded: bindings)))
        } else {
            self.init(binding: .list(bindings))
        }
    }
}
