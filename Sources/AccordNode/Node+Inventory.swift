import AccordImport
import AccordModel
import AccordPolicy
import AccordStore

extension Node {
    /// The data inventory: one pass over every record state this node holds (see ``DataInventory``).
    /// A record's attribute is carried when its winning register over all authors holds a value, and
    /// valid when every text of it passes the policy's rule in normalized form; rows are the
    /// attributes a member unit holds, wrote or may author. Erasure and steward-decision records are
    /// not customer records and are left out.
    /// - Throws: ``NodeError`` `.storage`.
    public func dataInventory() throws -> DataInventory {
        let at = Int64(now())
        var scan = InventoryScan(policy: policy, settings: normalizationSettings())
        do {
            scan.strides = try store.recordCountsByOwner().mapValues { max(1, $0 / DataInventory.validitySample) }
            var current: RecordKey?
            var states: [(UnitID, RecordState)] = []
            try store.forEachRecordState { key, author, state in
                if key != current {
                    if let current { scan.add(current, states) }
                    current = key
                    states.removeAll(keepingCapacity: true)
                }
                states.append((author, state))
            }
            if let current { scan.add(current, states) }
        } catch {
            throw NodeError(.storage, "cannot read the record states for the inventory", cause: error)
        }
        return scan.inventory(at: at)
    }
}

/// The counting behind ``Node/dataInventory()``.
struct InventoryScan {
    private struct Key: Hashable {
        var unit: String
        var attribute: String
    }

    let policy: Policy
    var strides: [String: Int] = [:]
    private let validity: CatalogValidity
    private var records: [String: Int] = [:]
    private var carrying: [Key: Int] = [:]
    private var checked: [Key: Int] = [:]
    private var valid: [Key: Int] = [:]
    private var written: [Key: HLC] = [:]

    init(policy: Policy, settings: NormalizationSettings) {
        self.policy = policy
        validity = CatalogValidity(policy: policy, settings: settings)
    }

    /// Counts one record from its states (one per author).
    mutating func add(_ key: RecordKey, _ states: [(UnitID, RecordState)]) {
        guard !key.localId.hasPrefix(ErasureRequest.localIdPrefix), !key.localId.hasPrefix(StewardDecisionEntry.localIdPrefix) else { return }
        let owner = key.unit.rawValue
        let index = records[owner, default: 0]
        records[owner] = index + 1
        let validate = index % (strides[owner] ?? 1) == 0
        var winners: [AttributeName: Register] = [:]
        for (author, state) in states {
            for entry in state.entries {
                guard policy.attribute(entry.attribute.rawValue) != nil else { continue }
                let slot = Key(unit: author.rawValue, attribute: entry.attribute.rawValue)
                if written[slot].map({ entry.register.hlc > $0 }) ?? true { written[slot] = entry.register.hlc }
                if let held = winners[entry.attribute], !entry.register.wins(over: held) { continue }
                winners[entry.attribute] = entry.register
            }
        }
        for (attribute, register) in winners {
            guard let value = register.value else { continue }
            let slot = Key(unit: owner, attribute: attribute.rawValue)
            carrying[slot, default: 0] += 1
            guard validate else { continue }
            checked[slot, default: 0] += 1
            if validity.isValid(value, of: attribute.rawValue) { valid[slot, default: 0] += 1 }
        }
    }

    /// The rows and findings.
    func inventory(at now: Int64) -> DataInventory {
        var rows: [DataInventory.Row] = []
        var findings: [DataInventory.Finding] = []
        for unit in policy.units.map(\.id) {
            for attribute in policy.attributes {
                let slot = Key(unit: unit, attribute: attribute.name)
                let held = carrying[slot] ?? 0
                let authored = policy.mayAuthor(unit: unit, attribute: attribute.name).isAllowed
                guard held > 0 || authored || written[slot] != nil else { continue }
                let audience = policy.units.map(\.id).filter { policy.mayReceive(unit: $0, shareClass: attribute.shareClass) }
                let writers = policy.units.map(\.id).filter { policy.mayWrite(writer: $0, owner: unit, attribute: attribute.name).isAllowed }
                rows.append(DataInventory.Row(
                    unit: unit, attribute: attribute.name, shareClass: attribute.shareClass, audience: audience, pii: attribute.pii.rawValue,
                    writers: writers, purposes: attribute.purposes?.sorted(), records: records[unit] ?? 0, carrying: held,
                    checked: checked[slot] ?? 0, valid: valid[slot] ?? 0, lastWrittenMillis: written[slot].map { Int64($0.physicalMillis) }))
                guard held > 0 else { continue }
                if attribute.purposes == nil {
                    findings.append(DataInventory.Finding(unit: unit, attribute: attribute.name, carrying: held,
                                                          reason: "the policy's catalog names no purpose for it (attributes[].purposes is absent)"))
                } else if attribute.purposes?.isEmpty == true {
                    findings.append(DataInventory.Finding(unit: unit, attribute: attribute.name, carrying: held,
                                                          reason: "the policy keeps it for no purpose (attributes[].purposes is empty)"))
                }
            }
        }
        return DataInventory(policyVersion: policy.version, generatedAtMillis: now, rows: rows, findings: findings)
    }
}
