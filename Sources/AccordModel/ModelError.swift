/// An error from the data model: a malformed identifier, or bytes that do not decode.
///
/// Equality compares ``code`` only, so tests can match on the kind of failure.
/// Messages name the position (byte offset, field) and never the customer's data.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case truncated, malformed, unsupportedVersion, invalidIdentifier, trailingBytes, limitExceeded
            case clockSkew
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// The input ended before a complete value was read.
        public static let truncated = Code(.truncated)
        /// The input holds a value that is not allowed at that position.
        public static let malformed = Code(.malformed)
        /// The input was written by an encoding version this build does not know.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// An identifier (unit, attribute, local id) breaks its syntax rules.
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// Bytes remain after a complete value.
        public static let trailingBytes = Code(.trailingBytes)
        /// A length or count is over the decoder's limit.
        public static let limitExceeded = Code(.limitExceeded)
        /// A remote clock reading is further in the future than the policy allows.
        public static let clockSkew = Code(.clockSkew)
        /// The code's name.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// The byte offset where decoding failed, when the error comes from a decoder.
    public let offset: Int?
    /// The source file of the throw site.
    public let file: String
    /// The source line of the throw site.
    public let line: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, offset: Int? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.offset = offset
        self.file = file
        self.line = line
    }

    /// `"<code> at offset N: message"`.
    public var description: String {
        if let offset { return "\(code) at offset \(offset): \(message)" }
        return "\(code): \(message)"
    }

    /// Compares the codes only.
    public static func == (lhs: ModelError, rhs: ModelError) -> Bool { lhs.code == rhs.code }
}
