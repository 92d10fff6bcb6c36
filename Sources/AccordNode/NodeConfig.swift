public import Foundation

/// A node's configuration, `node.json` in the node directory. Paths are relative to that directory.
///
/// ```json
/// { "format": "accord-node/1", "unit": "retail", "policy": "policy.json", "database": "accord.sqlite",
///   "signingKey": "keys/signing.pem", "listen": { "sync": "127.0.0.1:7401", "api": "127.0.0.1:8401" },
///   "peers": [ { "unit": "insurance", "endpoint": "127.0.0.1:7402" } ],
///   "import": { "defaultCountry": "DE", "dateOrder": "dayFirst" } }
/// ```
public struct NodeConfig: Equatable, Sendable {
    /// The format tag this build reads and writes.
    public static let format = "accord-node/1"

    /// A peer to synchronize with.
    public struct Peer: Equatable, Sendable {
        /// The peer's unit id.
        public var unit: String
        /// `host:port` of its sync listener.
        public var endpoint: String

        /// Creates a peer entry.
        public init(unit: String, endpoint: String) {
            self.unit = unit
            self.endpoint = endpoint
        }
    }

    /// The unit this node runs for.
    public var unit: String
    /// The policy file.
    public var policy: String = "policy.json"
    /// The SQLite database.
    public var database: String = "accord.sqlite"
    /// The unit's Ed25519 signing key (PKCS#8 PEM, mode 0600).
    public var signingKey: String = "keys/signing.pem"
    /// `host:port` of the sync listener.
    public var syncListen: String?
    /// `host:port` of the API listener.
    public var apiListen: String?
    /// Peers to synchronize with.
    public var peers: [Peer] = []
    /// Import default: the country of national phone numbers (overrides the policy's default).
    public var defaultCountry: String?
    /// Import default: how to read ambiguous dates (overrides the policy's default).
    public var dateOrder: String?
    /// TLS files for sync: this unit's certificate chain and key, the federation's CA bundle, and
    /// an optional CRL. `nil` until the unit's certificate is issued (`ops/federation-ca.sh issue`).
    public var tls: TLSFiles?
    /// Limits of the sync listener and the API (`limits` in node.json); unset ones keep their defaults.
    public var limits = Limits()

    /// The TLS files of a node, as paths (relative to the node directory or absolute).
    public struct TLSFiles: Equatable, Sendable {
        /// PEM certificate chain, the unit's certificate first.
        public var certificate: String
        /// PEM private key of the certificate.
        public var key: String
        /// PEM bundle of the CA certificates trusted for peers (several during a CA rotation).
        public var ca: String
        /// PEM certificate revocation list, if the federation publishes one.
        public var crl: String?

        /// Creates a set of TLS paths.
        public init(certificate: String, key: String, ca: String, crl: String? = nil) {
            self.certificate = certificate
            self.key = key
            self.ca = ca
            self.crl = crl
        }
    }

    /// Creates a configuration with default file names.
    public init(unit: String) { self.unit = unit }

    /// Reads `node.json`.
    /// - Throws: ``NodeError`` `.invalidConfig` naming the file and the JSON path.
    public static func load(contentsOf path: String) throws -> NodeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeError(.invalidConfig, "\(path): cannot read the node configuration")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw NodeError(.invalidConfig, "\(path): not valid JSON")
        }
        let reader = JSONFields(source: path)
        let object = try reader.object(root, "$")
        try reader.allowOnly(object, "$", ["format", "unit", "policy", "database", "signingKey", "listen", "peers", "import", "tls", "limits"])
        guard try reader.string(object, "$", "format") == format else {
            throw NodeError(.invalidConfig, "\(path): $.format: expected \"\(format)\"")
        }
        var config = NodeConfig(unit: try reader.string(object, "$", "unit"))
        config.policy = try reader.optionalString(object, "$", "policy") ?? config.policy
        config.database = try reader.optionalString(object, "$", "database") ?? config.database
        config.signingKey = try reader.optionalString(object, "$", "signingKey") ?? config.signingKey
        if let listen = object["listen"] {
            let listenObject = try reader.object(listen, "$.listen")
            try reader.allowOnly(listenObject, "$.listen", ["sync", "api"])
            config.syncListen = try reader.optionalString(listenObject, "$.listen", "sync")
            config.apiListen = try reader.optionalString(listenObject, "$.listen", "api")
        }
        if let peers = object["peers"] {
            guard let list = peers as? [Any] else { throw NodeError(.invalidConfig, "\(path): $.peers: expected an array") }
            for (index, item) in list.enumerated() {
                let at = "$.peers[\(index)]"
                let peer = try reader.object(item, at)
                try reader.allowOnly(peer, at, ["unit", "endpoint"])
                config.peers.append(Peer(unit: try reader.string(peer, at, "unit"), endpoint: try reader.string(peer, at, "endpoint")))
            }
        }
        if let importSettings = object["import"] {
            let settings = try reader.object(importSettings, "$.import")
            try reader.allowOnly(settings, "$.import", ["defaultCountry", "dateOrder"])
            config.defaultCountry = try reader.optionalString(settings, "$.import", "defaultCountry")
            config.dateOrder = try reader.optionalString(settings, "$.import", "dateOrder")
        }
        if let tls = object["tls"] {
            let files = try reader.object(tls, "$.tls")
            try reader.allowOnly(files, "$.tls", ["certificate", "key", "ca", "crl"])
            config.tls = TLSFiles(
                certificate: try reader.string(files, "$.tls", "certificate"), key: try reader.string(files, "$.tls", "key"),
                ca: try reader.string(files, "$.tls", "ca"), crl: try reader.optionalString(files, "$.tls", "crl"))
        }
        if let limits = object["limits"] { config.limits = try Self.limits(limits, reader) }
        return config
    }

    /// The configuration as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        var object: [String: Any] = [
            "format": Self.format, "unit": unit, "policy": policy, "database": database, "signingKey": signingKey,
        ]
        var listen: [String: Any] = [:]
        if let syncListen { listen["sync"] = syncListen }
        if let apiListen { listen["api"] = apiListen }
        if !listen.isEmpty { object["listen"] = listen }
        object["peers"] = peers.map { ["unit": $0.unit, "endpoint": $0.endpoint] }
        var importSettings: [String: Any] = [:]
        if let defaultCountry { importSettings["defaultCountry"] = defaultCountry }
        if let dateOrder { importSettings["dateOrder"] = dateOrder }
        if !importSettings.isEmpty { object["import"] = importSettings }
        if let tls {
            var files: [String: Any] = ["certificate": tls.certificate, "key": tls.key, "ca": tls.ca]
            if let crl = tls.crl { files["crl"] = crl }
            object["tls"] = files
        }
        if let limits = limitsJSON() { object["limits"] = limits }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}

/// Typed field access on JSONSerialization objects with errors naming the JSON path.
struct JSONFields {
    let source: String

    func object(_ value: Any, _ path: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else { throw NodeError(.invalidConfig, "\(source): \(path): expected an object") }
        return object
    }

    func allowOnly(_ object: [String: Any], _ path: String, _ keys: Set<String>) throws {
        for key in object.keys.sorted() where !keys.contains(key) {
            throw NodeError(.invalidConfig, "\(source): \(path).\(key): unknown key")
        }
    }

    func string(_ object: [String: Any], _ path: String, _ key: String) throws -> String {
        guard let value = object[key] else { throw NodeError(.invalidConfig, "\(source): \(path).\(key): missing") }
        guard let text = value as? String else { throw NodeError(.invalidConfig, "\(source): \(path).\(key): expected a string") }
        return text
    }

    func optionalString(_ object: [String: Any], _ path: String, _ key: String) throws -> String? {
        guard object[key] != nil else { return nil }
        return try string(object, path, key)
    }
}
