import AccordModel
import AccordNode

/// What every handler shares: the engine (writes), the readers, the access log, the peers' status, the request counters.
struct APIServices: Sendable {
    let engine: SyncEngine
    let readers: ReadPool
    let trail: AuditTrail
    let unit: UnitID
    let directory: String
    let settings: APIServer.Settings
    let peers: @Sendable () -> [PeerStatus]
    /// Requests answered, for `/metrics`.
    let counters: HTTPCounters
}
