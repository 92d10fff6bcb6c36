/// An error found while reading or validating a federation policy.
///
/// Every error names the JSON path of the offending value (for example
/// `$.attributes[3].type`), so that the governance team can fix the document
/// without guessing. Messages may quote values taken from the policy itself:
/// the policy holds configuration only, never customer data.
///
/// Two errors are equal when their codes are equal, so tests can match on the
/// code; compare `path` separately where it matters.
public struct PolicyError: Error, CustomStringConvertible, Equatable {
    /// What kind of problem this is. A struct over a private enum, so that new
    /// codes can be added without breaking exhaustive switches elsewhere.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case malformedJSON, missingField, wrongType, invalidValue
            case unknownKey, duplicate, unknownReference, unreadable
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// The document is not well-formed JSON (or not valid UTF-8).
        public static let malformedJSON = Code(.malformedJSON)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A value has the wrong JSON type (for example a boolean where an integer belongs).
        public static let wrongType = Code(.wrongType)
        /// A value has the right type but is not allowed (syntax, range, reserved name, ...).
        public static let invalidValue = Code(.invalidValue)
        /// An object holds a key the format does not define.
        public static let unknownKey = Code(.unknownKey)
        /// A name or id appears twice where it must be unique (also duplicate JSON keys).
        public static let duplicate = Code(.duplicate)
        /// A value names a unit, share class or other item the policy does not define.
        public static let unknownReference = Code(.unknownReference)
        /// The policy file could not be read.
        public static let unreadable = Code(.unreadable)

        /// The code's name, such as `wrongType`.
        public var description: String { kind.rawValue }
    }

    /// A position in the policy text, 1-based, for syntax errors.
    public struct TextPosition: Hashable, Sendable, CustomStringConvertible {
        /// Line number, starting at 1.
        public let line: Int
        /// Column number in characters (Unicode scalars), starting at 1.
        public let column: Int

        /// Creates a position.
        /// - Parameters:
        ///   - line: line number, starting at 1.
        ///   - column: column number, starting at 1.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        /// `line L, column C`.
        public var description: String { "line \(line), column \(column)" }
    }

    /// What kind of problem this is.
    public let code: Code
    /// What was wrong, without the source and path (see `description` for the full text).
    public let message: String
    /// The JSON path of the offending value, such as `$.attributes[3].type`;
    /// `$` for the whole document, empty when the file could not be read at all.
    public let path: String
    /// Where the policy came from: the file name for `Policy.load`, or the `source` given to `Policy.parse`.
    public let source: String
    /// Line and column in the text, for `malformedJSON` errors.
    public let position: TextPosition?
    /// Source file of the throw site.
    public let file: String
    /// Source line of the throw site.
    public let line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - message: what was wrong.
    ///   - path: the JSON path of the offending value.
    ///   - source: the policy's file name or label.
    ///   - position: line and column in the text, if known.
    ///   - file: throw site (defaults to the caller).
    ///   - line: throw site line (defaults to the caller).
    public init(
        _ code: Code, _ message: String, path: String, source: String = "policy",
        position: TextPosition? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.source = source
        self.position = position
        self.file = file
        self.line = line
    }

    /// `source: path: message`, for example
    /// `policy.json: $.attributes[3].type: unknown attribute type "strng" (expected one of: text, ...)`.
    public var description: String {
        path.isEmpty ? "\(source): \(message)" : "\(source): \(path): \(message)"
    }

    /// Compares codes only.
    public static func == (lhs: PolicyError, rhs: PolicyError) -> Bool {
        lhs.code == rhs.code
    }
}
