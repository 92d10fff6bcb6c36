import Foundation

/// The apply stage of a receive pipeline: a bounded queue and one thread that takes everything
/// queued (up to a group's size) and applies it in one go, then hands the outcomes back in order.
///
/// A connection's reader checks batch n+1 (decode, hashes, signature, policy: CPU work without the
/// store lock) while this thread applies batch n and its predecessors in one durable transaction
/// (group commit); the outcomes, and so the acknowledgements, come after that commit. The queue
/// holds at most ``Limits/maxQueued`` items and ``Limits/maxQueuedBytes`` bytes (plus the group
/// being applied, at most as much again), so a fast sender cannot fill memory: ``submit(_:bytes:)``
/// blocks while it is full.
///
/// `@unchecked Sendable`: the queue and flags are only touched under `condition`.
public final class ApplyPipeline<Item: Sendable, Outcome: Sendable>: @unchecked Sendable {
    /// How much may wait, and how much one group takes.
    public struct Limits: Sendable {
        /// Most items waiting.
        public var maxQueued: Int
        /// Most bytes waiting (as the submitter counts them); one item larger than this still passes alone.
        public var maxQueuedBytes: Int
        /// Most items applied in one group.
        public var maxGroup: Int
        /// Creates limits.
        public init(maxQueued: Int = 64, maxQueuedBytes: Int = 16 << 20, maxGroup: Int = 64) {
            precondition(maxQueued > 0 && maxQueuedBytes > 0 && maxGroup > 0, "pipeline limits must be positive")
            self.maxQueued = maxQueued
            self.maxQueuedBytes = maxQueuedBytes
            self.maxGroup = maxGroup
        }
    }

    private let condition = NSCondition()
    private var queue: [(item: Item, bytes: Int)] = []
    private var queuedBytes = 0
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)
    private let limits: Limits
    private let apply: @Sendable ([Item]) -> [Outcome]
    private let deliver: @Sendable ([(Item, Outcome)]) -> Void

    /// Starts the apply thread.
    /// - Parameters:
    ///   - name: the thread's name.
    ///   - limits: queue and group sizes.
    ///   - apply: applies a group, in order; returns one outcome per item, in the same order.
    ///   - deliver: receives each group's items and outcomes, in order, after `apply` returned.
    public init(
        name: String, limits: Limits = Limits(), apply: @escaping @Sendable ([Item]) -> [Outcome],
        deliver: @escaping @Sendable ([(Item, Outcome)]) -> Void
    ) {
        self.limits = limits
        self.apply = apply
        self.deliver = deliver
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues an item, waiting while the queue is full.
    /// - Parameters:
    ///   - item: the item.
    ///   - bytes: its size, counted against ``Limits/maxQueuedBytes``.
    /// - Returns: `false` when the pipeline stopped (the item is dropped).
    @discardableResult
    public func submit(_ item: Item, bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && !queue.isEmpty && (queue.count >= limits.maxQueued || queuedBytes + bytes > limits.maxQueuedBytes) {
            condition.wait()
        }
        guard !stopped else { return false }
        queue.append((item, bytes))
        queuedBytes += bytes
        condition.broadcast()
        return true
    }

    /// How many items wait (not counting the group being applied).
    public var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// Stops: drops what waits (never applied, so never acknowledged), lets the group being applied
    /// finish, and waits for the thread. Submitters waiting for room return `false`.
    public func stop() {
        condition.lock()
        let first = !stopped
        stopped = true
        queue.removeAll()
        queuedBytes = 0
        condition.broadcast()
        condition.unlock()
        if first { finished.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let count = min(queue.count, limits.maxGroup)
            let group = queue.prefix(count).map(\.item)
            queuedBytes -= queue.prefix(count).reduce(0) { $0 + $1.bytes }
            queue.removeFirst(count)
            condition.broadcast()
            condition.unlock()
            let outcomes = apply(group)
            deliver(Array(zip(group, outcomes)))
        }
    }
}
