import AccordCrypto
import AccordLedger
import AccordModel
import AccordSampleData
import AccordStore
import Foundation

/// A temporary directory removed when the body returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = NSTemporaryDirectory() + "accord-store-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A unit with a key and a store, for writing batches.
struct Author {
    let unit: UnitID
    let key: Ed25519PrivateKey
    let store: Store

    init(unit: UnitID, key: Ed25519PrivateKey, store: Store) {
        self.unit = unit
        self.key = key
        self.store = store
    }

    init(_ name: String, directory: String) throws {
        unit = UnitID(unchecked: name)
        key = try Ed25519PrivateKey.generate()
        store = try Store(path: directory + "/\(name).sqlite")
        try store.initialize(unit: unit)
    }

    /// Writes values on the author's own records; returns the sealed batches.
    @discardableResult
    func write(_ values: [(String, String, String?)], now: UInt64 = 1_000, maxLeaves: Int = 1024) throws -> [Batch] {
        let writes = Dictionary(grouping: values, by: { $0.0 }).sorted { $0.key < $1.key }.map { localId, items in
            // The last value of an attribute wins within one record write.
            var latest: [String: String?] = [:]
            for item in items { latest[item.1] = item.2 }
            return PendingWrite(record: RecordKey(unchecked: unit, localId: localId),
                                changes: latest.sorted { $0.key < $1.key }.map { (attribute: AttributeName(unchecked: $0.key), value: $0.value.map(Value.text)) })
        }
        return try store.commitLocal(writes, shareClass: shareClass, policyVersion: 1, key: key, now: now,
                                     sealer: BatchSealer(maxLeaves: maxLeaves)).batches.map(\.batch)
    }
}

/// Test catalog: names go to "identity", phone to "contact".
func shareClass(_ attribute: AttributeName) -> String? {
    switch attribute.rawValue {
    case "given_name", "family_name", "city": "identity"
    case "phone", "email": "contact"
    default: nil
    }
}
