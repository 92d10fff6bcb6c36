import AccordCrypto
import AccordLedger
import AccordModel
import AccordNode
import Foundation
import Testing

/// The sync listener's limits over real sockets on 127.0.0.1: a client that connects and sends
/// nothing (no TLS, or TLS but no hello) is dropped after the hello deadline; connections beyond
/// the cap are closed at once with a logged reason; a legitimate peer still syncs.
@Suite("Sync listener limits")
struct SyncLimitsTests {
    static let deadline = 1.0

    static func federation(_ directory: String, _ recorder: LogRecorder) throws -> LocalFederation {
        try LocalFederation(directory: directory, units: ["retail", "webshop"], logger: recorder.logger()) { unit in
            var settings = SyncService.Settings(unit: unit)
            settings.maxInboundConnections = 3
            settings.helloDeadline = deadline
            settings.minBackoff = 0.05
            settings.maxBackoff = 0.2
            return settings
        }
    }

    /// Seconds until the server ends the stream on `fd` (end of file or reset), or `nil` after `limit`.
    static func secondsUntilClosed(_ fd: Int32, since start: Date = Date(), limit: Double) -> Double? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while Date().timeIntervalSince(start) < limit {
            guard poll(&descriptor, 1, 20) > 0 else { continue }
            if read(fd, &byte, 1) <= 0 { return Date().timeIntervalSince(start) }
        }
        return nil
    }

    @Test func silentClientsAreDroppedAfterTheDeadlineAndExtraConnectionsRefused() throws {
        try withTemporaryDirectory { directory in
            let recorder = LogRecorder()
            let federation = try Self.federation(directory, recorder)
            defer { federation.stopAll() }
            let retail = try federation.serve("retail", peers: [])

            // Three silent TCP clients fill the slots.
            let start = Date()
            let silent = try (0..<3).map { _ in try Socket.connect(host: "127.0.0.1", port: retail.port, timeout: 2) }
            defer { silent.forEach(Socket.close) }
            Thread.sleep(forTimeInterval: 0.2)
            // A fourth is closed at once, with a warning naming the limit.
            let extra = try Socket.connect(host: "127.0.0.1", port: retail.port, timeout: 2)
            defer { Socket.close(extra) }
            let refusedAfter = try #require(Self.secondsUntilClosed(extra, limit: 0.5), "the connection beyond the cap was not closed")
            #expect(refusedAfter < 0.5)
            #expect(recorder.all.contains { $0.contains("refused a sync connection") && $0.contains("limit maxInboundConnections") }, "\(recorder.all.filter { $0.contains("refused") })")
            // A flood beyond the cap is refused as fast, but logged once per 10 s, not once per connection.
            for _ in 0..<5 {
                let more = try Socket.connect(host: "127.0.0.1", port: retail.port, timeout: 2)
                defer { Socket.close(more) }
                #expect(Self.secondsUntilClosed(more, limit: 0.5) != nil)
            }
            #expect(recorder.all.filter { $0.contains("limit maxInboundConnections") }.count == 1)

            // The silent ones are dropped after the deadline, not before.
            for fd in silent {
                let closedAfter = try #require(Self.secondsUntilClosed(fd, since: start, limit: Self.deadline + 3), "a silent client was never dropped")
                #expect(closedAfter >= Self.deadline * 0.8)
            }

            // The slots are free again: a legitimate peer connects and its writes arrive.
            let webshop = try federation.serve("webshop", peers: ["retail"])
            try webshop.engine.withNode { _ = try $0.write(localId: "W-1", values: ["given_name": .text("Ada")]) }
            webshop.engine.noteChange()
            #expect(federation.waitForConvergence(timeout: 15))
            let stream = try webshop.engine.heads().first { $0.stream.description.hasPrefix("webshop/") }
            let arrived = try retail.engine.heads().contains { $0.stream == stream?.stream && $0.sequence >= (stream?.sequence ?? 1) }
            #expect(arrived, "the legitimate peer's write did not reach retail")
        }
    }

    @Test func aPeerThatCompletesTLSButSendsNoHelloIsDropped() throws {
        try withTemporaryDirectory { directory in
            let recorder = LogRecorder()
            let federation = try Self.federation(directory, recorder)
            defer { federation.stopAll() }
            let retail = try federation.serve("retail", peers: [])
            // webshop's own certificate: admitted, but it never says hello.
            let context = try TLSContext(configuration: try federation.node("webshop").tlsConfiguration(), role: .client)
            let start = Date()
            let fd = try Socket.connect(host: "127.0.0.1", port: retail.port, timeout: 2)
            Socket.setTimeouts(fd, read: Self.deadline + 3, write: 5)
            let connection = try TLSConnection.connect(socket: fd, context: context, serverUnit: "retail")
            defer { connection.close() }
            var buffer = [UInt8](repeating: 0, count: 4096)
            var ended = false
            while Date().timeIntervalSince(start) < Self.deadline + 3 {
                do {
                    if try buffer.withUnsafeMutableBytes({ try connection.read(into: $0) }) == 0 { ended = true; break }
                } catch {
                    ended = (error as? CryptoError)?.code != .timedOut
                    break
                }
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(ended, "the server did not close a session without a hello")
            #expect(elapsed >= Self.deadline * 0.8 && elapsed < Self.deadline + 3)
            #expect(recorder.all.contains { $0.contains("helloTimeout") })
        }
    }

    /// Seconds until the server ends a session whose first frame announces `length` bytes, or `nil` within `limit`.
    static func secondsUntilFrameRefused(port: UInt16, unit: String, context: TLSContext, length: UInt32, limit: Double) throws -> Double? {
        let fd = try Socket.connect(host: "127.0.0.1", port: port, timeout: 2)
        Socket.setTimeouts(fd, read: 0.1, write: 5)
        let connection = try TLSConnection.connect(socket: fd, context: context, serverUnit: unit)
        defer { connection.close() }
        let start = Date()
        try connection.write([UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), 1, 0, 0, 0])
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < limit {
            do {
                if try buffer.withUnsafeMutableBytes({ try connection.read(into: $0) }) == 0 { return Date().timeIntervalSince(start) }
            } catch let error as CryptoError where error.code == .timedOut {
                continue
            } catch {
                return Date().timeIntervalSince(start)
            }
        }
        return nil
    }

    @Test func theConfiguredFrameLimitEndsASessionAtTheLengthPrefix() throws {
        try withTemporaryDirectory { directory in
            let federation = try LocalFederation(directory: directory, units: ["retail", "webshop"], logger: LogRecorder().logger()) { unit in
                var settings = SyncService.Settings(unit: unit)
                var limits = NodeConfig.Limits()
                limits.syncMaxFrameBytes = 65_536
                if unit == "retail" { limits.apply(to: &settings) }
                return settings
            }
            defer { federation.stopAll() }
            let retail = try federation.serve("retail", peers: [])
            let webshop = try federation.serve("webshop", peers: [])
            let asWebshop = try TLSContext(configuration: try federation.node("webshop").tlsConfiguration(), role: .client)
            let asRetail = try TLSContext(configuration: try federation.node("retail").tlsConfiguration(), role: .client)
            // webshop keeps the default (16 MiB): a 1 MiB frame's body is waited for.
            #expect(try Self.secondsUntilFrameRefused(port: webshop.port, unit: "webshop", context: asRetail, length: 1 << 20, limit: 1.5) == nil)
            // retail's 64 KiB: refused at the length prefix.
            let refused = try #require(try Self.secondsUntilFrameRefused(port: retail.port, unit: "retail", context: asWebshop, length: 65_537, limit: 5),
                                       "a frame over the configured 64 KiB was not refused")
            #expect(refused < 1.5)
        }
    }
}
