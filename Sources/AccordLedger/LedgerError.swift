/// An error about a batch: it does not decode, does not verify, or does not fit its stream.
///
/// Equality compares ``code`` only. Messages name the batch (author, class, sequence) and the
/// position, never the content of a leaf.
public struct LedgerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case malformed, badSignature, unknownAuthor, leafCountMismatch, tooLarge, invalidStream
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// The bytes are not a well-formed batch.
        public static let malformed = Code(.malformed)
        /// The signature does not match the header and leaf hashes under the author's key.
        public static let badSignature = Code(.badSignature)
        /// No signing key is known for the batch's author.
        public static let unknownAuthor = Code(.unknownAuthor)
        /// The header's leaf count differs from the leaves present.
        public static let leafCountMismatch = Code(.leafCountMismatch)
        /// The batch or one of its leaves is over a size limit.
        public static let tooLarge = Code(.tooLarge)
        /// The stream name, sequence number or previous hash is not valid.
        public static let invalidStream = Code(.invalidStream)
        /// The code's name.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// The underlying error, for example the decoder's ``ModelError`` with its offset.
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
    public static func == (lhs: LedgerError, rhs: LedgerError) -> Bool { lhs.code == rhs.code }
}
