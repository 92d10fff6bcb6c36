public import AccordCrypto
import AccordLedger
import AccordModel
import AccordPolicy
import Foundation

/// A peer's status as `accord serve` writes it to `run/peers.json` for `accord status`.
public struct ServedPeer: Codable, Sendable, Equatable {
    /// Stream name (`author/class`) to sequence number.
    public typealias Vector = [String: UInt64]
    /// The peer's unit.
    public var unit: String
    /// Whether a session is up.
    public var connected: Bool
    /// When the peer was last heard from, milliseconds since 1970 (0: never).
    public var lastContactMillis: UInt64
    /// What the peer announced it holds.
    public var vector: Vector
    /// Why the last connection ended or failed.
    public var lastError: String?
    /// The policy version the peer announced in its hello, if it did.
    public var policyVersion: UInt64?
}

/// What `accord serve` publishes about itself in `run/peers.json`.
public struct ServeSnapshot: Codable, Sendable {
    /// When written, milliseconds since 1970.
    public var writtenAtMillis: UInt64
    /// The process serving.
    public var pid: Int32
    /// The sync port.
    public var port: UInt16?
    /// Every peer.
    public var peers: [ServedPeer]

    /// Creates a snapshot.
    public init(writtenAtMillis: UInt64, pid: Int32, port: UInt16?, peers: [ServedPeer]) {
        self.writtenAtMillis = writtenAtMillis
        self.pid = pid
        self.port = port
        self.peers = peers
    }
}

extension Node {
    /// The TLS configuration for sync from `node.json`: paths resolved against the node directory,
    /// and only members of the policy accepted as peers.
    /// - Throws: ``NodeError`` `.invalidConfig` when `node.json` has no `tls` section.
    public func tlsConfiguration() throws -> TLSConfiguration {
        guard let files = config.tls else {
            throw NodeError(.invalidConfig, "\(directory)/node.json has no \"tls\" section: issue a certificate with ops/federation-ca.sh and add it")
        }
        for (what, path) in [("certificate", files.certificate), ("key", files.key), ("CA bundle", files.ca)] {
            let resolved = Self.resolve(path, in: directory)
            guard FileManager.default.fileExists(atPath: resolved) else {
                throw NodeError(.invalidConfig, "the TLS \(what) \(resolved) does not exist: issue the unit's certificate with "
                    + "ops/federation-ca.sh issue CA_DIR \(unit) --out \(Self.resolve("tls", in: directory)) and copy the CA's ca.pem there")
            }
        }
        let policy = self.policy
        let own = unit.rawValue
        return TLSConfiguration(
            certificateChainPath: Self.resolve(files.certificate, in: directory),
            privateKeyPath: Self.resolve(files.key, in: directory),
            trustedCAPath: Self.resolve(files.ca, in: directory),
            crlPath: files.crl.map { Self.resolve($0, in: directory) }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil },
            acceptPeer: { identity in
                guard policy.isMember(identity.unit) else {
                    return .refuse("unit \(identity.unit) is not a member of federation \(policy.federation) (policy v\(policy.version))")
                }
                guard identity.unit != own else { return .refuse("a node does not sync with its own unit") }
                return .accept
            })
    }

    /// Where `accord serve` writes its status.
    public var snapshotPath: String { Self.resolve("run/peers.json", in: directory) }

    /// Writes the serving status atomically.
    public static func writeSnapshot(_ snapshot: ServeSnapshot, to path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(snapshot) else { return }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The serving status, if `accord serve` wrote one in the last 5 seconds.
    public func servingSnapshot() -> ServeSnapshot? {
        guard let data = FileManager.default.contents(atPath: snapshotPath),
              let snapshot = try? JSONDecoder().decode(ServeSnapshot.self, from: data),
              now() < snapshot.writtenAtMillis + 5_000 else { return nil }
        return snapshot
    }
}

extension ServedPeer {
    /// The published form of a peer's status.
    public init(_ status: PeerStatus) {
        unit = status.unit
        connected = status.connected
        lastContactMillis = status.lastContactMillis
        vector = Dictionary(status.vector.map { ($0.stream.description, $0.sequence) }, uniquingKeysWith: max)
        lastError = status.lastError
        policyVersion = status.policyVersion
    }
}
