import AccordModel
import Dispatch
import Foundation

extension Arguments {
    /// A unit-id option (`--owner retail`), if given.
    /// - Throws: ``UsageError`` when it is not a valid unit id.
    func unit(_ name: String) throws -> UnitID? {
        try option(name).map { text in
            do { return try UnitID(text) } catch { throw UsageError(message: "--\(name): not a valid unit id") }
        }
    }
}

/// Waiting in the foreground until the user stops the program.
enum Signals {
    /// Starts catching SIGINT and SIGTERM now (both are then handled, not fatal); ``InterruptWaiter/wait()``
    /// blocks until one arrives. Make it before announcing that the process runs, so a signal sent
    /// right after the announcement is never lost.
    static func catchInterrupts() -> InterruptWaiter { InterruptWaiter() }

    /// Runs `body` on each SIGHUP until the returned source is cancelled.
    static func onHangup(_ body: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "accord-sighup"))
        source.setEventHandler(handler: body)
        source.resume()
        return source
    }
}

/// SIGINT and SIGTERM, caught from its creation on (see ``Signals/catchInterrupts()``).
/// `@unchecked Sendable`: the sources are set once in `init` and only kept alive afterwards.
final class InterruptWaiter: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            // Ignore the default action (termination), then let the source take the signal: libdispatch
            // installs its own handler when the source resumes, also over an inherited SIG_IGN (a
            // shell's background job); setting SIG_IGN after the source would discard the signal.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [done] in done.signal() }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks until SIGINT or SIGTERM arrived (also if it arrived before this call).
    func wait() {
        done.wait()
    }
}

