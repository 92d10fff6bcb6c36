import AccordCrypto
import Foundation

/// A TCP relay on 127.0.0.1 between one dialing node and one listening node, for partitions: a
/// node dials the proxy's port and the proxy forwards bytes both ways to the target's port. A
/// cut link closes every connection through it and refuses new ones (accepted, then closed at
/// once) until it is healed. TLS passes through untouched.
///
/// `@unchecked Sendable`: the mutable state is only touched under `lock`.
final class LinkProxy: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let targetPort: UInt16
    private let lock = NSLock()
    private var cut = false
    private var stopped = false
    private var open: [ObjectIdentifier: Relay] = [:]
    private(set) var refused = 0

    /// One relayed connection: two descriptors, two pump threads; closed when both pumps end.
    final class Relay: @unchecked Sendable {
        let client: Int32
        let server: Int32
        private let lock = NSLock()
        private var running = 2
        private var closed = false

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        /// Wakes both pumps (they end, and the last one closes the descriptors).
        func cut() {
            lock.withLock {
                guard !closed else { return }
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
            }
        }

        /// Called by each pump at its end; the last one closes both descriptors.
        func pumpEnded() {
            lock.withLock {
                running -= 1
                guard running == 0 else { return }
                closed = true
                Socket.close(client)
                Socket.close(server)
            }
        }
    }

    /// Listens on a free port and forwards to `targetPort`.
    init(targetPort: UInt16) throws {
        (listener, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        self.targetPort = targetPort
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "proxy-\(port)"
        thread.start()
    }

    /// Cuts (`true`) or heals (`false`) the link.
    func setCut(_ value: Bool) {
        let relays: [Relay] = lock.withLock {
            cut = value
            return value ? Array(open.values) : []
        }
        relays.forEach { $0.cut() }
    }

    /// Stops listening and cuts every connection.
    func stop() {
        lock.withLock { stopped = true }
        setCut(true)
        shutdown(listener, Int32(SHUT_RDWR))
        Socket.close(listener)
    }

    private func acceptLoop() {
        while true {
            guard let fd = try? Socket.accept(listener) else {
                if lock.withLock({ stopped }) { return }
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            if lock.withLock({ cut || stopped }) {
                lock.withLock { refused += 1 }
                Socket.close(fd)
                continue
            }
            guard let upstream = try? Socket.connect(host: "127.0.0.1", port: targetPort, timeout: 2) else {
                Socket.close(fd)  // the target is down: the dialer sees a refusal, as without a proxy
                continue
            }
            let relay = Relay(client: fd, server: upstream)
            lock.withLock { open[ObjectIdentifier(relay)] = relay }
            for (from, to) in [(fd, upstream), (upstream, fd)] {
                let pump = Thread { [self] in
                    Self.pump(from: from, to: to)
                    relay.cut()
                    relay.pumpEnded()
                    _ = lock.withLock { open.removeValue(forKey: ObjectIdentifier(relay)) }
                }
                pump.stackSize = 1 << 18
                pump.start()
            }
        }
    }

    /// Copies bytes until either side ends.
    private static func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { write(to, $0.baseAddress! + sent, count - sent) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                sent += written
            }
        }
    }
}
