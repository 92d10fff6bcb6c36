import Dispatch
import Foundation

/// Data-parallel loops over index ranges, deterministic by construction: each index's result goes to
/// its own position, whatever thread computed it and in whatever order.
public enum Parallel {
    /// `[body(0), body(1), ..., body(count - 1)]`, computed in `threads` contiguous chunks at once.
    /// `body` must only read shared state.
    static func map<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
        map(count, threads: threads, context: { () }, { _, i in body(i) })
    }

    /// As ``map(_:threads:_:)``, with a context made once per chunk by `context` (a cache, say) and
    /// handed to every `body` call of that chunk.
    static func map<T, C>(_ count: Int, threads: Int, context: () -> C, _ body: (C, Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let chunks = max(1, min(threads * 4, count))
        if threads <= 1 || chunks == 1 {
            let shared = context()
            return (0..<count).map { body(shared, $0) }
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = SendablePointer(buffer.baseAddress!)
            withoutActuallyEscaping(context) { context in
                withoutActuallyEscaping(body) { body in
                    let make = SendableClosure<C> { _ in context() }
                    let work = SendableBody(body)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let local = make.body(chunk)
                        let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                        for i in start..<end { (base.pointer + i).initialize(to: work.body(local, i)) }
                    }
                }
            }
            initialized = count
        }
    }

    /// The number of threads to use by default: the machine's active processors.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// A pointer handed to worker threads that write disjoint elements.
// @unchecked: each chunk writes its own index range only, and the caller waits for all chunks.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A two-argument closure handed to worker threads.
// @unchecked: the closures given to `Parallel.map` only read state that nothing writes meanwhile.
struct SendableBody<C, T>: @unchecked Sendable {
    let body: (C, Int) -> T
    init(_ body: @escaping (C, Int) -> T) { self.body = body }
}

/// A closure handed to worker threads.
// @unchecked: the closures given to `Parallel.map` only read state that nothing writes meanwhile.
struct SendableClosure<T>: @unchecked Sendable {
    let body: (Int) -> T
    init(_ body: @escaping (Int) -> T) { self.body = body }
}
