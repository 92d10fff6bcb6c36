import Foundation

/// The dashboard's figures, computed at most once per ``maxAge`` seconds (they scan every record
/// state): concurrent page loads wait for one computation instead of each scanning.
///
/// `@unchecked Sendable`: `cached` is only touched under `lock`.
final class FiguresCache: @unchecked Sendable {
    /// How old figures may be before a page load computes them again.
    let maxAge: Double
    private let lock = NSLock()
    private var cached: (at: Date, figures: GovernanceFigures)?

    init(maxAge: Double = 10) { self.maxAge = maxAge }

    /// The figures, computed by `compute` when the cached ones are missing or too old.
    func current(_ compute: () throws -> GovernanceFigures) throws -> GovernanceFigures {
        lock.lock()
        defer { lock.unlock() }
        if let cached, Date().timeIntervalSince(cached.at) < maxAge { return cached.figures }
        let figures = try compute()
        cached = (Date(), figures)
        return figures
    }
}
