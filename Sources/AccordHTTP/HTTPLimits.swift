/// Size limits on a request. Each one, when exceeded, is refused with its own status and a
/// message naming the limit: request line 414, header bytes or count 431, body 413.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line (method, target and version), in bytes, without its CRLF.
    public var maxRequestLineBytes: Int = 8192
    /// Most bytes of all header lines together, CRLFs included.
    public var maxHeaderBytes: Int = 16_384
    /// Most header fields.
    public var maxHeaderCount: Int = 64
    /// Most body bytes, unless the responder allows a route more (``HTTPResponder/bodyLimit(for:client:default:)``).
    public var maxBodyBytes: Int = 1 << 20

    /// The default limits.
    public init() {}
}
