import AccordCrypto
import AccordLedger
import AccordModel
import AccordStore
import Foundation
import Testing

/// The store's online backup and the recovery mark of a restored store.
@Suite("Store backup and recovery")
struct BackupStoreTests {
    @Test func backupWhileAnotherConnectionWritesIsOneCommittedState() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            try author.write((0..<2_000).map { ("R-\($0)", "given_name", "Name \($0)") })
            // A second connection keeps writing while the backup runs.
            let unit = author.unit
            let done = DispatchSemaphore(value: 0)
            let failure = LockedError()
            let thread = Thread {
                do {
                    let writer = try Author(unit: unit, key: try Ed25519PrivateKey.generate(), store: Store(path: directory + "/retail.sqlite"))
                    for round in 0..<40 { try writer.write((0..<50).map { ("W-\(round)-\($0)", "given_name", "x") }, now: 2_000 + UInt64(round)) }
                } catch { failure.set(error) }
                done.signal()
            }
            thread.start()
            let info = try author.store.backup(to: directory + "/copy.sqlite", now: 42)
            done.wait()
            #expect(failure.get() == nil)
            #expect(info.unit == author.unit && info.takenAtMillis == 42 && info.schemaVersion == Store.schemaVersion)
            // The copy is self-consistent: its heads match its batches, whatever the writer had committed then.
            let copy = try Store(path: directory + "/copy.sqlite")
            #expect(try copy.integrityCheck() == "ok")
            for head in try copy.streamHeads() {
                let batches = try copy.batches(in: head.stream, after: 0, limit: 10_000)
                #expect(batches.map(\.header.sequence) == Array(1...head.sequence), "\(head.stream) in the copy has gaps")
                #expect(batches.last?.hash == head.hash)
            }
            #expect(info.ownHeads == (try copy.streamHeads()))
            #expect(throws: StoreError.self) { try author.store.backup(to: directory + "/copy.sqlite", now: 43) }
        }
    }

    @Test func aRestoredStoreRefusesLocalWritesUntilRecoveryEndsThenContinuesItsStreams() throws {
        try withTemporaryDirectory { directory in
            let author = try Author("retail", directory: directory)
            try author.write([("R-1", "given_name", "Ada")])
            #expect(try author.store.recovery() == nil)
            try author.store.beginRecovery(now: 5_000, backupTakenAtMillis: 4_000)
            #expect(try author.store.recovery() == RecoveryMark(restoredAtMillis: 5_000, backupTakenAtMillis: 4_000))
            let head = try author.store.streamHead(StreamID(unchecked: author.unit, shareClass: "identity"))
            let error = try #require(throws: StoreError.self) { try author.write([("R-2", "given_name", "Grace")]) }
            #expect(error.code == .recovering)
            #expect(try author.store.streamHead(head.stream) == head, "a refused write changes nothing")
            // The mark survives reopening.
            let reopened = try Author(unit: author.unit, key: author.key, store: Store(path: directory + "/retail.sqlite"))
            #expect(throws: StoreError.self) { try reopened.write([("R-2", "given_name", "Grace")]) }
            try reopened.store.finishRecovery()
            let batches = try reopened.write([("R-2", "given_name", "Grace")])
            #expect(batches.first?.header.sequence == head.sequence + 1)
            #expect(batches.first?.header.previousHash == head.hash)
        }
    }
}

/// An error set by one thread and read by another.
final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ value: any Error) { lock.withLock { error = value } }
    func get() -> (any Error)? { lock.withLock { error } }
}
