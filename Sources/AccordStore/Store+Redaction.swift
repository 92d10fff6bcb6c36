public import AccordModel
import AccordLedger
import AccordSQLite

extension Store {
    /// Removes the registers for which `shouldRemove` holds from every record state (any author),
    /// in one transaction; a state left empty is deleted. Returns how many registers went.
    public func removeRegisters(where shouldRemove: (AttributeName, Register) -> Bool) throws -> Int {
        try wrap("remove entries") {
            try database.transaction { try removeRegistersInTransaction { _, _, attribute, register in shouldRemove(attribute, register) } }
        }
    }

    /// The work of ``removeRegisters(where:)``, inside the caller's transaction; the predicate also
    /// sees each register's record and author.
    func removeRegistersInTransaction(where shouldRemove: (RecordKey, UnitID, AttributeName, Register) -> Bool) throws -> Int {
        let rows = try database.prepare("SELECT unit, local_id, author, state FROM record_state")
        var updates: [(RecordKey, UnitID, RecordState)] = []
        var removed = 0
        while try rows.step() {
            let author = UnitID(unchecked: rows.text(at: 2))
            let record = RecordKey(unchecked: UnitID(unchecked: rows.text(at: 0)), localId: rows.text(at: 1))
            let state = try EntryCodec.decodeRecordState(rows.blob(at: 3))
            let kept = state.entries.filter { !shouldRemove(record, author, $0.attribute, $0.register) }
            guard kept.count != state.entries.count else { continue }
            removed += state.entries.count - kept.count
            updates.append((record, author,
                            RecordState(registers: Dictionary(uniqueKeysWithValues: kept.map { ($0.attribute, $0.register) }))))
        }
        rows.reset()
        let delete = try database.prepare("DELETE FROM record_state WHERE unit = ? AND local_id = ? AND author = ?")
        for (record, author, state) in updates {
            if state.isEmpty {
                try delete.bind(record.unit.rawValue, at: 1)
                try delete.bind(record.localId, at: 2)
                try delete.bind(author.rawValue, at: 3)
                try delete.run()
            } else {
                try saveState(state, record, author: author)
            }
        }
        return removed
    }

    /// Redacts, in the stored batches of one share class, every leaf whose record write matches:
    /// its content is dropped and its hash kept, so the batch still verifies and the stream's links
    /// hold. Returns how many leaves were redacted.
    public func redactLeaves(inClass shareClass: String, where matches: (RecordWrite) -> Bool) throws -> Int {
        try wrap("redact leaves") {
            try database.transaction { try redactLeavesInTransaction(inClass: shareClass) { _, write in matches(write) } }
        }
    }

    /// The work of ``redactLeaves(inClass:where:)`` inside the caller's transaction, over one class
    /// or (for `nil`) every class; the predicate also sees each leaf's share class.
    func redactLeavesInTransaction(inClass shareClass: String?, where matches: (String, RecordWrite) -> Bool) throws -> Int {
        let rows = try database.prepare("SELECT id, share_class, body FROM batches WHERE ?1 IS NULL OR share_class = ?1")
        try rows.bind(shareClass, at: 1)
        var rewrites: [(Int64, [UInt8])] = []
        var redacted = 0
        while try rows.step() {
            let name = rows.text(at: 1)
            var batch = try BatchCodec.decode(rows.blob(at: 2))
            var changed = false
            for index in batch.leaves.indices {
                guard let write = try batch.leaves[index].recordWrite(), matches(name, write) else { continue }
                batch = batch.redacting(leafAt: index)
                changed = true
                redacted += 1
            }
            if changed { rewrites.append((rows.int64(at: 0), BatchCodec.encode(batch))) }
        }
        rows.reset()
        let update = try database.prepare("UPDATE batches SET body = ? WHERE id = ?")
        for (id, body) in rewrites {
            try update.bind(body, at: 1)
            try update.bind(id, at: 2)
            try update.run()
        }
        return redacted
    }
}
