import AccordNode
import AccordSync
import Foundation
import Testing

/// `node.json`'s `limits` section: read, written back, applied to the sync settings with the
/// defaults kept for what it leaves out, and refused with the JSON path of a bad value.
@Suite("Node configuration limits")
struct NodeConfigLimitsTests {
    static func load(_ limits: String) throws -> NodeConfig {
        let directory = NSTemporaryDirectory() + "accord-limits-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/node.json"
        let text = #"{ "format": "accord-node/1", "unit": "retail""# + (limits.isEmpty ? "" : #", "limits": "# + limits) + " }"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try NodeConfig.load(contentsOf: path)
    }

    static func refusal(_ limits: String) -> String {
        do {
            _ = try load(limits)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test("no limits section: every default in force, none written")
    func defaults() throws {
        let config = try Self.load("")
        #expect(config.limits == NodeConfig.Limits())
        var settings = SyncService.Settings(unit: "retail")
        config.limits.apply(to: &settings)
        #expect(settings.maxInboundConnections == 64)
        #expect(settings.helloDeadline == 10)
        #expect(settings.session.maxFrameSize == FrameCodec.defaultMaxFrameSize)
        let written = try JSONSerialization.jsonObject(with: config.jsonData()) as? [String: Any]
        #expect(written?["limits"] == nil)
    }

    @Test("the sync limits are read, applied and written back")
    func syncLimits() throws {
        let config = try Self.load(#"{ "sync": { "maxInboundConnections": 16, "helloDeadlineSeconds": 2.5, "maxFrameBytes": 4194304 } }"#)
        #expect(config.limits.syncMaxInboundConnections == 16)
        #expect(config.limits.syncHelloDeadlineSeconds == 2.5)
        #expect(config.limits.syncMaxFrameBytes == 4 << 20)
        var settings = SyncService.Settings(unit: "retail")
        config.limits.apply(to: &settings)
        #expect(settings.maxInboundConnections == 16)
        #expect(settings.helloDeadline == 2.5)
        #expect(settings.session.maxFrameSize == 4 << 20)
        let directory = NSTemporaryDirectory() + "accord-limits-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try config.jsonData().write(to: URL(fileURLWithPath: directory + "/node.json"))
        #expect(try NodeConfig.load(contentsOf: directory + "/node.json") == config)
    }

    @Test("the API limits are read and written back")
    func apiLimits() throws {
        let config = try Self.load(#"{ "api": { "maxConnections": 32, "maxHeaderBytes": 4096, "maxBodyBytes": 65536, "idleTimeoutSeconds": 5 } }"#)
        #expect(config.limits.apiMaxConnections == 32)
        #expect(config.limits.apiMaxHeaderBytes == 4096)
        #expect(config.limits.apiMaxBodyBytes == 65536)
        #expect(config.limits.apiIdleTimeoutSeconds == 5)
        #expect(config.limits.syncMaxInboundConnections == nil)
        let written = try JSONSerialization.jsonObject(with: config.jsonData()) as? [String: Any]
        let api = (written?["limits"] as? [String: Any])?["api"] as? [String: Any]
        #expect(api?["maxConnections"] as? Int == 32)
        #expect(api?.count == 4)
    }

    @Test("a bad limit is refused with its JSON path and the range")
    func refusals() {
        #expect(Self.refusal(#"{ "sync": { "maxInboundConnections": 0 } }"#)
            .contains("$.limits.sync.maxInboundConnections: expected an integer from 1 to 10000"))
        #expect(Self.refusal(#"{ "sync": { "maxInboundConnections": 2.5 } }"#).contains("$.limits.sync.maxInboundConnections: expected an integer"))
        #expect(Self.refusal(#"{ "sync": { "maxInboundConnections": true } }"#).contains("$.limits.sync.maxInboundConnections: expected an integer"))
        #expect(Self.refusal(#"{ "sync": { "maxFrameBytes": 1000 } }"#).contains("$.limits.sync.maxFrameBytes: expected an integer from 1048576"))
        #expect(Self.refusal(#"{ "sync": { "helloDeadlineSeconds": "10" } }"#).contains("$.limits.sync.helloDeadlineSeconds: expected a number of seconds"))
        #expect(Self.refusal(#"{ "api": { "maxBodyBytes": -1 } }"#).contains("$.limits.api.maxBodyBytes: expected an integer from 1024"))
        #expect(Self.refusal(#"{ "api": { "headerTimeoutSeconds": 0 } }"#).contains("$.limits.api.headerTimeoutSeconds: expected a number of seconds from 0.5"))
        #expect(Self.refusal(#"{ "sync": { "maxConnections": 5 } }"#).contains("$.limits.sync.maxConnections: unknown key"))
        #expect(Self.refusal(#"{ "http": {} }"#).contains("$.limits.http: unknown key"))
        #expect(Self.refusal(#"[]"#).contains("$.limits: expected an object"))
    }
}
