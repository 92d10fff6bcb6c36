import AccordModel
import AccordStore

extension Node {
    /// The node's tombstones.
    func tombstoneSet() throws -> TombstoneSet {
        do {
            return try TombstoneSet(store: store)
        } catch {
            throw NodeError(.storage, "cannot read the tombstones", cause: error)
        }
    }

    /// Refuses a local write on a record that was erased: a record key once erased stays erased
    /// (a person who comes back gets a new record).
    /// - Throws: ``NodeError`` `.notAllowed` naming the erasure request.
    func refuseIfErased(_ record: RecordKey) throws {
        if let request = try tombstoneSet().request(erasing: record) {
            throw NodeError(.notAllowed, "record \(record) was erased (erasure request \(request)); a person who comes back gets a new record")
        }
    }
}
