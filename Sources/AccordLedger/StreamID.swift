public import AccordModel

/// A stream of batches: one author's entries of one share class. Sequence numbers count per stream.
public struct StreamID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The unit that authors every entry of the stream.
    public let author: UnitID
    /// The share class of every entry of the stream.
    public let shareClass: String

    /// Creates a stream id.
    /// - Throws: ``LedgerError`` `.invalidStream` when the class name is not an identifier.
    public init(author: UnitID, shareClass: String) throws {
        guard (try? UnitID(shareClass)) != nil else {
            throw LedgerError(.invalidStream, "share class must match [a-z][a-z0-9_-]{0,62}")
        }
        self.author = author
        self.shareClass = shareClass
    }

    /// Creates a stream id from parts known to be valid (read back from our own store).
    public init(unchecked author: UnitID, shareClass: String) {
        self.author = author
        self.shareClass = shareClass
    }

    /// `author/class`.
    public var description: String { "\(author)/\(shareClass)" }

    /// Orders by author, then class.
    public static func < (lhs: StreamID, rhs: StreamID) -> Bool {
        if lhs.author != rhs.author { return lhs.author < rhs.author }
        return lhs.shareClass.utf8.lexicographicallyPrecedes(rhs.shareClass.utf8)
    }
}

/// Where a stream stands: the last sequence number and the hash of that batch (the link the
/// next batch must carry). A stream with no batch has sequence 0 and the zero hash.
public struct StreamHead: Hashable, Sendable {
    /// The stream.
    public let stream: StreamID
    /// The last sequence number, 0 before the first batch.
    public let sequence: UInt64
    /// The hash of the last batch, 32 zero bytes before the first.
    public let hash: [UInt8]

    /// The 32 zero bytes that the first batch of every stream links to.
    public static let zeroHash = [UInt8](repeating: 0, count: 32)

    /// Creates a head.
    public init(stream: StreamID, sequence: UInt64, hash: [UInt8]) {
        self.stream = stream
        self.sequence = sequence
        self.hash = hash
    }

    /// The head of a stream with no batch yet.
    public static func empty(_ stream: StreamID) -> StreamHead {
        StreamHead(stream: stream, sequence: 0, hash: zeroHash)
    }
}
