/// An error from the node: its directory, configuration, policy, an import or a lookup.
///
/// Equality compares ``code`` only. Messages say what was wrong and where (a path, a JSON path,
/// a line), never a customer's data or a key.
public struct NodeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case notANode, alreadyInitialized, invalidConfig, invalidPolicy, importFailed, notFound, notAllowed, storage
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// The directory is not an initialized node.
        public static let notANode = Code(.notANode)
        /// `init` found an existing node.
        public static let alreadyInitialized = Code(.alreadyInitialized)
        /// `node.json` is malformed.
        public static let invalidConfig = Code(.invalidConfig)
        /// The policy is malformed or does not fit this node.
        public static let invalidPolicy = Code(.invalidPolicy)
        /// An import could not start or stopped.
        public static let importFailed = Code(.importFailed)
        /// A record or other item does not exist.
        public static let notFound = Code(.notFound)
        /// The policy does not allow this unit to do that.
        public static let notAllowed = Code(.notAllowed)
        /// The store failed underneath.
        public static let storage = Code(.storage)
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

    /// `"message: cause"`.
    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }

    /// Compares the codes only.
    public static func == (lhs: NodeError, rhs: NodeError) -> Bool { lhs.code == rhs.code }
}
