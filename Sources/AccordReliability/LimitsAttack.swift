import AccordCrypto
import Foundation

/// What one kind of attack connection saw: how many were opened, and for each one closed by the
/// node, how long after its connect.
///
/// `@unchecked Sendable`: every field is only touched under `lock`.
final class AttackTally: @unchecked Sendable {
    let name: String
    private let lock = NSLock()
    private var openedCount = 0
    private var connectFailures = 0
    private var closeTimes: [Double] = []

    init(name: String) { self.name = name }

    func opened() { lock.withLock { openedCount += 1 } }
    func couldNotConnect() { lock.withLock { connectFailures += 1 } }
    func closed(after seconds: Double) { lock.withLock { closeTimes.append(seconds) } }

    var opens: Int { lock.withLock { openedCount } }
    var failedConnects: Int { lock.withLock { connectFailures } }
    var closes: [Double] { lock.withLock { closeTimes } }
}

/// Raw attack sockets against one port on 127.0.0.1: silent connections and stalled TLS
/// handshakes watched by one `poll(2)` thread; slow senders (one byte a second) on a thread each.
/// A connection counts as closed by the node when a read returns end of file or an error (a TLS
/// alert or an HTTP 408 first is read and ignored).
///
/// `@unchecked Sendable`: the socket table is only touched by the watching thread after ``start()``.
final class AttackSwarm: @unchecked Sendable {
    private struct Watched {
        var fd: Int32
        var openedAt: Double
        var tally: AttackTally
    }

    private let port: UInt16
    private var watched: [Watched] = []
    private let stopFlag = NSLock()
    private var stopping = false
    private var threads = 0

    init(port: UInt16) { self.port = port }

    static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Opens `count` connections that send `prefix` (nothing, or the first bytes of a ClientHello) and then nothing.
    func addSilent(_ count: Int, prefix: [UInt8], tally: AttackTally) {
        for _ in 0..<count {
            guard let fd = try? Socket.connect(host: "127.0.0.1", port: port, timeout: 5) else { tally.couldNotConnect(); continue }
            tally.opened()
            let openedAt = Self.now()
            if !prefix.isEmpty { _ = prefix.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
            watched.append(Watched(fd: fd, openedAt: openedAt, tally: tally))
        }
    }

    /// Starts watching the silent connections until each is closed or ``stop()``.
    func start() {
        let table = watched
        watched = []
        begin()
        let thread = Thread { [self] in
            var open = table
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !open.isEmpty && !isStopping {
                var polls = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                _ = poll(&polls, nfds_t(polls.count), 50)
                var still: [Watched] = []
                for (index, item) in open.enumerated() {
                    guard polls[index].revents != 0 else { still.append(item); continue }
                    let count = recv(item.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    if count > 0 || (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { still.append(item); continue }
                    item.tally.closed(after: Self.now() - item.openedAt)
                    Foundation.close(item.fd)
                }
                open = still
            }
            for item in open { Foundation.close(item.fd) }
            end()
        }
        thread.name = "attack-watch-\(port)"
        thread.start()
    }

    /// One connection sending `bytes` one a second (after an optional TLS handshake, `tls`),
    /// on a thread of its own, until the node closes it or ``stop()``.
    func addDribbler(bytes: [UInt8], tls: TLSContext?, serverUnit: String, tally: AttackTally) {
        begin()
        let thread = Thread { [self] in
            defer { end() }
            guard let fd = try? Socket.connect(host: "127.0.0.1", port: port, timeout: 5) else { tally.couldNotConnect(); return }
            let openedAt = Self.now()
            var connection: TLSConnection?
            if let tls {
                Socket.setTimeouts(fd, read: 10, write: 10)
                guard let established = try? TLSConnection.connect(socket: fd, context: tls, serverUnit: serverUnit) else {
                    tally.couldNotConnect()
                    Foundation.close(fd)
                    return
                }
                connection = established
                // Post-handshake messages (session tickets) make the socket readable too: read briefly.
                Socket.setTimeouts(fd, read: 0.2, write: 10)
            }
            tally.opened()
            var buffer = [UInt8](repeating: 0, count: 4096)
            var index = 0
            while !isStopping {
                var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&polled, 1, index == 0 ? 0 : 1000) > 0 {
                    // The node answered (an alert, a 408) or closed: read to the end.
                    let count: Int
                    if let connection {
                        do {
                            count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
                        } catch let error as CryptoError where error.code == .timedOut {
                            count = 1
                        } catch {
                            count = -1
                        }
                    } else {
                        count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    }
                    if count > 0 || (count < 0 && connection == nil && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                        if index < bytes.count || connection == nil { Thread.sleep(forTimeInterval: 0.05) }
                        continue
                    }
                    tally.closed(after: Self.now() - openedAt)
                    break
                }
                if index < bytes.count {
                    let byte = [bytes[index]]
                    index += 1
                    let sent: Bool
                    if let connection {
                        sent = (try? connection.write(byte)) != nil
                    } else {
                        sent = byte.withUnsafeBytes { send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) } == 1
                    }
                    if !sent {
                        tally.closed(after: Self.now() - openedAt)
                        break
                    }
                } else {
                    Thread.sleep(forTimeInterval: 1)
                }
            }
            if let connection { connection.close() } else { Foundation.close(fd) }
        }
        thread.name = "attack-dribble-\(port)"
        thread.start()
    }

    /// Stops every attacker and waits for their threads.
    func stop() {
        stopFlag.withLock { stopping = true }
        while stopFlag.withLock({ threads > 0 }) { Thread.sleep(forTimeInterval: 0.01) }
    }

    private var isStopping: Bool { stopFlag.withLock { stopping } }
    private func begin() { stopFlag.withLock { threads += 1 } }
    private func end() { stopFlag.withLock { threads -= 1 } }

    /// The first bytes a real TLS 1.3 client sends (its ClientHello record), caught on a listener of our own.
    static func captureClientHello(_ context: TLSContext) throws -> [UInt8] {
        let (listener, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let client = Thread {
            guard let fd = try? Socket.connect(host: "127.0.0.1", port: port, timeout: 5) else { return }
            Socket.setTimeouts(fd, read: 2, write: 2)
            _ = try? TLSConnection.connect(socket: fd, context: context, serverUnit: nil)
            Socket.close(fd)
        }
        client.start()
        let fd = try Socket.accept(listener)
        defer { Socket.close(fd) }
        var hello: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = now() + 5
        // A TLS record: 5-byte header, then the length it announces.
        while now() < deadline {
            var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&polled, 1, 100) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            hello += buffer[..<count]
            if hello.count >= 5, hello.count >= 5 + (Int(hello[3]) << 8 | Int(hello[4])) { break }
        }
        guard hello.count > 5, hello[0] == 0x16 else { throw HarnessError("could not capture a TLS ClientHello (\(hello.count) bytes)") }
        return hello
    }
}

/// One HTTPS request over a fresh TLS connection, its answer read until the node closes or
/// `timeout`: the status line's code, the answer's text and how long it took.
func oversizedRequest(port: UInt16, context: TLSContext, serverUnit: String, _ request: [UInt8], timeout: Double = 10)
    -> (status: Int?, text: String, seconds: Double)
{
    let started = AttackSwarm.now()
    guard let fd = try? Socket.connect(host: "127.0.0.1", port: port, timeout: 5) else { return (nil, "cannot connect", 0) }
    Socket.setTimeouts(fd, read: 0.5, write: timeout)
    guard let connection = try? TLSConnection.connect(socket: fd, context: context, serverUnit: serverUnit) else {
        Socket.close(fd)
        return (nil, "TLS handshake failed", AttackSwarm.now() - started)
    }
    defer { connection.close() }
    // Sent from a thread of its own: the node may answer (and close) before it has read it all.
    let writer = Thread { _ = try? connection.write(request) }
    writer.start()
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while AttackSwarm.now() - started < timeout {
        do {
            let count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            if count == 0 { break }
            answer += buffer[..<count]
            if let text = String(bytes: answer, encoding: .utf8), let split = text.range(of: "\r\n\r\n"),
               let length = text.range(of: "content-length: ", options: .caseInsensitive).flatMap({ range in
                   Int(text[range.upperBound...].prefix { $0.isNumber }) }),
               text.utf8.distance(from: split.upperBound.samePosition(in: text.utf8)!, to: text.utf8.endIndex) >= length { break }
        } catch let error as CryptoError where error.code == .timedOut {
            continue
        } catch {
            break
        }
    }
    let seconds = AttackSwarm.now() - started
    let text = String(decoding: answer, as: UTF8.self)
    let status = text.hasPrefix("HTTP/1.1 ") ? Int(text.dropFirst(9).prefix(3)) : nil
    return (status, text, seconds)
}
