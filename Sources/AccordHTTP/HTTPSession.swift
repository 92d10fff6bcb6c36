import AccordCrypto
import Foundation
import Synchronization

/// One connection of an ``HTTPServer``, run on its own thread: the TLS handshake, then requests
/// read with deadlines, answered one at a time, until the client or a deadline ends it.
///
/// The only state shared with other threads is behind `lock`: ``interrupt(force:)`` (from
/// ``HTTPServer/stop(timeout:)``) closes the connection when it is not answering a request. The
/// socket's timeouts are set under the same lock, so they are never set on a descriptor that was
/// closed (and perhaps reused) meanwhile.
final class HTTPSession: Sendable {
    private struct Shared {
        var connection: TLSConnection?
        var answering = false
        var interrupted = false
    }

    private let id: UInt64
    private let descriptor: Int32
    private let server: HTTPServer
    private let lock = Mutex(Shared())

    init(id: UInt64, descriptor: Int32, server: HTTPServer) {
        self.id = id
        self.descriptor = descriptor
        self.server = server
    }

    /// Closes the connection now if it is idle (or always, with `force`); otherwise it closes
    /// after the response in progress.
    func interrupt(force: Bool) {
        lock.withLock { shared in
            shared.interrupted = true
            if force || !shared.answering { shared.connection?.close() }
        }
    }

    /// Runs the connection to its end.
    func run(context: TLSContext) {
        Socket.setTimeouts(descriptor, read: 0, write: server.settings.writeTimeout)
        let connection: TLSConnection
        do {
            connection = try TLSConnection.accept(socket: descriptor, context: context)
        } catch {
            server.events(.handshakeFailed("\(error)"))
            return
        }
        let proceed = lock.withLock { shared -> Bool in
            shared.connection = connection
            return !shared.interrupted && !server.isStopping
        }
        defer { lock.withLock { $0.connection = nil }; connection.close() }
        if proceed { serve(connection) }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func serve(_ connection: TLSConnection) {
        let settings = server.settings
        var date = HTTPDate()
        let client = HTTPClient(certificate: connection.peer, connection: id)
        var parser = HTTPRequestParser(limits: settings.limits)
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var idleSince = Self.now()
        var requestStart = idleSince
        var armed: Double?  // the SO_RCVTIMEO in force: set again only when a read would overrun its deadline
        while true {
            while let event = parser.next() {
                switch event {
                case .head(let head):
                    parser.bodyLimit = server.responder.bodyLimit(for: head, client: client, default: settings.limits.maxBodyBytes)
                    if head.expectsContinue && head.contentLength > 0 && head.contentLength <= parser.bodyLimit {
                        guard (try? connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))) != nil else { return }
                    }
                case .request(let request):
                    guard answer(request, client: client, connection: connection, date: &date) else { return }
                    idleSince = Self.now()
                    requestStart = idleSince
                case .failure(let error):
                    refuse(error, connection: connection, linger: true, date: &date)
                    return
                }
            }
            let (deadline, limit) = deadline(parser.phase, idleSince: idleSince, requestStart: requestStart)
            let remaining = deadline - Self.now()
            if remaining <= 0 {
                if let limit { refuse(limit, connection: connection, linger: false, date: &date) }
                return
            }
            if armed.map({ $0 > remaining + 0.05 || $0 < remaining - 1 }) ?? true {
                let wanted = max(remaining, 0.001)
                let set = lock.withLock { shared -> Bool in
                    guard !shared.interrupted else { return false }
                    Socket.setTimeouts(descriptor, read: wanted, write: settings.writeTimeout)
                    return true
                }
                guard set else { return }
                armed = wanted
            }
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try connection.read(into: $0) }
            } catch let error as CryptoError where error.code == .timedOut {
                continue
            } catch {
                return
            }
            guard count > 0 else { return }
            let wasIdle = parser.phase == .idle
            parser.feed(buffer[..<count])
            if wasIdle && parser.phase != .idle { requestStart = Self.now() }
        }
    }

    /// The read deadline for the parser's phase, and the error to answer when it passes
    /// (`nil`: close silently, as for an idle keep-alive connection).
    private func deadline(_ phase: HTTPRequestParser.Phase, idleSince: Double, requestStart: Double) -> (Double, HTTPError?) {
        let settings = server.settings
        switch phase {
        case .idle, .failed:
            return (idleSince + settings.idleTimeout, nil)
        case .head:
            return (requestStart + settings.headerTimeout, HTTPError(
                .requestTimeout, "the request's header fields did not arrive within \(settings.headerTimeout) s (limit headerTimeout)"))
        case .body:
            return (requestStart + settings.requestTimeout, HTTPError(
                .requestTimeout, "the request did not arrive within \(settings.requestTimeout) s (limit requestTimeout)"))
        }
    }

    /// Answers one request; returns whether the connection stays open.
    private func answer(_ request: HTTPRequest, client: HTTPClient, connection: TLSConnection, date: inout HTTPDate) -> Bool {
        let started = Self.now()
        lock.withLock { $0.answering = true }
        let response: HTTPResponse
        do {
            response = try server.responder.respond(to: request, client: client)
        } catch {
            if !(error is HTTPError) { server.events(.failed("\(error)")) }
            response = HTTPResponse.error(error)
        }
        let interrupted = lock.withLock { shared -> Bool in
            shared.answering = false
            return shared.interrupted
        }
        let keepAlive = request.head.keepAlive && !interrupted && !server.isStopping
        let bytes = response.serialized(
            keepAlive: keepAlive, minorVersion: request.head.minorVersion, includeBody: request.method != .head, date: date.now())
        let written = (try? connection.write(bytes)) != nil
        server.events(.answered(method: request.method.rawValue, path: request.path, status: response.status.code, seconds: Self.now() - started))
        return written && keepAlive
    }

    /// Answers a request refused before the responder (malformed, too large, too slow) and
    /// closes. With `linger`, reads and drops what the client still sends for a moment first, so
    /// that closing with unread bytes does not reset the connection before the client reads the answer.
    private func refuse(_ error: HTTPError, connection: TLSConnection, linger: Bool, date: inout HTTPDate) {
        server.events(.refusedRequest(status: error.status.code, message: error.message))
        let bytes = HTTPResponse.error(error).serialized(keepAlive: false, minorVersion: 1, includeBody: true, date: date.now())
        guard (try? connection.write(bytes)) != nil, linger else { return }
        let until = Self.now() + 0.5
        var sink = [UInt8](repeating: 0, count: 16 << 10)
        var drained = 0
        while drained < 1 << 20 {
            let remaining = until - Self.now()
            guard remaining > 0 else { return }
            let armed = lock.withLock { shared -> Bool in
                guard !shared.interrupted else { return false }
                Socket.setTimeouts(descriptor, read: remaining, write: server.settings.writeTimeout)
                return true
            }
            guard armed, let count = try? sink.withUnsafeMutableBytes({ try connection.read(into: $0) }), count > 0 else { return }
            drained += count
        }
    }
}
