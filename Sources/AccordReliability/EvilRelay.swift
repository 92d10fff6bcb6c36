import AccordCrypto
import AccordLedger
import AccordSync
import Foundation

/// A link of the chaos mesh that partitions can cut: a plain ``LinkProxy`` or an ``EvilRelay``.
protocol ChaosLink: AnyObject, Sendable {
    /// The port the dialing node connects to.
    var port: UInt16 { get }
    /// Connections closed at accept while the link was cut.
    var refused: Int { get }
    /// Cuts (`true`) or heals (`false`) the link.
    func setCut(_ value: Bool)
    /// Stops listening and closes every connection.
    func stop()
}

extension LinkProxy: ChaosLink {}

/// A TLS-terminating relay on 127.0.0.1 between one dialing node and one listening node: a peer
/// in the middle with test certificates of its own, issued by the federation CA at harness start
/// (one naming the listening unit, shown to the dialer; one naming the dialing unit, shown to the
/// listener). It decodes whole frames with the sync frame decoder and forwards them both ways.
/// Faithful, it changes nothing; in evil mode it drops, duplicates, reorders (holds one frame and
/// sends it after the next), delays (up to 1 s) and tampers with frames (a byte of a batch's leaf
/// salt flipped, so the batch no longer matches its author's signature), and counts each action.
///
/// It cannot deadlock the nodes: each direction has its own thread that reads, then writes, and
/// holds at most one decoded frame and one reordered frame; any error (a read, a write, a frame
/// that does not decode, a refused handshake) closes both sides. A cut closes every connection
/// and refuses new ones, like ``LinkProxy``.
///
/// `@unchecked Sendable`: the mutable state is only touched under `lock`.
final class EvilRelay: ChaosLink, @unchecked Sendable {
    /// What the relay did to frames, counted over its life.
    struct Counts {
        var connections = 0
        var forwarded = 0
        var dropped = 0
        var duplicated = 0
        var reordered = 0
        var delayed = 0
        var tampered = 0
        /// Frames that did not decode (each closed its connection).
        var malformed = 0
    }

    /// A tampered batch written to a node: the receiving unit, the batch, the tampered copy's hash
    /// (`nil` when only the signature changed: the digest is then the good batch's), and whether
    /// it went before any hello in its direction (the receiver then closes the session at the first
    /// frame that is not a hello, and never looks at the batch).
    struct Tampered: Hashable {
        let receiver: String
        let stream: String
        let sequence: UInt64
        let hash: String?
        let beforeHello: Bool
        /// When it was written, and the connection it went on (see ``closedAt(_:)``).
        let at: Date
        let connection: ObjectIdentifier
    }

    /// One direction of one connection: the frame held back to be reordered, and whether a hello
    /// was written yet.
    private struct Direction {
        let sink: TLSConnection
        let receiver: String
        let connection: ObjectIdentifier
        var held: (bytes: [UInt8], since: Date)?
        var helloWritten = false

        mutating func write(_ bytes: [UInt8]) throws {
            try sink.write(bytes)
            if bytes.count > FrameCodec.headerSize - 1 && bytes[FrameCodec.headerSize - 1] == FrameType.hello.rawValue { helloWritten = true }
        }
    }

    /// The port of 127.0.0.1 the dialing node connects to.
    let port: UInt16
    /// The unit that dials the relay.
    let dialer: String
    /// The unit the relay dials.
    let listener: String
    private let listenerDescriptor: Int32
    private let targetPort: UInt16
    /// Toward the dialer: presents a certificate naming the listening unit.
    private let serverContext: TLSContext
    /// Toward the listener: presents a certificate naming the dialing unit.
    private let clientContext: TLSContext
    private let lock = NSLock()
    private var cut = false
    private var stopped = false
    private var evil = false
    private var random: SeededRandom
    private var open: [ObjectIdentifier: Pair] = [:]
    private var counted = Counts()
    private var tamperedBatches: [Tampered] = []
    private var closedConnections: [ObjectIdentifier: Date] = [:]
    private var refusedConnections = 0

    /// Per frame in evil mode: the chance of each action (tampering only for batch frames).
    static let dropChance = 0.05
    static let duplicateChance = 0.05
    static let reorderChance = 0.05
    static let delayChance = 0.03
    static let tamperChance = 0.08
    /// The longest delay of one frame, in seconds.
    static let maxDelay = 1.0
    /// A reordered frame is sent alone when no next frame came within this many seconds.
    static let maxHold = 0.5

    /// One relayed connection: the TLS session with the dialer and the one with the listener.
    final class Pair: Sendable {
        let inbound: TLSConnection
        let outbound: TLSConnection

        init(inbound: TLSConnection, outbound: TLSConnection) {
            self.inbound = inbound
            self.outbound = outbound
        }

        /// Closes both sessions (idempotent; wakes both pumps).
        func close() {
            inbound.close()
            outbound.close()
        }
    }

    /// Issues the relay's two test certificates from `authority` into `directory` and listens on a
    /// free port of 127.0.0.1, forwarding to the listening node's `targetPort`.
    /// - Parameters:
    ///   - dialer: the unit that dials the relay.
    ///   - listener: the unit the relay dials.
    ///   - targetPort: the listener's sync port.
    ///   - authority: the federation CA.
    ///   - directory: where the certificates and keys go (a harness scratch directory).
    ///   - seed: the seed of the relay's random choices.
    init(dialer: String, listener: String, targetPort: UInt16, authority: CertificateAuthority, directory: String, seed: UInt64) throws {
        self.dialer = dialer
        self.listener = listener
        self.targetPort = targetPort
        random = SeededRandom(seed: seed)
        func configuration(as unit: String) throws -> TLSConfiguration {
            let folder = directory + "/as-\(unit)"
            try authority.writeUnitFiles(unit: unit, to: folder, days: 2)
            return TLSConfiguration(certificateChainPath: folder + "/\(unit).pem", privateKeyPath: folder + "/\(unit).key",
                                    trustedCAPath: folder + "/ca.pem")
        }
        var server = try configuration(as: listener)
        server.acceptPeer = { [dialer] identity in
            identity.unit == dialer ? .accept : .refuse("the evil relay serves only unit \(dialer), not \(identity.unit)")
        }
        serverContext = try TLSContext(configuration: server, role: .server)
        clientContext = try TLSContext(configuration: try configuration(as: dialer), role: .client)
        (listenerDescriptor, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "evil-relay-\(port)"
        thread.start()
    }

    /// What the relay did so far.
    var counts: Counts { lock.withLock { counted } }
    /// Every tampered batch written to a node so far.
    var tampered: [Tampered] { lock.withLock { tamperedBatches } }

    /// When a relayed connection closed (a node killed, paused past its timeouts, the link cut);
    /// `nil` while it is open.
    func closedAt(_ connection: ObjectIdentifier) -> Date? { lock.withLock { closedConnections[connection] } }
    /// Connections closed at accept while the link was cut.
    var refused: Int { lock.withLock { refusedConnections } }

    /// Switches evil mode on (`true`) or back to a faithful relay (`false`).
    func setEvil(_ value: Bool) { lock.withLock { evil = value } }

    /// Cuts (`true`: closes every connection, refuses new ones) or heals (`false`) the link.
    func setCut(_ value: Bool) {
        let pairs: [Pair] = lock.withLock {
            cut = value
            return value ? Array(open.values) : []
        }
        pairs.forEach { $0.close() }
    }

    /// Stops listening and closes every connection.
    func stop() {
        lock.withLock { stopped = true }
        setCut(true)
        shutdown(listenerDescriptor, Int32(SHUT_RDWR))
        Socket.close(listenerDescriptor)
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            guard let fd = try? Socket.accept(listenerDescriptor) else {
                if lock.withLock({ stopped }) { return }
                Thread.sleep(forTimeInterval: 0.01)
                continue
            }
            let refuse = lock.withLock {
                if cut || stopped { refusedConnections += 1 }
                return cut || stopped
            }
            if refuse {
                Socket.close(fd)
                continue
            }
            let thread = Thread { [self] in relay(fd) }
            thread.stackSize = 1 << 19
            thread.start()
        }
    }

    /// Runs one connection: the two handshakes, then a pump per direction.
    private func relay(_ fd: Int32) {
        guard let upstream = try? Socket.connect(host: "127.0.0.1", port: targetPort, timeout: 2) else {
            Socket.close(fd)  // the listener is down: the dialer sees its connection closed, as without a relay
            return
        }
        // Short read timeouts let each pump send a held frame and notice a stop.
        for descriptor in [fd, upstream] { Socket.setTimeouts(descriptor, read: 0.1, write: 30) }
        let inbound: TLSConnection
        do {
            inbound = try TLSConnection.accept(socket: fd, context: serverContext)
        } catch {
            Socket.close(upstream)
            return
        }
        guard let outbound = try? TLSConnection.connect(socket: upstream, context: clientContext, serverUnit: listener) else {
            inbound.close()
            return
        }
        let pair = Pair(inbound: inbound, outbound: outbound)
        let admitted = lock.withLock {
            guard !cut && !stopped else { return false }
            open[ObjectIdentifier(pair)] = pair
            counted.connections += 1
            return true
        }
        guard admitted else { return pair.close() }
        let other = Thread { [self] in pump(from: outbound, to: inbound, receiver: dialer, pair: pair) }
        other.stackSize = 1 << 19
        other.start()
        pump(from: inbound, to: outbound, receiver: listener, pair: pair)
        _ = lock.withLock { open.removeValue(forKey: ObjectIdentifier(pair)) }
    }

    /// Forwards whole frames from one side to the other until either side fails; then closes both.
    private func pump(from source: TLSConnection, to sink: TLSConnection, receiver: String, pair: Pair) {
        defer {
            pair.close()
            lock.withLock { if closedConnections[ObjectIdentifier(pair)] == nil { closedConnections[ObjectIdentifier(pair)] = Date() } }
        }
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var direction = Direction(sink: sink, receiver: receiver, connection: ObjectIdentifier(pair))
        while !lock.withLock({ stopped }) {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            } catch let error as CryptoError where error.code == .timedOut {
                if let frame = direction.held, Date().timeIntervalSince(frame.since) >= Self.maxHold {
                    direction.held = nil
                    guard (try? direction.write(frame.bytes)) != nil else { return }
                }
                continue
            } catch {
                return
            }
            guard count > 0 else { return }
            decoder.append(buffer[0..<count])
            do {
                while let frame = try decoder.nextFrame() {
                    try forward(frame, &direction)
                }
            } catch is SyncError {
                lock.withLock { counted.malformed += 1 }
                return
            } catch {
                return
            }
        }
    }

    /// What evil mode does to one frame.
    private enum Mangle {
        case forward, drop, duplicate, reorder, delay(Double), tamper
    }

    private func forward(_ frame: Frame, _ direction: inout Direction) throws {
        let bytes = FrameCodec.encode(frame)
        if let previous = direction.held {
            // The held frame goes right after this one.
            direction.held = nil
            try direction.write(bytes)
            try direction.write(previous.bytes)
            lock.withLock { counted.forwarded += 2 }
            return
        }
        var isBatch = false
        if case .batch = frame { isBatch = true }
        switch decide(isBatch: isBatch) {
        case .forward:
            try direction.write(bytes)
        case .drop:
            break
        case .duplicate:
            try direction.write(bytes)
            try direction.write(bytes)
        case .reorder:
            direction.held = (bytes, Date())
        case .delay(let seconds):
            Thread.sleep(forTimeInterval: seconds)
            try direction.write(bytes)
        case .tamper:
            guard case .batch(let batch) = frame else { return try direction.write(bytes) }
            let changed = tamper(batch)
            try direction.write(FrameCodec.encode(.batch(changed)))
            let record = Tampered(receiver: direction.receiver, stream: batch.stream.description, sequence: batch.header.sequence,
                                  hash: changed.hash == batch.hash ? nil : StoreAudit.hex(changed.hash),
                                  beforeHello: !direction.helloWritten, at: Date(), connection: direction.connection)
            lock.withLock { tamperedBatches.append(record) }
        }
        lock.withLock { counted.forwarded += 1 }
    }

    /// Picks the action for one frame and counts it (always `.forward` when not in evil mode).
    private func decide(isBatch: Bool) -> Mangle {
        lock.withLock {
            guard evil else { return .forward }
            var roll = random.uniform(0, 1)
            if isBatch {
                if roll < Self.tamperChance {
                    counted.tampered += 1
                    return .tamper
                }
                roll = random.uniform(0, 1)
            }
            let steps: [(Double, Mangle)] = [
                (Self.dropChance, .drop), (Self.duplicateChance, .duplicate), (Self.reorderChance, .reorder),
                (Self.delayChance, .delay(random.uniform(0.05, Self.maxDelay))),
            ]
            var bound = 0.0
            for (chance, action) in steps {
                bound += chance
                guard roll < bound else { continue }
                switch action {
                case .drop: counted.dropped += 1
                case .duplicate: counted.duplicated += 1
                case .reorder: counted.reordered += 1
                case .delay: counted.delayed += 1
                case .forward, .tamper: break
                }
                return action
            }
            return .forward
        }
    }

    /// The batch with one byte of a leaf's salt flipped (so its digest changes and its signature no
    /// longer matches), or, when every leaf is redacted, one byte of its signature flipped.
    private func tamper(_ batch: Batch) -> Batch {
        let (pick, byte, flip) = lock.withLock {
            (random.below(max(1, batch.leaves.count)), random.below(Leaf.saltLength), UInt8(1 + random.below(255)))
        }
        var leaves = batch.leaves
        let order = leaves.indices.map { (pick + $0) % leaves.count }
        if let index = order.first(where: { !leaves[$0].isRedacted }), var body = leaves[index].saltedBody {
            body[byte] ^= flip
            leaves[index] = Leaf(saltedBody: body)
            return Batch(header: batch.header, leaves: leaves, signature: batch.signature)
        }
        var signature = batch.signature
        signature[byte % max(1, signature.count)] ^= flip
        return Batch(header: batch.header, leaves: batch.leaves, signature: signature)
    }
}
