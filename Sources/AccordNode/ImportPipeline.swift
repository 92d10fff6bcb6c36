import AccordModel
import AccordStore
import AccordImport
import Foundation
import Synchronization

/// A bounded hand-off between the import's reading thread and its writing thread. The reader
/// blocks when `capacity` chunks wait, so memory stays bounded however large the file.
final class ChunkChannel<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var finished = false
        var cancelled = false
    }
    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let available = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        // Made at zero and raised: libdispatch traps when a semaphore is released holding less
        // than the value it was made with, which is where a cancelled import leaves `slots`.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, capacity) { slots.signal() }
    }

    /// Adds an item, waiting for room; returns false when the consumer cancelled.
    func send(_ item: Element) -> Bool {
        slots.wait()
        let accepted = state.withLock { state -> Bool in
            guard !state.cancelled else { return false }
            state.items.append(item)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Marks the end of the stream.
    func finish() {
        state.withLock { $0.finished = true }
        available.signal()
    }

    /// The next item, or nil once the producer finished and everything was taken.
    func receive() -> Element? {
        while true {
            available.wait()
            let next = state.withLock { state -> (Element?, Bool) in
                if !state.items.isEmpty { return (state.items.removeFirst(), false) }
                return (nil, state.finished)
            }
            if let item = next.0 {
                slots.signal()
                return item
            }
            if next.1 {
                available.signal()  // let later receive() calls see the end too
                return nil
            }
        }
    }

    /// Tells the producer to stop; unblocks it if it waits for room.
    func cancel() {
        state.withLock { $0.cancelled = true }
        slots.signal()
    }
}

/// Items handed back from one thread to another to be dropped there.
final class RecycleBin<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    /// Hands an item back.
    func put(_ item: Element) { items.withLock { $0.append(item) } }

    /// Drops every item handed back, on the calling thread.
    func empty() {
        let taken = items.withLock { items -> [Element] in
            defer { items = [] }
            return items
        }
        _ = taken
    }
}

/// Hands a non-Sendable value to exactly one other thread.
/// `@unchecked Sendable`: the sender gives the value up when it wraps it and never touches it again.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
}

/// One chunk of converted rows.
struct ImportChunk: Sendable {
    var writes: [PreparedWrite] = []
    /// Records whose every change was a deletion of nothing.
    var empty = 0
    var rejected: [RowError] = []
    var rejectedRows = 0
    var rowsRead = 0
    var bytesRead = 0
    var failure: NodeError?
    /// Seconds the reading thread spent producing this chunk.
    var readSeconds = 0.0
}

/// Something that yields source rows: the CSV or the JSON-lines reader.
protocol SourceRowReader: AnyObject {
    func nextRow() throws -> SourceRow?
    var progressBytes: Int { get }
}

extension CSVReader: SourceRowReader {
    func nextRow() throws -> SourceRow? { try next() }
    var progressBytes: Int { bytesRead }
}

extension JSONLinesReader: SourceRowReader {
    func nextRow() throws -> SourceRow? { try next() }
    var progressBytes: Int { bytesRead }
}
