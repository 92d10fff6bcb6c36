import AccordHTTP

/// The API port's responder: the dashboard's pages under `/dashboard`, the JSON API elsewhere.
struct SiteResponder: HTTPResponder {
    let api: APIResponder
    let dashboard: DashboardSite

    func bodyLimit(for head: HTTPRequestHead, client: HTTPClient, default limit: Int) -> Int {
        DashboardSite.handles(head.path) ? min(limit, 8 << 10) : api.bodyLimit(for: head, client: client, default: limit)
    }

    func respond(to request: HTTPRequest, client: HTTPClient) throws -> HTTPResponse {
        DashboardSite.handles(request.path) ? dashboard.respond(to: request, client: client) : try api.respond(to: request, client: client)
    }
}
