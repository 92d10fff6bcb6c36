import AccordStore
import AccordPolicy
import Foundation
import Synchronization

/// Keeps the stored profiles of a serving node up to date in the background: a thread with its own
/// store connection runs a ``ProfileMaintainer`` step shortly after the node changes (a local write,
/// an applied batch, a write by another process), so consolidation never runs on the import or
/// apply path; the API and the CLI read the stored profiles.
///
/// `@unchecked Sendable`: the maintainer and its store are touched only by the service's thread.
public final class ProfileService: @unchecked Sendable {
    private let engine: SyncEngine
    private let storePath: String
    private let logger: Logger
    private let interval: Double
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let steps = Atomic<Int>(0)

    /// Creates the service (call ``start()``).
    /// - Parameters:
    ///   - engine: the serving node's engine (its change count and policy are watched).
    ///   - storePath: the node's store file (the service opens a connection of its own).
    ///   - logger: where steps and failures are logged (counts only, never values).
    ///   - interval: how often the change count is looked at, in seconds.
    public init(engine: SyncEngine, storePath: String, logger: Logger, interval: Double = 0.5) {
        self.engine = engine
        self.storePath = storePath
        self.logger = logger
        self.interval = interval
    }

    /// Starts the thread; the first step loads every record and rewrites the profiles unless the stored
    /// ones are current.
    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            defer { finished.signal() }
            let store: Store
            do {
                store = try Store(path: storePath)
            } catch {
                logger.error("profiles: cannot open the store", ["reason": "\(error)"])
                return
            }
            var maintainer: ProfileMaintainer?
            var seen = -1
            var version = -1
            while running.load(ordering: .acquiring) {
                let changes = engine.changeCount
                let policy = engine.withNode { $0.policy }
                if changes != seen || policy.version != version {
                    if maintainer == nil || policy.version != version { maintainer = ProfileMaintainer(store: store, policy: policy) }
                    do {
                        let report = try maintainer!.step()
                        seen = changes
                        version = policy.version
                        steps.add(1, ordering: .releasing)
                        if report.full || report.profilesWritten + report.profilesRemoved > 0 {
                            logger.debug("profiles updated", ["full": "\(report.full)", "records": "\(report.recordsTouched)",
                                                               "written": "\(report.profilesWritten)", "removed": "\(report.profilesRemoved)",
                                                               "profiles": "\(report.profiles)", "review": "\(report.reviewPairs)"])
                        }
                    } catch {
                        logger.error("profiles: consolidation failed", ["reason": "\(error)"])
                        maintainer = nil
                    }
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "accord-profiles"
        thread.start()
    }

    /// Waits until the first step has succeeded (the engine's state is loaded and the profiles are
    /// current as of the start), at most `timeout` seconds.
    /// - Returns: whether it has.
    public func waitForFirstStep(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while steps.load(ordering: .acquiring) == 0 {
            guard Date() < deadline, running.load(ordering: .acquiring) else { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return true
    }

    /// Stops the thread after its current step.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
