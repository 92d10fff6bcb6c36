public import AccordModel
import AccordPolicy
import AccordStore

/// Where an erasure request stands across the federation, as this node sees it: the request and,
/// for every member, its acknowledgement (when it erased) or nothing yet (pending).
public struct ErasureStatus: Sendable {
    /// One member's part.
    public struct UnitState: Sendable {
        /// The member.
        public var unit: String
        /// Its acknowledgement, or `nil` while pending.
        public var acknowledgement: ErasureAcknowledgement?
    }

    /// `requester/id`.
    public var name: String
    /// The unit that requested.
    public var requester: UnitID
    /// The request.
    public var request: ErasureRequest
    /// Every member of the policy this node holds, in policy order.
    public var units: [UnitState]

    /// Whether every member acknowledged.
    public var isComplete: Bool { units.allSatisfy { $0.acknowledgement != nil } }
    /// The members that have not acknowledged yet.
    public var pending: [String] { units.filter { $0.acknowledgement == nil }.map(\.unit) }
}

extension Node {
    /// The status of one request, by `requester/id` or by id alone; `nil` when this node holds no such request.
    public func erasureStatus(_ name: String) throws -> ErasureStatus? {
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let id = parts.last ?? ""
        guard ErasureRequest.isValidID(id) else { return nil }
        let requesters = parts.count == 2 ? [parts[0]] : policy.units.map(\.id)
        for requester in requesters {
            guard let unit = try? UnitID(requester) else { continue }
            if let status = try erasureStatus(record: ErasureRequest.record(requester: unit, id: id)) { return status }
        }
        return nil
    }

    /// Every request this node holds, oldest first.
    public func erasureStatuses() throws -> [ErasureStatus] {
        var statuses: [ErasureStatus] = []
        for member in policy.units {
            let keys: [RecordKey]
            do {
                keys = try store.recordKeys(unit: UnitID(unchecked: member.id), localIdPrefix: ErasureRequest.localIdPrefix)
            } catch {
                throw NodeError(.storage, "cannot list the erasure requests", cause: error)
            }
            for key in keys { if let status = try erasureStatus(record: key) { statuses.append(status) } }
        }
        return statuses.sorted { ($0.request.requestedAtMillis, $0.name) < ($1.request.requestedAtMillis, $1.name) }
    }

    private func erasureStatus(record: RecordKey) throws -> ErasureStatus? {
        guard let id = ErasureRequest.requestID(ofLocalId: record.localId) else { return nil }
        let states: [UnitID: RecordState]
        do {
            states = try store.recordStates(record)
        } catch {
            throw NodeError(.storage, "cannot read the erasure request \(record.unit)/\(id)", cause: error)
        }
        guard case .erasureRequest(let request)? = states[record.unit]?.register(ErasureRequest.attribute)?.value else { return nil }
        let units = policy.units.map { member -> ErasureStatus.UnitState in
            var acknowledgement: ErasureAcknowledgement?
            if case .erasureAcknowledgement(let ack)? = states[UnitID(unchecked: member.id)]?.register(ErasureAcknowledgement.attribute)?.value {
                acknowledgement = ack
            }
            return ErasureStatus.UnitState(unit: member.id, acknowledgement: acknowledgement)
        }
        return ErasureStatus(name: "\(record.unit)/\(id)", requester: record.unit, request: request, units: units)
    }
}
