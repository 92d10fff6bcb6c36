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
    /// The data inventory (a scan of every record state), shared by `GET /v1/inventory` and the dashboard.
    let inventory: FiguresCache<DataInventory>

    /// The inventory, cached (see ``FiguresCache``).
    func currentInventory() throws -> DataInventory {
        try inventory.current { [readers] in
            let lease = readers.lease(connection: UInt64.max)
            defer { lease.release() }
            return try APIErrors.mapping { try lease.read { try $0.node.dataInventory() } }
        }
    }
}
