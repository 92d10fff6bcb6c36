import AccordHTTP
import AccordNode
import Foundation

/// The dashboard's HTML: one layout (inline CSS, no script, no external asset) and a page per
/// panel. Every value is escaped by ``HTML``; overview pages show aggregates only.
enum DashboardPages {
    /// The response headers every dashboard answer carries: no caching, no framing, no other origin.
    static func secured(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        for (name, value) in [
            ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ] { response.headers.set(name, value) }
        return response
    }

    /// A page with a message (errors, notices).
    static func page(status: HTTPStatus, title: String, session csrf: String?, _ message: String) -> HTTPResponse {
        var html = HTML()
        html.element("h1", title)
        html.element("p", message, class: status.code >= 400 ? "notice bad" : "notice")
        html.raw("<p><a href=\"/dashboard\">Back to the dashboard</a></p>")
        return document(title: title, body: html.text, current: nil, csrf: csrf, status: status)
    }

    /// The sign-in form.
    static func login(message: String?, status: HTTPStatus) -> HTTPResponse {
        var html = HTML()
        html.raw("<section class=\"login\"><h1>Sign in to the governance dashboard</h1>")
        if let message { html.element("p", message, class: "notice bad") }
        html.raw("""
            <form method="post" action="/dashboard/login"><label for="token">Bearer token (role governance or admin; steward for the profile page)</label>
            <input id="token" name="token" type="password" autocomplete="off" required placeholder="accord_...">
            <button type="submit">Sign in</button></form>
            <p class="muted">Create a token on the node with <code>accord token create --role governance --name you</code>.
            The session lasts 8 hours; the node keeps only a hash of its cookie.</p></section>
            """)
        return document(title: "Sign in", body: html.text, current: nil, csrf: nil, status: status)
    }

    /// The page at `path` (one of ``DashboardSite/pages``).
    static func render(_ path: String, figures: GovernanceFigures, inventory: DataInventory? = nil, segments: [SegmentOverview]? = nil,
                       csrf: String?, navigation: [(path: String, title: String)] = DashboardSite.pages) -> HTTPResponse {
        let body: String
        switch path {
        case "/dashboard/federation": body = DashboardPanels.federation(figures, detailed: true)
        case "/dashboard/quality": body = DashboardPanels.quality(figures)
        case "/dashboard/consent": body = DashboardPanels.consent(figures)
        case "/dashboard/privacy": body = DashboardPanels.privacy(figures)
        case "/dashboard/consolidation": body = DashboardPanels.consolidation(figures)
        case "/dashboard/inventory":
            body = inventory.map { DashboardInventory.page($0, freshnessHours: figures.freshnessHours, units: figures.members.map(\.unit)) } ?? ""
        case "/dashboard/segments": body = DashboardSegments.page(segments ?? [])
        default: body = DashboardPanels.overview(figures)
        }
        let title = DashboardSite.pages.first { $0.path == path }?.title ?? "Overview"
        var header = HTML()
        header.raw("<p class=\"context\">")
        header.value("Federation \(figures.federation) · node \(figures.unit) · policy v\(figures.policyVersion) · figures of \(DashboardFormat.time(figures.generatedAtMillis))")
        header.raw("</p>")
        return document(title: title, body: header.text + body, current: path, csrf: csrf, status: .ok, navigation: navigation)
    }

    /// The steward's profile page (``DashboardProfile``).
    static func profile(_ content: DashboardProfile.Content, units: [String], csrf: String?,
                        navigation: [(path: String, title: String)]) -> HTTPResponse {
        document(title: DashboardSite.profilePage.title, body: DashboardProfile.page(content, units: units), current: DashboardSite.profilePage.path,
                 csrf: csrf, status: .ok, navigation: navigation)
    }

    private static func document(title: String, body: String, current: String?, csrf: String?, status: HTTPStatus,
                                 navigation: [(path: String, title: String)] = DashboardSite.pages) -> HTTPResponse {
        var html = HTML()
        html.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        html.raw("<title>")
        html.value("Accord · \(title)")
        html.raw("</title><style>\(style)</style></head><body><header><span class=\"brand\">Accord governance</span><nav>")
        if current != nil || csrf != nil {
            for page in navigation {
                html.raw("<a href=\"\(page.path)\"" + (page.path == current ? " class=\"current\"" : "") + ">")
                html.value(page.title)
                html.raw("</a>")
            }
        }
        html.raw("</nav>")
        if let csrf {
            html.raw("<form method=\"post\" action=\"/dashboard/logout\" class=\"logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
            html.value(csrf)
            html.raw("\"><button type=\"submit\">Sign out</button></form>")
        }
        html.raw("</header><main>\(body)</main></body></html>")
        let response = HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.text.utf8))
        return secured(response)
    }

    private static let style = """
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2530;background:#f4f6f8}
        header{display:flex;align-items:center;gap:18px;padding:10px 24px;background:#1f3b57;color:#fff}
        .brand{font-weight:600;font-size:16px}nav{display:flex;gap:4px;flex-wrap:wrap;flex:1}
        nav a{color:#dce6f0;text-decoration:none;padding:5px 10px;border-radius:4px}nav a.current,nav a:hover{background:#2f5680;color:#fff}
        .logout button{background:transparent;color:#dce6f0;border:1px solid #58779a;border-radius:4px;padding:4px 10px;cursor:pointer}
        main{max-width:1180px;margin:0 auto;padding:14px 24px 40px}h1{font-size:20px;margin:10px 0}h2{font-size:16px;margin:22px 0 8px}
        .context{color:#5b6775;margin:4px 0 10px}.muted{color:#6b7785}.notice{padding:8px 12px;background:#e9eef4;border-radius:4px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
        .tile{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:10px 12px}.tile .n{font-size:24px;font-weight:600}
        .tile .l{color:#5b6775;font-size:12px}.panel{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:12px 14px;margin-top:12px}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #edf0f3}
        th{color:#5b6775;font-weight:600;background:#f8fafb}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .bad,td.bad{color:#b3261e;font-weight:600}.good,td.good{color:#1e7b34}.tile.bad .n{color:#b3261e}
        .chart .bar{fill:#3f7cbf}.chart .bar.bad{fill:#d0473d}.chart text{font-size:12px;fill:#3a4450}.chart .small{font-size:10px}
        .chart .line{fill:none;stroke:#3f7cbf;stroke-width:2}.chart .dot{fill:#1f3b57}.chart .axis{stroke:#b9c4cf}
        .marked{border-left:4px solid #e0a100;padding-left:10px}.login{max-width:460px;margin:40px auto;background:#fff;padding:20px 24px;border-radius:6px;border:1px solid #dde3ea}
        .login input{width:100%;padding:8px;margin:6px 0 12px;border:1px solid #b9c4cf;border-radius:4px;font:inherit}
        .login button{background:#1f3b57;color:#fff;border:0;border-radius:4px;padding:8px 16px;font:inherit;cursor:pointer}
        .two{display:grid;grid-template-columns:1fr 1fr;gap:12px}@media(max-width:900px){.two{grid-template-columns:1fr}}
        .search{display:flex;gap:8px;align-items:center;margin:6px 0}.search input{flex:1;max-width:520px;padding:7px;border:1px solid #b9c4cf;border-radius:4px;font:inherit}
        .search button{background:#1f3b57;color:#fff;border:0;border-radius:4px;padding:7px 14px;font:inherit;cursor:pointer}h3{font-size:14px;margin:14px 0 6px}
        """
}
