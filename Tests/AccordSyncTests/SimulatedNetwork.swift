import AccordLedger
import AccordModel
import AccordSync

/// A deterministic discrete-event network of fake nodes connected by links. Each link carries
/// frames as bytes, FIFO in each direction (like TCP), with a random delay per frame, so frames
/// reorder only across links; while `lossy`, frames are also lost or duplicated. Links drop at
/// random and reconnect with fresh sessions. Node work (loads, applies) is queued per session and
/// answered later, in order.
final class SimulatedNetwork {
    enum Event {
        case deliver(link: Int, side: Int, generation: Int, bytes: [UInt8])
        case work(link: Int, side: Int, generation: Int)
        case tick
        case author(node: Int)
        case reconnect(link: Int)
        case heal
    }

    enum Work {
        case load(StreamID, after: UInt64, limit: Int)
        case apply(Batch)
    }

    final class Link {
        let ends: [Int]
        var alive = false
        var generation = 0
        var sessions: [SyncSession?] = [nil, nil]
        var decoders = [FrameDecoder(), FrameDecoder()]
        var lastDeliveryAt = [0.0, 0.0]
        var work: [[Work]] = [[], []]
        var lastWorkAt = [0.0, 0.0]
        /// The harness's own count of batch frames each side sent and the peer has not yet
        /// acknowledged, rejected or summarized as held: byte sizes by stream and sequence.
        var unacknowledged: [[StreamID: [UInt64: Int]]] = [[:], [:]]
        init(_ a: Int, _ b: Int) { ends = [a, b] }
    }

    let nodes: [FakeNode]
    let links: [Link]
    let configuration: @Sendable (String) -> SyncSession.Configuration
    var random: SplitMix64
    var now = 0.0
    var lossy = true
    var healed = false
    private var queue = EventQueue<Event>()

    // Observations.
    var flowViolations = 0
    var harnessFlowViolations = 0
    var framesLost = 0
    var framesDuplicated = 0
    var rejectsAfterHeal = 0
    var closesAfterHeal = 0
    var refusalsAtHeal = 0
    var sessionsStarted = 0
    var window: Int { configuration("x").maxInFlightBytes }

    init(nodes: [FakeNode], links: [(Int, Int)], seed: UInt64, configuration: @escaping @Sendable (String) -> SyncSession.Configuration) {
        self.nodes = nodes
        self.links = links.map { Link($0.0, $0.1) }
        self.random = SplitMix64(seed: seed)
        self.configuration = configuration
    }

    func schedule(_ event: Event, at time: Double) { queue.push(event, at: time) }

    /// Connects every link, then runs events until `end`.
    func run(until end: Double) {
        if now == 0 { for index in links.indices { connect(index) } }
        schedule(.tick, at: now + 0.5)
        while let (time, event) = queue.popFirst(notAfter: end) {
            now = time
            handle(event)
        }
        now = end
    }

    private func handle(_ event: Event) {
        switch event {
        case .deliver(let index, let side, let generation, let bytes):
            deliver(bytes, link: index, side: side, generation: generation)
        case .work(let index, let side, let generation):
            doWork(link: index, side: side, generation: generation)
        case .tick:
            for index in links.indices {
                if !healed && links[index].alive && random.chance(0.01) {
                    disconnect(index)
                    continue
                }
                for side in 0..<2 {
                    guard let actions = links[index].sessions[side]?.tick(now: now) else { continue }
                    perform(actions, link: index, side: side)
                }
            }
            schedule(.tick, at: now + 0.5)
        case .author(let node):
            let own = Pool.classes.map { StreamID(unchecked: nodes[node].unit, shareClass: $0) }
            let candidates = own.filter { (nodes[node].streams[$0]?.count ?? 0) < Pool.batchesPerStream }
            guard !candidates.isEmpty, let head = nodes[node].author(candidates[Int(random.next() % UInt64(candidates.count))]) else { return }
            announce(head, at: node)
        case .reconnect(let index):
            if !links[index].alive { connect(index) }
        case .heal:
            lossy = false
            healed = true
            refusalsAtHeal = nodes.reduce(0) { $0 + $1.refusals.count }
            for index in links.indices {
                if links[index].alive { disconnect(index, reconnect: false) }
                connect(index)
            }
        }
    }

    private func connect(_ index: Int) {
        let link = links[index]
        link.generation += 1
        link.alive = true
        link.decoders = [FrameDecoder(), FrameDecoder()]
        link.work = [[], []]
        link.lastDeliveryAt = [now, now]
        link.lastWorkAt = [now, now]
        link.unacknowledged = [[:], [:]]
        for side in 0..<2 {
            let local = nodes[link.ends[side]]
            let peer = nodes[link.ends[1 - side]]
            let peerUnit = peer.unit
            let peerClasses = peer.classes
            link.sessions[side] = SyncSession(
                configuration: configuration(local.unit.rawValue), localVector: local.heads(), policyVersion: 1,
                mayReceive: { $0.author == peerUnit || peerClasses.contains($0.shareClass) })
            sessionsStarted += 1
        }
        for side in 0..<2 {
            guard let actions = link.sessions[side]?.start(now: now) else { continue }
            perform(actions, link: index, side: side)
        }
    }

    private func disconnect(_ index: Int, reconnect: Bool = true) {
        let link = links[index]
        link.alive = false
        link.generation += 1
        link.sessions = [nil, nil]
        if reconnect { schedule(.reconnect(link: index), at: now + random.double(in: 0.5...2)) }
    }

    private func perform(_ actions: [SyncSession.Action], link index: Int, side: Int) {
        let link = links[index]
        let generation = link.generation
        for action in actions {
            guard link.alive && link.generation == generation else { return }
            switch action {
            case .send(let frame):
                if case .batch(let batch) = frame {
                    link.unacknowledged[side][batch.stream, default: [:]][batch.header.sequence] = FrameCodec.frameSize(of: batch)
                    let total = link.unacknowledged[side].values.reduce(0) { $0 + $1.values.reduce(0, +) }
                    // Checked on the healthy network, where nothing is lost and so nothing resent.
                    if healed && total > window { harnessFlowViolations += 1 }
                }
                transmit(frame, link: index, from: side)
            case .loadBatches(let stream, let after, let limit):
                enqueue(.load(stream, after: after, limit: limit), link: index, side: side)
            case .apply(let batch, _):
                enqueue(.apply(batch), link: index, side: side)
            case .close:
                if healed { closesAfterHeal += 1 }
                disconnect(index)
            case .peerVectorKnown, .policyReceived:
                break
            case .peerRejected:
                if healed { rejectsAfterHeal += 1 }
            }
        }
        if let session = link.sessions[side], session.inFlightBytes > window || session.inFlightBytes < 0 {
            flowViolations += 1
        }
    }

    private func transmit(_ frame: Frame, link index: Int, from side: Int) {
        if lossy && random.chance(0.03) {
            framesLost += 1
            return
        }
        let copies = lossy && random.chance(0.03) ? 2 : 1
        if copies == 2 { framesDuplicated += 1 }
        let link = links[index]
        let receiver = 1 - side
        let bytes = FrameCodec.encode(frame)
        for _ in 0..<copies {
            let time = max(link.lastDeliveryAt[receiver], now + random.double(in: 0.005...0.3))
            link.lastDeliveryAt[receiver] = time
            schedule(.deliver(link: index, side: receiver, generation: link.generation, bytes: bytes), at: time)
        }
    }

    private func deliver(_ bytes: [UInt8], link index: Int, side: Int, generation: Int) {
        let link = links[index]
        // Chop the bytes anywhere: the decoder must not care.
        var start = 0
        while start < bytes.count {
            guard link.alive && link.generation == generation else { return }
            let end = random.chance(0.5) ? bytes.count : min(bytes.count, start + 1 + Int(random.next() % 64))
            link.decoders[side].append(bytes[start..<end])
            start = end
            while link.alive && link.generation == generation {
                let actions: [SyncSession.Action]
                do {
                    guard let frame = try link.decoders[side].nextFrame() else { break }
                    observe(frame, link: link, receiver: side)
                    actions = link.sessions[side]!.received(frame, now: now)
                } catch let error as SyncError {
                    actions = link.sessions[side]!.failed(error, now: now)
                } catch {
                    preconditionFailure("decoder threw \(error)")
                }
                perform(actions, link: index, side: side)
            }
        }
    }

    /// Settles the harness's flow-control count with what the peer reports it holds or refused.
    private func observe(_ frame: Frame, link: Link, receiver side: Int) {
        switch frame {
        case .ack(let stream, let sequence):
            link.unacknowledged[side][stream] = link.unacknowledged[side][stream]?.filter { $0.key > sequence }
        case .reject(let stream, _, _):
            link.unacknowledged[side][stream] = nil
        case .summary(let vector):
            for head in vector {
                link.unacknowledged[side][head.stream] = link.unacknowledged[side][head.stream]?.filter { $0.key > head.sequence }
            }
        default:
            break
        }
    }

    private func enqueue(_ work: Work, link index: Int, side: Int) {
        let link = links[index]
        link.work[side].append(work)
        let time = max(link.lastWorkAt[side], now + random.double(in: 0...0.05))
        link.lastWorkAt[side] = time
        schedule(.work(link: index, side: side, generation: link.generation), at: time)
    }

    private func doWork(link index: Int, side: Int, generation: Int) {
        let link = links[index]
        guard link.alive && link.generation == generation, !link.work[side].isEmpty else { return }
        let node = nodes[link.ends[side]]
        switch link.work[side].removeFirst() {
        case .load(let stream, let after, let limit):
            let actions = link.sessions[side]!.loaded(stream, batches: node.load(stream, after: after, limit: limit), now: now)
            perform(actions, link: index, side: side)
        case .apply(let batch):
            let stream = batch.stream
            let sequence = batch.header.sequence
            switch node.apply(batch) {
            case .applied:
                perform(link.sessions[side]!.applied(stream, sequence: sequence, now: now), link: index, side: side)
                announce(node.head(stream), at: node.index)
            case .duplicate:
                perform(link.sessions[side]!.applied(stream, sequence: sequence, now: now), link: index, side: side)
            case .refused(let reason):
                perform(link.sessions[side]!.refused(stream, sequence: sequence, reason: reason, now: now), link: index, side: side)
            }
        }
    }

    /// Tells every live session of `node` about a new head (local or relayed).
    private func announce(_ head: StreamHead, at node: Int) {
        for (index, link) in links.enumerated() where link.alive {
            for side in 0..<2 where link.ends[side] == node {
                guard let actions = link.sessions[side]?.localBatchesAvailable([head], now: now) else { continue }
                perform(actions, link: index, side: side)
            }
        }
    }

    /// Whether every link is up, established, with nothing in flight.
    var isQuiet: Bool {
        links.allSatisfy { link in
            link.alive && link.sessions.allSatisfy { $0?.isEstablished == true && $0?.inFlightBytes == 0 }
                && link.work.allSatisfy(\.isEmpty)
        }
    }
}

/// A binary min-heap of events by time, ties in insertion order.
struct EventQueue<Event> {
    private var items: [(time: Double, order: Int, event: Event)] = []
    private var counter = 0

    private func less(_ a: Int, _ b: Int) -> Bool {
        items[a].time < items[b].time || (items[a].time == items[b].time && items[a].order < items[b].order)
    }

    mutating func push(_ event: Event, at time: Double) {
        counter += 1
        items.append((time, counter, event))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst(notAfter limit: Double) -> (Double, Event)? {
        guard let first = items.first, first.time <= limit else { return nil }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && less(left, smallest) { smallest = left }
            if right < items.count && less(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return (first.time, first.event)
    }
}
