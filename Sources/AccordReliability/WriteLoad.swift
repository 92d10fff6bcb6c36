import Foundation

/// A steady write load: per writing unit, one thread running `accord record put` of a new,
/// numbered record (`C-<unit>-<n>`) after another, against the unit's node directory (it works
/// whether or not the node serves, paused or not; a write that fails or takes over 20 s is not
/// acknowledged). Numbers continue across ``start()``/``stop()`` rounds.
///
/// `@unchecked Sendable`: the counters are only touched under `lock`.
final class WriteLoad: @unchecked Sendable {
    private let cluster: Cluster
    private let writers: [String]
    private let lock = NSLock()
    private var running = false
    private var active = 0
    private var next: [String: Int] = [:]
    private var acknowledgedIds: [String: Set<String>] = [:]
    private var failures = 0

    init(cluster: Cluster, writers: [String]) {
        self.cluster = cluster
        self.writers = writers
    }

    /// Local ids acknowledged so far, by writing unit.
    var acknowledged: [String: Set<String>] { lock.withLock { acknowledgedIds } }
    /// Writes that failed or timed out (not acknowledged; they may or may not be stored).
    var failed: Int { lock.withLock { failures } }

    /// Starts one writer thread per unit.
    func start() {
        lock.withLock {
            running = true
            active = writers.count
        }
        for unit in writers {
            let thread = Thread { [self] in
                while lock.withLock({ running }) {
                    let number = lock.withLock { () -> Int in
                        next[unit, default: 0] += 1
                        return next[unit]!
                    }
                    let id = "C-\(unit)-\(number)"
                    let result = try? cluster.run(unit, ["record", "put", id, "given_name=Ada"], timeout: 20)
                    lock.withLock {
                        if result?.ok == true { acknowledgedIds[unit, default: []].insert(id) } else { failures += 1 }
                    }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                lock.withLock { active -= 1 }
            }
            thread.name = "load-\(unit)"
            thread.start()
        }
    }

    /// Stops the load and waits for the writes in flight.
    func stop() {
        lock.withLock { running = false }
        while lock.withLock({ active > 0 }) { Thread.sleep(forTimeInterval: 0.01) }
    }
}
