import AccordHTTP
import AccordNode
import AccordPolicy

/// `GET /v1/inventory`: the data inventory (``AccordNode/DataInventory``), aggregates only;
/// `?unit=` keeps one unit's rows. Cached like the dashboard's figures.
enum InventoryRoutes {
    static func inventory(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["unit"])
        var inventory = try request.services.currentInventory()
        if let unit = try query.value("unit") {
            let member = try request.read { $0.policy.isMember(unit) }
            guard member else {
                throw HTTPError(.badRequest, "query parameter \"unit\": \(unit.prefix(64)) is not a member of the federation")
            }
            inventory = inventory.only(unit: unit)
        }
        return .json(serialized: inventory.json())
    }
}
