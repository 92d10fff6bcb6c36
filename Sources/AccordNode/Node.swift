public import AccordModel
public import AccordPolicy
public import AccordStore
public import AccordCrypto
import Foundation

/// A business unit's node: its directory, configuration, policy, signing key and store.
///
/// Layout of a node directory:
/// - `node.json`: the configuration (``NodeConfig``);
/// - `policy.json`: the federation policy the node holds;
/// - `keys/signing.pem`: the unit's Ed25519 signing key (mode 0600), `keys/signing.pub.pem` its public key;
/// - `accord.sqlite` (+ `-wal`, `-shm`): the store.
///
/// Not `Sendable`: one owner at a time, because the store has one writer.
public final class Node {
    /// The node directory.
    public let directory: String
    /// The configuration read from `node.json`.
    public let config: NodeConfig
    /// The unit this node runs for.
    public let unit: UnitID
    /// The federation policy the node holds.
    public internal(set) var policy: Policy
    /// The unit's signing keys: `keys/signing.pem`, and `keys/signing.next.pem` during a rotation.
    let signingKeys: [Ed25519PrivateKey]
    /// The key the unit signs with: the one whose public key the policy it holds lists as the
    /// unit's `signingKey` (the next key once a policy naming it is adopted), else the first.
    var signingKey: Ed25519PrivateKey {
        let listed = policy.unit(unit.rawValue)?.signingKey
        return signingKeys.first { $0.publicKey.rawRepresentation == listed } ?? signingKeys[0]
    }
    /// The store.
    public let store: Store
    /// The wall clock, milliseconds since 1970 (injectable for tests).
    public let now: @Sendable () -> UInt64

    /// The unit's public signing key.
    public var publicKey: Ed25519PublicKey { signingKey.publicKey }

    /// The public signing key as the policy lists it (`units[].signingKey`): base64 of the 32 raw bytes.
    public var publicKeyBase64: String { Data(signingKey.publicKey.rawRepresentation).base64EncodedString() }

    /// Opens an initialized node directory.
    /// - Throws: ``NodeError`` `.notANode` when there is no `node.json`, `.invalidConfig`, `.invalidPolicy`, `.storage`.
    public init(directory: String, now: @escaping @Sendable () -> UInt64 = Node.wallClock) throws {
        let configPath = (directory as NSString).appendingPathComponent("node.json")
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw NodeError(.notANode, "\(directory) is not an Accord node (no node.json); create one with `accord init`")
        }
        let config = try NodeConfig.load(contentsOf: configPath)
        let unit: UnitID
        do {
            unit = try UnitID(config.unit)
        } catch {
            throw NodeError(.invalidConfig, "\(configPath): $.unit: not a valid unit id")
        }
        let policy = try Self.loadPolicy(Self.resolve(config.policy, in: directory))
        guard policy.isMember(unit.rawValue) else {
            throw NodeError(.invalidPolicy, "unit \(unit) is not a member of federation \(policy.federation) (policy v\(policy.version))")
        }
        var keys: [Ed25519PrivateKey] = []
        do {
            keys.append(try Ed25519PrivateKey.read(fromFile: Self.resolve(config.signingKey, in: directory)))
            let next = Self.nextKeyPath(Self.resolve(config.signingKey, in: directory))
            if FileManager.default.fileExists(atPath: next) { keys.append(try Ed25519PrivateKey.read(fromFile: next)) }
        } catch {
            throw NodeError(.notANode, "cannot read the signing key", cause: error)
        }
        let store: Store
        do {
            store = try Store(path: Self.resolve(config.database, in: directory))
            try store.initialize(unit: unit)
        } catch {
            throw NodeError(.storage, "cannot open the store", cause: error)
        }
        self.directory = directory
        self.config = config
        self.unit = unit
        self.policy = policy
        self.signingKeys = keys
        self.store = store
        self.now = now
    }

    /// Creates a node directory: configuration, a copy of the policy, a new signing key and an
    /// empty store. Refuses a directory that already holds a node.
    /// - Parameters:
    ///   - directory: where to create the node (created if missing).
    ///   - unit: the unit the node runs for; must be a member of the policy.
    ///   - policyText: the policy document to install.
    /// - Returns: the opened node.
    /// - Throws: ``NodeError`` `.alreadyInitialized`, `.invalidPolicy`, `.storage`.
    @discardableResult
    public static func initialize(directory: String, unit: String, policyText: [UInt8]) throws -> Node {
        let files = FileManager.default
        let configPath = (directory as NSString).appendingPathComponent("node.json")
        guard !files.fileExists(atPath: configPath) else {
            throw NodeError(.alreadyInitialized, "\(directory) already holds a node (node.json exists)")
        }
        let policy: Policy
        do {
            policy = try Policy.parse(policyText, source: "policy")
        } catch {
            throw NodeError(.invalidPolicy, "the policy is not valid", cause: error)
        }
        guard policy.isMember(unit) else {
            let members = policy.units.map(\.id).joined(separator: ", ")
            throw NodeError(.invalidPolicy, "unit \"\(unit)\" is not a member of federation \(policy.federation) (members: \(members))")
        }
        var config = NodeConfig(unit: unit)
        config.defaultCountry = policy.unit(unit)?.country
        // Where `ops/federation-ca.sh issue CA UNIT --out <node>/tls` puts the unit's certificate.
        config.tls = NodeConfig.TLSFiles(certificate: "tls/\(unit).pem", key: "tls/\(unit).key", ca: "tls/ca.pem", crl: "tls/crl.pem")
        do {
            try files.createDirectory(atPath: (directory as NSString).appendingPathComponent("keys"), withIntermediateDirectories: true)
            try Data(policyText).write(to: URL(fileURLWithPath: resolve(config.policy, in: directory)))
            let key = try Ed25519PrivateKey.generate()
            try key.write(toFile: resolve(config.signingKey, in: directory))
            try Data(try key.publicKey.pemRepresentation().utf8)
                .write(to: URL(fileURLWithPath: resolve("keys/signing.pub.pem", in: directory)))
            _ = try Store(path: resolve(config.database, in: directory))
            // node.json last: its presence marks a complete node.
            try config.jsonData().write(to: URL(fileURLWithPath: configPath), options: .atomic)
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.storage, "cannot create the node in \(directory)", cause: error)
        }
        return try Node(directory: directory)
    }

    static func loadPolicy(_ path: String) throws -> Policy {
        do {
            return try Policy.load(contentsOf: path)
        } catch {
            throw NodeError(.invalidPolicy, "cannot load the policy", cause: error)
        }
    }

    /// Where the next signing key of a rotation lives: beside the key, `.next` before `.pem`.
    static func nextKeyPath(_ keyPath: String) -> String {
        keyPath.hasSuffix(".pem") ? String(keyPath.dropLast(4)) + ".next.pem" : keyPath + ".next"
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// Milliseconds since 1970 from the system clock.
    public static let wallClock: @Sendable () -> UInt64 = {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    /// The share class of an attribute under the node's policy.
    func shareClass(of attribute: AttributeName) -> String? {
        policy.shareClass(ofAttribute: attribute.rawValue)
    }
}
