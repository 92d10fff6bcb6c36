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
    /// Blocks until SIGINT or SIGTERM arrives (both are then handled, not fatal).
    static func waitForInterrupt() {
        let done = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { done.signal() }
            source.resume()
            sources.append(source)
        }
        done.wait()
        withExtendedLifetime(sources) {}
    }

    /// Runs `body` on each SIGHUP until the returned source is cancelled.
    static func onHangup(_ body: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "accord-sighup"))
        source.setEventHandler(handler: body)
        source.resume()
        return source
    }
}
