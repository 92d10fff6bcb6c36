/// An error that stops an import (unreadable file, bad header, bad mapping, broken CSV quoting).
/// Messages name files, columns and line numbers, never values.
public struct ImportError: Error, CustomStringConvertible, Equatable {
    /// The kind of import error; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadableFile, malformedHeader, missingIdColumn, unknownAttribute, malformedLine, badMapping
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file could not be opened or read.
        public static let unreadableFile = Code(.unreadableFile)
        /// The header row is missing, empty or has duplicate names.
        public static let malformedHeader = Code(.malformedHeader)
        /// The id column is not in the header.
        public static let missingIdColumn = Code(.missingIdColumn)
        /// The mapping names an attribute no rule defines.
        public static let unknownAttribute = Code(.unknownAttribute)
        /// A line cannot be parsed at all (e.g. an unterminated quote at end of file).
        public static let malformedLine = Code(.malformedLine)
        /// The mapping spec or mapping is invalid.
        public static let badMapping = Code(.badMapping)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// What kind of error.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// The source line the error refers to, if any.
    public let inputLine: Int?
    /// Source file of the throw site.
    public let file: String
    /// Source line of the throw site.
    public let line: UInt

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of error.
    ///   - message: what was wrong and where (no values).
    ///   - inputLine: source line, if any.
    public init(_ code: Code, _ message: String, inputLine: Int? = nil, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.inputLine = inputLine
        self.file = file
        self.line = line
    }

    /// `malformedLine: line 12: unterminated quoted field`.
    public var description: String {
        if let inputLine { return "\(code): line \(inputLine): \(message)" }
        return "\(code): \(message)"
    }

    /// Compares codes only.
    public static func == (lhs: ImportError, rhs: ImportError) -> Bool { lhs.code == rhs.code }
}
