/// An error of the sync layer: a frame that does not decode, or a peer that breaks the protocol.
///
/// Equality compares ``code`` only, so tests can match on the kind of failure. Messages name the
/// frame type and byte offset, never the bytes of a payload.
public struct SyncError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The kind of failure. A struct over a private enum, so new codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case frameTooLarge, malformedFrame, unknownFrameType, protocolViolation, versionMismatch, idleTimeout
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// A frame's length prefix is over the maximum frame size.
        public static let frameTooLarge = Code(.frameTooLarge)
        /// A frame's payload does not decode (truncated, trailing bytes, invalid field, bad batch).
        public static let malformedFrame = Code(.malformedFrame)
        /// A frame's type byte names no known message.
        public static let unknownFrameType = Code(.unknownFrameType)
        /// A well-formed frame arrived when the protocol does not allow it.
        public static let protocolViolation = Code(.protocolViolation)
        /// The peer speaks another protocol version.
        public static let versionMismatch = Code(.versionMismatch)
        /// The peer sent nothing for longer than the idle timeout.
        public static let idleTimeout = Code(.idleTimeout)
        /// The code's name; also what an `error` frame carries.
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and where.
    public let message: String
    /// The frame type byte involved, when known.
    public let frameType: UInt8?
    /// The byte offset where decoding failed: inside the payload for payload errors, from the
    /// start of the byte stream for framing errors (see the message).
    public let offset: Int?
    /// The underlying error, for example the `LedgerError` of a batch that does not decode.
    public let cause: (any Error)?
    /// The source file of the throw site.
    public let file: String
    /// The source line of the throw site.
    public let line: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what was wrong and where, without payload bytes.
    ///   - frameType: the frame type byte involved, if any.
    ///   - offset: the byte offset of the failure, if any.
    ///   - cause: the underlying error, if any.
    public init(
        _ code: Code, _ message: String, frameType: UInt8? = nil, offset: Int? = nil, cause: (any Error)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.frameType = frameType
        self.offset = offset
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// `"<code>: message"`.
    public var description: String { "\(code): \(message)" }

    /// Compares the codes only.
    public static func == (lhs: SyncError, rhs: SyncError) -> Bool { lhs.code == rhs.code }
}
