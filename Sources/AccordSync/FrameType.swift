/// The type byte of a frame. A struct over a raw byte, so an unknown type can be named in errors.
public struct FrameType: Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8

    /// Wraps a type byte (known or not).
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `hello`: protocol version, unit, policy version, version vector.
    public static let hello = FrameType(rawValue: 1)
    /// `batch`: one encoded batch.
    public static let batch = FrameType(rawValue: 2)
    /// `ack`: the receiver holds a batch.
    public static let ack = FrameType(rawValue: 3)
    /// `reject`: the receiver refused a batch.
    public static let reject = FrameType(rawValue: 4)
    /// `summary`: the sender's current version vector.
    public static let summary = FrameType(rawValue: 5)
    /// `error`: the sender is closing because of this error.
    public static let error = FrameType(rawValue: 6)
    /// `ping`: liveness probe.
    public static let ping = FrameType(rawValue: 7)
    /// `pong`: answer to a ping.
    public static let pong = FrameType(rawValue: 8)
    /// `policy`: a signed policy document for a peer holding an older version.
    public static let policy = FrameType(rawValue: 9)

    /// Whether this build knows the type.
    public var isKnown: Bool { (1...9).contains(rawValue) }

    /// The type's name, or `type N` when unknown.
    public var description: String {
        switch rawValue {
        case 1: "hello"
        case 2: "batch"
        case 3: "ack"
        case 4: "reject"
        case 5: "summary"
        case 6: "error"
        case 7: "ping"
        case 8: "pong"
        case 9: "policy"
        default: "type \(rawValue)"
        }
    }
}
