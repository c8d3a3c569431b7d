// Literal conversions, so that plain literals can be passed where a step expects a handle.

extension Handle: ExpressibleByIntegerLiteral where Value: ExpressibleByIntegerLiteral & Encodable {
    /// A handle to an integer literal, passed to the step as a parameter.
    public init(integerLiteral value: Value.IntegerLiteralType) {
        self = .constant(Value(integerLiteral: value))
    }
}

extension Handle: ExpressibleByFloatLiteral where Value: ExpressibleByFloatLiteral & Encodable {
    /// A handle to a floating-point literal, passed to the step as a parameter.
    public init(floatLiteral value: Value.FloatLiteralType) {
        self = .constant(Value(floatLiteral: value))
    }
}

extension Handle: ExpressibleByBooleanLiteral where Value: ExpressibleByBooleanLiteral & Encodable {
    /// A handle to a Boolean literal, passed to the step as a parameter.
    public init(booleanLiteral value: Value.BooleanLiteralType) {
        self = .constant(Value(booleanLiteral: value))
    }
}

extension Handle: ExpressibleByUnicodeScalarLiteral
where Value: ExpressibleByStringLiteral & Encodable {
    /// A handle to a one-character string literal, passed to the step as a parameter.
    public init(unicodeScalarLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

extension Handle: ExpressibleByExtendedGraphemeClusterLiteral
where Value: ExpressibleByStringLiteral & Encodable {
    /// A handle to a one-character string literal, passed to the step as a parameter.
    public init(extendedGraphemeClusterLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

extension Handle: ExpressibleByStringLiteral where Value: ExpressibleByStringLiteral & Encodable {
    /// A handle to a string literal, passed to the step as a parameter.
    public init(stringLiteral value: Value.StringLiteralType) {
        self = .constant(Value(stringLiteral: value))
    }
}

/// An array literal of handles is a fan-in: `selectBestStep(evaluations: [a, b, c])`.
/// An array literal of plain literals is a list of constants, recorded as one parameter.
extension Handle: ExpressibleByArrayLiteral where Value: RangeReplaceableCollection {
    /// A fan-in of the handles, or one parameter when every element is a literal or a parameter.
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
