/// An error from the store: a batch that does not fit its stream, stored bytes that no longer
/// decode, a schema this build cannot read, or the database failing underneath.
///
/// Equality compares ``code`` only.
public struct StoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case gap, fork, brokenLink, malformedLeaf, schemaTooNew, wrongUnit, corrupt, database, notInitialized, recovering
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// The batch's sequence number skips over batches not yet applied.
        public static let gap = Code(.gap)
        /// A different batch with the same stream and sequence number is already stored.
        public static let fork = Code(.fork)
        /// The batch's previous-hash does not match the stored head of its stream.
        public static let brokenLink = Code(.brokenLink)
        /// A leaf of the batch does not decode as a record write of the batch's author.
        public static let malformedLeaf = Code(.malformedLeaf)
        /// The database was written by a newer build.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// The database belongs to another unit.
        public static let wrongUnit = Code(.wrongUnit)
        /// Stored bytes no longer decode.
        public static let corrupt = Code(.corrupt)
        /// SQLite failed; ``StoreError/cause`` has its error.
        public static let database = Code(.database)
        /// The store has no unit yet (``Store/initialize(unit:)`` was never called).
        public static let notInitialized = Code(.notInitialized)
        /// The store was restored from a backup and has not recovered its own streams from peers yet.
        public static let recovering = Code(.recovering)
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
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
