import AccordLedger
import AccordModel
import AccordStore
import Foundation

/// What a node's store holds, read directly while no process writes it: SQLite's integrity
/// check, every stream walked from #1 (gaps, broken links), the local ids of every leaf by author,
/// and each sequence number's batch hash (to catch a number reused for another batch).
struct StoreAudit {
    /// `ok`, or SQLite's complaint.
    var integrity = ""
    /// Problems found: gaps, broken links, leaves stored twice.
    var problems: [String] = []
    /// Per stream (`author/class`): sequence number -> batch hash (hex).
    var hashes: [String: [UInt64: String]] = [:]
    /// Per author unit: the local ids of every record write held (any class).
    var localIds: [String: Set<String>] = [:]
    /// Leaves of one author's stream that name a record already named in that stream with the
    /// same value: a write applied twice.
    var duplicates = 0

    /// Reads the store of the node directory `node`.
    static func read(node: String) throws -> StoreAudit {
        let store = try Store(path: node + "/accord.sqlite")
        var audit = StoreAudit()
        audit.integrity = try store.integrityCheck()
        for head in try store.streamHeads() {
            let name = head.stream.description
            var expected: UInt64 = 1
            var previous = StreamHead.zeroHash
            var seen = Set<String>()
            var hashes: [UInt64: String] = [:]
            var ids = audit.localIds[head.stream.author.rawValue] ?? []
            walk: while true {
                let batches = try store.batches(in: head.stream, after: expected - 1, limit: 256)
                if batches.isEmpty { break }
                for batch in batches {
                    guard batch.header.sequence == expected else {
                        audit.problems.append("\(name): gap, #\(batch.header.sequence) follows #\(expected - 1)")
                        break walk
                    }
                    if batch.header.previousHash != previous { audit.problems.append("\(name) #\(expected): broken link") }
                    previous = batch.hash
                    hashes[expected] = hex(batch.hash)
                    for leaf in batch.leaves {
                        guard let write = try? leaf.recordWrite() else { continue }  // redacted leaves hold no write
                        let key = write.record.localId + "|" + hex(EntryCodec.encode(write))
                        if !seen.insert(key).inserted { audit.duplicates += 1 }
                        ids.insert(write.record.localId)
                    }
                    expected += 1
                }
            }
            if expected - 1 != head.sequence { audit.problems.append("\(name): walked to #\(expected - 1), head is #\(head.sequence)") }
            audit.hashes[name] = hashes
            audit.localIds[head.stream.author.rawValue] = ids
        }
        return audit
    }

    /// Sequence numbers this store holds with a different batch than `earlier` held: reuse.
    func reusedSequences(comparedWith earlier: [String: [UInt64: String]]) -> [String] {
        var reused: [String] = []
        for (stream, old) in earlier {
            for (sequence, hash) in old {
                if let now = hashes[stream]?[sequence], now != hash { reused.append("\(stream) #\(sequence)") }
            }
        }
        return reused
    }

    /// Streams whose head went back compared with `earlier` (something stored was lost).
    func shrunkStreams(comparedWith earlier: [String: [UInt64: String]]) -> [String] {
        earlier.compactMap { stream, old in
            let before = old.keys.max() ?? 0
            let now = hashes[stream]?.keys.max() ?? 0
            return now < before ? "\(stream): #\(before) -> #\(now)" : nil
        }
    }

    /// Merges the hashes seen into a running record of every sequence number ever held.
    static func remember(_ hashes: [String: [UInt64: String]], into record: inout [String: [UInt64: String]]) {
        for (stream, entries) in hashes { record[stream, default: [:]].merge(entries) { old, _ in old } }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// What the soundness checks every harness runs on a stopped node found, counted.
struct SoundnessCounts {
    /// The store could not be read, or `integrity_check` was not ok.
    var integrityFailures = 0
    /// Gaps, broken links, a walk that does not end at the head.
    var streamProblems = 0
    /// `accord verify` failed (signatures, half-applied batches).
    var verifyFailures = 0
    /// Acknowledged rows the store does not hold.
    var acknowledgedMissing = 0
    /// Everything above.
    var total: Int { integrityFailures + streamProblems + verifyFailures + acknowledgedMissing }
}

extension StoreAudit {
    /// Reads a stopped node's store and checks it: `integrity_check`, every stream walked, every
    /// `acknowledged` local id of `owner` present, `accord verify`; counts what is wrong into
    /// `counts` and describes it to `note`.
    /// - Returns: the audit, for further checks; `nil` when the store could not be read.
    static func check(_ cluster: Cluster, _ unit: String, owner: String, acknowledged: Set<String>,
                      counts: inout SoundnessCounts, note: (String) -> Void) -> StoreAudit? {
        let audit: StoreAudit
        do {
            audit = try StoreAudit.read(node: cluster.path(unit))
        } catch {
            counts.integrityFailures += 1
            note("cannot read the store: \(error)")
            return nil
        }
        if audit.integrity != "ok" {
            counts.integrityFailures += 1
            note("integrity_check: \(audit.integrity.prefix(200))")
        }
        counts.streamProblems += audit.problems.count
        audit.problems.prefix(3).forEach(note)
        let missing = acknowledged.subtracting(audit.localIds[owner] ?? [])
        counts.acknowledgedMissing += missing.count
        if let example = missing.first { note("\(missing.count) acknowledged rows missing, e.g. \(example)") }
        if let complaint = cluster.verify(unit) {
            counts.verifyFailures += 1
            note(complaint)
        }
        return audit
    }
}
