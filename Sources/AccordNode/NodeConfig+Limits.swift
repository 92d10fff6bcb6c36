import AccordSync
import Foundation

extension NodeConfig {
    /// Limits of the sync listener and of the HTTPS API from `node.json`'s `limits` section;
    /// each `nil` keeps the built-in default (the defaults are documented in Config/README.md).
    ///
    /// ```json
    /// "limits": { "sync": { "maxInboundConnections": 64, "helloDeadlineSeconds": 10, "maxFrameBytes": 16777216 },
    ///             "api": { "maxConnections": 256, "maxHeaderBytes": 16384, "maxBodyBytes": 1048576 } }
    /// ```
    public struct Limits: Equatable, Sendable {
        /// Most inbound sync connections at once (default 64).
        public var syncMaxInboundConnections: Int?
        /// Seconds an inbound sync connection has for its TLS handshake and hello (default 10).
        public var syncHelloDeadlineSeconds: Double?
        /// Largest sync frame accepted from a peer, bytes (default 16 MiB).
        public var syncMaxFrameBytes: Int?
        /// Most API connections at once (default 256).
        public var apiMaxConnections: Int?
        /// Longest API request line, bytes (default 8192).
        public var apiMaxRequestLineBytes: Int?
        /// Most bytes of an API request's header fields (default 16384).
        public var apiMaxHeaderBytes: Int?
        /// Most header fields of an API request (default 64).
        public var apiMaxHeaderCount: Int?
        /// Most body bytes of an API request other than an import (default 1 MiB).
        public var apiMaxBodyBytes: Int?
        /// Most body bytes of an import through the API (default 64 MiB).
        public var apiMaxImportBytes: Int?
        /// Seconds for an API client's TLS handshake (default 10).
        public var apiHandshakeTimeoutSeconds: Double?
        /// Seconds from a request's first byte until its header fields are in (default 10).
        public var apiHeaderTimeoutSeconds: Double?
        /// Seconds from a request's first byte until its body is in (default 30).
        public var apiRequestTimeoutSeconds: Double?
        /// Seconds a kept-alive API connection may wait for its next request (default 60).
        public var apiIdleTimeoutSeconds: Double?

        /// No limit set: every default in force.
        public init() {}

        /// Sets the sync limits given here on `settings`; the others keep their values.
        public func apply(to settings: inout SyncService.Settings) {
            if let syncMaxInboundConnections { settings.maxInboundConnections = syncMaxInboundConnections }
            if let syncHelloDeadlineSeconds { settings.helloDeadline = syncHelloDeadlineSeconds }
            if let syncMaxFrameBytes { settings.session.maxFrameSize = syncMaxFrameBytes }
        }

        fileprivate static var syncKeys: [(name: String, path: WritableKeyPath<Limits, Int?>, range: ClosedRange<Int>)] {
            [
                ("maxInboundConnections", \.syncMaxInboundConnections, 1...10_000),
                ("maxFrameBytes", \.syncMaxFrameBytes, (1 << 20)...(1 << 30)),
            ]
        }
        fileprivate static var syncSeconds: [(name: String, path: WritableKeyPath<Limits, Double?>, range: ClosedRange<Double>)] {
            [
                ("helloDeadlineSeconds", \.syncHelloDeadlineSeconds, 0.5...600),
            ]
        }
        fileprivate static var apiKeys: [(name: String, path: WritableKeyPath<Limits, Int?>, range: ClosedRange<Int>)] {
            [
                ("maxConnections", \.apiMaxConnections, 1...100_000),
                ("maxRequestLineBytes", \.apiMaxRequestLineBytes, 256...(1 << 20)),
                ("maxHeaderBytes", \.apiMaxHeaderBytes, 1024...(16 << 20)),
                ("maxHeaderCount", \.apiMaxHeaderCount, 8...10_000),
                ("maxBodyBytes", \.apiMaxBodyBytes, 1024...(1 << 30)),
                ("maxImportBytes", \.apiMaxImportBytes, 1024...(16 << 30)),
            ]
        }
        fileprivate static var apiSeconds: [(name: String, path: WritableKeyPath<Limits, Double?>, range: ClosedRange<Double>)] {
            [
                ("handshakeTimeoutSeconds", \.apiHandshakeTimeoutSeconds, 0.5...600),
                ("headerTimeoutSeconds", \.apiHeaderTimeoutSeconds, 0.5...3600),
                ("requestTimeoutSeconds", \.apiRequestTimeoutSeconds, 0.5...3600),
                ("idleTimeoutSeconds", \.apiIdleTimeoutSeconds, 0.5...86_400),
            ]
        }
    }

    /// Reads the `limits` section.
    /// - Throws: ``NodeError`` `.invalidConfig` naming the JSON path of an unknown key, a value
    ///   that is not a number (or not an integer) or one out of its range.
    static func limits(_ value: Any, _ reader: JSONFields) throws -> Limits {
        var limits = Limits()
        let section = try reader.object(value, "$.limits")
        try reader.allowOnly(section, "$.limits", ["sync", "api"])
        let parts = [("sync", Limits.syncKeys, Limits.syncSeconds), ("api", Limits.apiKeys, Limits.apiSeconds)]
        for (name, integers, seconds) in parts {
            guard let part = section[name] else { continue }
            let at = "$.limits.\(name)"
            let object = try reader.object(part, at)
            try reader.allowOnly(object, at, Set(integers.map(\.name) + seconds.map(\.name)))
            for key in integers { limits[keyPath: key.path] = try reader.optionalInteger(object, at, key.name, key.range) }
            for key in seconds { limits[keyPath: key.path] = try reader.optionalNumber(object, at, key.name, key.range) }
        }
        return limits
    }

    /// The `limits` section as JSON, or `nil` when no limit is set.
    func limitsJSON() -> [String: Any]? {
        var section: [String: Any] = [:]
        let parts = [("sync", Limits.syncKeys, Limits.syncSeconds), ("api", Limits.apiKeys, Limits.apiSeconds)]
        for (name, integers, seconds) in parts {
            var object: [String: Any] = [:]
            for key in integers { if let value = limits[keyPath: key.path] { object[key.name] = value } }
            for key in seconds { if let value = limits[keyPath: key.path] { object[key.name] = value } }
            if !object.isEmpty { section[name] = object }
        }
        return section.isEmpty ? nil : section
    }
}

extension JSONFields {
    func optionalInteger(_ object: [String: Any], _ path: String, _ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value = object[key] else { return nil }
        guard !(value is Bool), let number = value as? NSNumber,
              number.doubleValue == number.doubleValue.rounded(), let integer = Int(exactly: number.doubleValue),
              range.contains(integer) else {
            throw NodeError(.invalidConfig, "\(source): \(path).\(key): expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    func optionalNumber(_ object: [String: Any], _ path: String, _ key: String, _ range: ClosedRange<Double>) throws -> Double? {
        guard let value = object[key] else { return nil }
        guard !(value is Bool), let number = value as? NSNumber, range.contains(number.doubleValue) else {
            throw NodeError(.invalidConfig, "\(source): \(path).\(key): expected a number of seconds from \(range.lowerBound) to \(range.upperBound)")
        }
        return number.doubleValue
    }
}
