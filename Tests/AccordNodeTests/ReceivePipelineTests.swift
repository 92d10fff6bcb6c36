import AccordCrypto
import AccordLedger
import AccordModel
import AccordNode
import AccordStore
import Foundation
import Synchronization
import Testing

@Suite("Receiving batches in groups")
struct ReceivePipelineTests {
    /// Retail's batches 1...count of its identity stream, one record each.
    func retailBatches(_ retail: Node, count: Int) throws -> [Batch] {
        try (1...count).flatMap { index in
            try retail.write(localId: "R-\(index)", values: ["given_name": .text("Name \(index)")]).batches.map(\.batch)
        }
    }

    @Test func aRefusedBatchInTheMiddleOfAGroupLosesNothingElse() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance"], in: directory)
            let batches = try retailBatches(nodes[0], count: 4)
            let engine = SyncEngine(node: nodes[1], logger: LogRecorder().logger())
            let forger = try Ed25519PrivateKey.generate()
            let forged = try BatchSealer().seal(
                [batches[2].leaves[0].body!], continuing: StreamHead(stream: batches[2].stream, sequence: 2, hash: batches[1].hash),
                policyVersion: 1, createdAt: batches[2].header.createdAt, key: forger)[0].batch
            // 1, 2, a forgery of 3, 4 (a gap: 3 is missing), 3, 4 and a copy of 1, in one group.
            let group = [batches[0], batches[1], forged, batches[3], batches[2], batches[3], batches[0]]
            let outcomes = engine.apply(group.map(engine.check), from: "retail")
            #expect(outcomes.count == group.count)
            #expect(outcomes[0] == .applied && outcomes[1] == .applied && outcomes[4] == .applied && outcomes[5] == .applied)
            #expect(outcomes[6] == .duplicate)
            guard case .refused(let signature) = outcomes[2], case .refused(let gap) = outcomes[3] else {
                Issue.record("a forged or gapped batch was accepted: \(outcomes)")
                return
            }
            #expect(signature.contains("is not signed by retail's key"))
            #expect(gap.contains("skips ahead"))
            // Both refusals are recorded; every good batch is applied, durably (another connection sees them).
            #expect(try engine.withNode { try $0.store.rejectedBatches() }.count == 2)
            let other = try Store(path: nodes[1].store.path)
            #expect(try other.streamHead(batches[0].stream).sequence == 4)
            for index in 1...4 {
                #expect(try engine.withNode { try $0.record(localId: "R-\(index)", owner: UnitID(unchecked: "retail")) }?.attributes.map(\.value) == ["Name \(index)"])
            }
        }
    }

    @Test func outcomesArriveInOrderOnlyAfterTheirGroupCommitted() throws {
        try withTemporaryDirectory { directory in
            let nodes = try makeNodes(["retail", "insurance"], in: directory)
            let batches = try retailBatches(nodes[0], count: 40)
            let engine = SyncEngine(node: nodes[1], logger: LogRecorder().logger())
            let path = nodes[1].store.path
            let seen = Mutex<[UInt64]>([])
            let unseen = Mutex<[UInt64]>([])
            let done = DispatchSemaphore(value: 0)
            let pipeline = ApplyPipeline<CheckedBatch, ReceiveOutcome>(
                name: "test-apply", limits: .init(maxQueued: 8, maxQueuedBytes: 1 << 20, maxGroup: 5),
                apply: { engine.apply($0, from: "retail") },
                deliver: { results in
                    // What is reported applied is committed: a second connection sees it.
                    let head = (try? Store(path: path).streamHead(results[0].0.batch.stream).sequence) ?? 0
                    for (checked, outcome) in results {
                        seen.withLock { $0.append(checked.batch.header.sequence) }
                        if outcome != .applied || checked.batch.header.sequence > head { unseen.withLock { $0.append(checked.batch.header.sequence) } }
                    }
                    if seen.withLock({ $0.count }) == batches.count { done.signal() }
                })
            for batch in batches { #expect(pipeline.submit(engine.check(batch), bytes: 1000)) }
            #expect(done.wait(timeout: .now() + 30) == .success)
            pipeline.stop()
            #expect(seen.withLock { $0 } == Array(1...40))
            #expect(unseen.withLock { $0 }.isEmpty)
        }
    }

    @Test func theQueueIsBoundedAndStopDropsWhatWaits() throws {
        let gate = DispatchSemaphore(value: 0)
        let applied = Mutex<[[Int]]>([])
        let pipeline = ApplyPipeline<Int, Int>(
            name: "test-bounded", limits: .init(maxQueued: 3, maxQueuedBytes: 1 << 20, maxGroup: 2),
            apply: { group in
                gate.wait()
                applied.withLock { $0.append(group) }
                return group
            },
            deliver: { _ in })
        // The first group (at most 2) is taken and blocks on the gate; 3 more fill the queue.
        #expect(pipeline.submit(1, bytes: 1))
        while pipeline.queuedCount > 0 { Thread.sleep(forTimeInterval: 0.001) }
        for item in 2...4 { #expect(pipeline.submit(item, bytes: 1)) }
        // The next submit waits for room.
        let fifth = Atomic<Int>(0)  // 0: waiting, 1: queued, 2: dropped
        let submitter = Thread { fifth.store(pipeline.submit(5, bytes: 1) ? 1 : 2, ordering: .releasing) }
        submitter.start()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(fifth.load(ordering: .acquiring) == 0)
        #expect(pipeline.queuedCount == 3)
        gate.signal()  // group [1] done; [2, 3] taken
        while fifth.load(ordering: .acquiring) == 0 { Thread.sleep(forTimeInterval: 0.001) }
        #expect(fifth.load(ordering: .acquiring) == 1)
        // Stop while [2, 3] is being applied: it finishes, [4, 5] are dropped.
        let stopper = Thread { pipeline.stop() }
        stopper.start()
        Thread.sleep(forTimeInterval: 0.1)
        gate.signal()
        gate.signal()
        while applied.withLock({ $0.count }) < 2 { Thread.sleep(forTimeInterval: 0.001) }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(applied.withLock { $0 } == [[1], [2, 3]])
        #expect(!pipeline.submit(6, bytes: 1))
    }

    @Test func theByteBoundHoldsBackALargeItem() throws {
        let gate = DispatchSemaphore(value: 0)
        let pipeline = ApplyPipeline<Int, Int>(
            name: "test-bytes", limits: .init(maxQueued: 100, maxQueuedBytes: 10, maxGroup: 1),
            apply: { group in gate.wait(); return group }, deliver: { _ in })
        #expect(pipeline.submit(1, bytes: 1))
        while pipeline.queuedCount > 0 { Thread.sleep(forTimeInterval: 0.001) }
        #expect(pipeline.submit(2, bytes: 6))
        let third = Atomic<Bool>(false)
        let submitter = Thread { third.store(pipeline.submit(3, bytes: 6), ordering: .releasing) }
        submitter.start()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(pipeline.queuedCount == 1)  // 6 + 6 > 10: the third waits
        gate.signal()
        while !third.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.001) }
        #expect(pipeline.queuedCount == 1)
        gate.signal()
        gate.signal()
        pipeline.stop()
    }
}
