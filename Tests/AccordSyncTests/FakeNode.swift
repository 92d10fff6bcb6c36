import AccordLedger
import AccordModel
import AccordSync

/// A node for the tests: streams of batches in memory, applied gap-free like the real store
/// (duplicate when already held with the same hash, refused on gap, fork or broken link).
final class FakeNode {
    enum Outcome: Equatable {
        case applied, duplicate
        case refused(String)
    }

    let index: Int
    let unit: UnitID
    /// The classes this node may receive (besides its own streams).
    let classes: Set<String>
    private(set) var streams: [StreamID: [Batch]] = [:]
    private(set) var refusals: [String] = []

    init(index: Int, classes: Set<String>) {
        self.index = index
        self.unit = Pool.units[index]
        self.classes = classes
    }

    /// Whether this node may receive `stream` (audience rule of the test): its own streams and its classes.
    func mayReceive(_ stream: StreamID) -> Bool { stream.author == unit || classes.contains(stream.shareClass) }

    func heads() -> [StreamHead] {
        streams.map { stream, batches in StreamHead(stream: stream, sequence: UInt64(batches.count), hash: batches.last!.hash) }
    }

    func head(_ stream: StreamID) -> StreamHead {
        guard let last = streams[stream]?.last else { return .empty(stream) }
        return StreamHead(stream: stream, sequence: last.header.sequence, hash: last.hash)
    }

    /// Authors the next pool batch of its own stream; returns the new head, or nil when the pool is used up.
    func author(_ stream: StreamID) -> StreamHead? {
        precondition(stream.author == unit)
        let count = streams[stream]?.count ?? 0
        guard count < Pool.batchesPerStream else { return nil }
        streams[stream, default: []].append(Pool.streams[stream]![count])
        return head(stream)
    }

    func load(_ stream: StreamID, after: UInt64, limit: Int) -> [Batch] {
        let batches = streams[stream] ?? []
        guard after < UInt64(batches.count) else { return [] }
        return Array(batches[Int(after)..<min(batches.count, Int(after) + limit)])
    }

    /// Verifies (the batch must be the pool's signed batch, bit for bit) and applies gap-free.
    func apply(_ batch: Batch) -> Outcome {
        let stream = batch.stream
        let sequence = Int(batch.header.sequence)
        let outcome: Outcome
        let held = streams[stream] ?? []
        if let original = Pool.streams[stream], sequence <= original.count, original[sequence - 1] != batch {
            outcome = .refused("does not verify")
        } else if sequence <= held.count {
            outcome = held[sequence - 1].hash == batch.hash ? .duplicate : .refused("fork")
        } else if sequence != held.count + 1 {
            outcome = .refused("gap: \(stream) stands at \(held.count), got #\(sequence)")
        } else if batch.header.previousHash != (held.last?.hash ?? StreamHead.zeroHash) {
            outcome = .refused("broken link")
        } else {
            streams[stream, default: []].append(batch)
            outcome = .applied
        }
        if case .refused(let reason) = outcome { refusals.append(reason) }
        return outcome
    }

    /// Every stream is gap-free from 1, linked, and the pool's batches exactly.
    var isConsistent: Bool {
        streams.allSatisfy { stream, batches in
            batches.enumerated().allSatisfy { offset, batch in
                batch.header.sequence == UInt64(offset + 1) && batch == Pool.streams[stream]![offset]
                    && batch.header.previousHash == (offset == 0 ? StreamHead.zeroHash : batches[offset - 1].hash)
            }
        }
    }
}
