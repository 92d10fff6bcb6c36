import Foundation

/// Figures computed from a scan of every record state (the dashboard's, the inventory), so not on every page load:
/// the first load computes them (and waits); later loads get the cached figures at once, and when
/// those are older than ``maxAge`` one refresh starts in the background (stale while revalidating),
/// so people see figures at most one scan plus ``maxAge`` old and rarely wait. With `maxAge` 0
/// (tests) every load computes and waits.
///
/// `@unchecked Sendable`: `cached` and `refreshing` are only touched under `lock`; `computing`
/// serializes the scans themselves.
final class FiguresCache<Figures: Sendable>: @unchecked Sendable {
    /// How old figures may be before a load starts a refresh.
    let maxAge: Double
    private let lock = NSLock()
    private let computing = NSLock()
    private var cached: (at: Date, figures: Figures)?
    private var refreshing = false

    init(maxAge: Double = 10) { self.maxAge = maxAge }

    /// The figures: cached ones (refreshed in the background when old), or computed now by
    /// `compute` when there are none yet or `maxAge` is 0.
    func current(_ compute: @escaping @Sendable () throws -> Figures) throws -> Figures {
        lock.lock()
        if let cached, maxAge > 0 {
            if Date().timeIntervalSince(cached.at) >= maxAge && !refreshing {
                refreshing = true
                Thread.detachNewThread { [self] in
                    let fresh = try? computeSerially(compute)
                    lock.lock()
                    if let fresh { self.cached = (Date(), fresh) }
                    refreshing = false
                    lock.unlock()
                }
            }
            lock.unlock()
            return cached.figures
        }
        lock.unlock()
        let figures = try computeSerially(compute)
        lock.lock()
        cached = (Date(), figures)
        lock.unlock()
        return figures
    }

    private func computeSerially(_ compute: () throws -> Figures) throws -> Figures {
        computing.lock()
        defer { computing.unlock() }
        return try compute()
    }
}
