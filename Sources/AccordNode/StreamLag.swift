/// How far a peer and this node are apart on one stream, in batches, both ways.
public struct StreamLag: Sendable, Equatable {
    /// The stream (`author/class`).
    public let stream: String
    /// Batches of the stream this node holds and the peer lacks.
    public let peerLacks: UInt64
    /// Batches the peer holds and this node lacks.
    public let weLack: UInt64

    /// Per stream, from this node's heads and the peer's announced heads. The peer announces
    /// only streams it may receive: a stream of ours it does not list is not counted as lacking.
    /// - Parameters:
    ///   - ours: stream to last sequence number this node holds.
    ///   - theirs: stream to last sequence number the peer announced.
    /// - Returns: one entry per stream either side holds, in stream order.
    public static func between(ours: [String: UInt64], theirs: [String: UInt64]) -> [StreamLag] {
        Set(ours.keys).union(theirs.keys).sorted().map { stream in
            let mine = ours[stream] ?? 0, peer = theirs[stream] ?? 0
            let peerLacks = theirs[stream] == nil ? 0 : mine > peer ? mine - peer : 0
            return StreamLag(stream: stream, peerLacks: peerLacks, weLack: peer > mine ? peer - mine : 0)
        }
    }
}
