/// An error from identity resolution: rules or parameters that are malformed or inconsistent.
///
/// Equality compares ``code`` only. Messages name the field or JSON path, never a record's values.
public struct ConsolidationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case malformedJSON, invalidRules, invalidParameters
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// The JSON text does not decode into the expected value.
        public static let malformedJSON = Code(.malformedJSON)
        /// The rules are inconsistent (a threshold order, a block size, an unknown setting).
        public static let invalidRules = Code(.invalidRules)
        /// The parameters are inconsistent (a probability outside 0...1, a field or level missing).
        public static let invalidParameters = Code(.invalidParameters)
        /// The code's name.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error)?
    /// The source file of the throw site.
    public let file: String
    /// The source line of the throw site.
    public let line: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// `"<code>: message (cause)"`.
    public var description: String {
        if let cause { return "\(code): \(message) (\(cause))" }
        return "\(code): \(message)"
    }

    /// Compares the codes only.
    public static func == (lhs: ConsolidationError, rhs: ConsolidationError) -> Bool { lhs.code == rhs.code }
}
