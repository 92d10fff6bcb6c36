import AccordHTTP
import AccordModel
import AccordNode
import AccordPolicy
import AccordStore
import Foundation

/// The steward's profile page, `/dashboard/profile`: a search box, and one person's profile with
/// its golden values and their lineage, its records, its lifecycle stage, its effective consent for
/// every unit of the federation and its open review pairs. It shows personal data, so it opens for
/// tokens with ``APIPermission/readRecords`` (steward, admin) and every view is audited.
enum DashboardProfile {
    /// One golden value: the attribute, the value shown, the survivorship rule, where it came from.
    struct GoldenValue: Sendable {
        var attribute: String
        var value: String
        var rule: String
        var sources: String
        var writtenAtMillis: Int64?
    }

    /// One unit's effective consent for one channel and purpose.
    struct Verdict: Sendable {
        var unit: String
        var channel: String
        var purpose: String
        var allowed: Bool
        var reason: String
        var decided: Bool
    }

    /// A profile as the page shows it.
    struct Shown: Sendable {
        var id: String
        var anchor: String
        var records: [String]
        var values: [GoldenValue]
        var lifecycle: String?
        var consent: [Verdict]
        var reviews: [StoredReviewPair]
    }

    /// What a request asked and found: nothing asked yet, several matches, or one profile.
    enum Content: Sendable {
        case form
        case matches(query: String, ids: [String])
        case profile(query: String, Shown)
    }

    /// What the search box accepts, and how it is read: a profile id, a record `owner/id`, an
    /// e-mail address, a phone number, else words of a name.
    static func load(_ node: Node, query: String?) throws -> Content {
        guard let query = query?.trimmingCharacters(in: .whitespaces), !query.isEmpty else { return .form }
        guard query.utf8.count <= 200 else { throw HTTPError(.badRequest, "query parameter \"q\": at most 200 bytes") }
        let lookup: ProfileLookup
        if query.utf8.count == 33, query.hasPrefix("p"), query.dropFirst().allSatisfy(\.isHexDigit) {
            lookup = .id(query)
        } else if query.contains("/") {
            guard let key = RecordKey(described: query) else {
                throw HTTPError(.badRequest, "query parameter \"q\": a record is owner/local-id, such as retail/C-1001")
            }
            lookup = .record(key)
        } else {
            let ids = try APIErrors.mapping { () throws -> [String] in
                if query.contains("@") { return try node.searchProfiles(email: query, limit: 50, refresh: false) }
                if query.first == "+" || query.allSatisfy({ $0.isNumber || " -()".contains($0) }) {
                    return try node.searchProfiles(phone: query, limit: 50, refresh: false)
                }
                return try node.searchProfiles(name: query, limit: 50, refresh: false)
            }
            guard ids.count == 1 else { return .matches(query: query, ids: ids) }
            lookup = .id(ids[0])
        }
        guard let body = try APIErrors.mapping({ try node.profileDocument(lookup, refresh: false) }) else { return .matches(query: query, ids: []) }
        return .profile(query: query, try shown(node, body: body))
    }

    /// Reads the stored document and adds what depends on the units and the time.
    private static func shown(_ node: Node, body: [UInt8]) throws -> Shown {
        guard let document = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HTTPError(.internalServerError, "the stored profile does not parse")
        }
        let records = document["records"] as? [String] ?? []
        let keys = records.compactMap(RecordKey.init(described:))
        let values = (document["values"] as? [[String: Any]] ?? []).map { value -> GoldenValue in
            let shown = (value["value"] as? String) ?? (value["value"] as? [String])?.joined(separator: ", ") ?? ""
            let lineage = value["lineage"] as? [[String: Any]] ?? []
            return GoldenValue(
                attribute: value["attribute"] as? String ?? "", value: shown, rule: value["rule"] as? String ?? "",
                sources: lineage.map { "\($0["record"] as? String ?? "") by \($0["author"] as? String ?? "")" }.joined(separator: "; "),
                writtenAtMillis: lineage.compactMap { ($0["writtenAtMillis"] as? NSNumber)?.int64Value }.max())
        }
        let id = document["id"] as? String ?? ""
        return try APIErrors.mapping {
            var consent: [Verdict] = []
            for member in node.policy.units {
                let unit = UnitID(unchecked: member.id)
                for item in try node.profileConsent(records: keys, unit: unit) {
                    consent.append(Verdict(unit: member.id, channel: item.channel, purpose: item.purpose, allowed: item.verdict.allowed,
                                           reason: item.verdict.reason, decided: item.verdict.deciding != nil))
                }
            }
            let lifecycle = try node.profileFacts(body: body, unit: node.unit).flatMap { node.lifecycle(of: $0) }.map(LifecycleJSON.line)
            return Shown(id: id, anchor: document["anchor"] as? String ?? "", records: records, values: values, lifecycle: lifecycle,
                         consent: consent, reviews: try node.reviewPairs(ofProfile: id, refresh: false))
        }
    }

    /// The page body.
    static func page(_ content: Content, units: [String]) -> String {
        var html = HTML()
        html.element("h1", "Profiles")
        html.raw("<form method=\"get\" action=\"/dashboard/profile\" class=\"search\"><label for=\"q\">Find a person</label>")
        html.raw("<input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"e-mail, phone, name, owner/record or profile id\"")
        switch content {
        case .matches(let query, _), .profile(let query, _):
            html.raw(" value=\"")
            html.value(query)
            html.raw("\"")
        case .form: break
        }
        html.raw("><button type=\"submit\">Search</button></form>")
        html.element("p", "Personal data: this page is for stewards; every view is written to the audit log.", class: "muted")
        switch content {
        case .form:
            break
        case .matches(_, let ids):
            html.raw("<div class=\"panel\">")
            html.element("h2", ids.isEmpty ? "No profile matches" : "\(ids.count) profiles match")
            if !ids.isEmpty {
                html.raw("<ul>")
                for id in ids {
                    html.raw("<li><a href=\"/dashboard/profile?q=\(id)\">")
                    html.value(id)
                    html.raw("</a></li>")
                }
                html.raw("</ul>")
            }
            html.raw("</div>")
        case .profile(_, let shown):
            profile(&html, shown, units: units)
        }
        return html.text
    }

    private static func profile(_ html: inout HTML, _ shown: Shown, units: [String]) {
        html.raw("<div class=\"panel\">")
        html.element("h2", "Profile \(shown.id)")
        html.element("p", "Anchor \(shown.anchor) · records \(shown.records.joined(separator: ", "))")
        if let lifecycle = shown.lifecycle { html.element("p", lifecycle) }
        html.element("h3", "Golden values")
        html.table(["Attribute", "Value", "Rule", "From", "Written"], shown.values.map {
            [($0.attribute, nil), ($0.value, nil), ($0.rule, nil), ($0.sources, nil),
             ($0.writtenAtMillis.map { DashboardFormat.time($0) } ?? "", nil)]
        }, empty: "The profile holds no value this node may see.")
        html.raw("</div><div class=\"panel\">")
        html.element("h2", "Consent per unit")
        html.element("p", "Effective consent over every record of the profile, for each unit that would ask; yes or no per channel and purpose.", class: "muted")
        let topics = shown.consent.reduce(into: [(channel: String, purpose: String)]()) { topics, verdict in
            if !topics.contains(where: { $0.channel == verdict.channel && $0.purpose == verdict.purpose }) {
                topics.append((verdict.channel, verdict.purpose))
            }
        }
        html.table(["Channel", "Purpose"] + units, topics.map { topic in
            [(topic.channel, nil), (topic.purpose, nil)] + units.map { unit in
                guard let verdict = shown.consent.first(where: { $0.unit == unit && $0.channel == topic.channel && $0.purpose == topic.purpose }) else {
                    return ("–", nil)
                }
                return (verdict.allowed ? "yes" : "no", verdict.allowed ? "good" : "bad")
            }
        }, empty: "The policy's consent model names no channel.")
        html.element("h3", "Decisions")
        html.table(["Unit", "Channel", "Purpose", "Allowed", "Why"], shown.consent.filter(\.decided).map {
            [($0.unit, nil), ($0.channel, nil), ($0.purpose, nil), ($0.allowed ? "yes" : "no", $0.allowed ? "good" : "bad"), ($0.reason, nil)]
        }, empty: "No consent decision covers this person: nothing is allowed.")
        html.raw("</div><div class=\"panel\">")
        html.element("h2", "Open review pairs: \(shown.reviews.count)")
        html.table(["Pair", "Records", "Score"], shown.reviews.map {
            [($0.id, nil), ("\($0.first) · \($0.second)", nil), (String(format: "%.1f", $0.score), "num")]
        }, empty: "No pair of this profile waits for a steward.")
        html.raw("</div>")
    }

    /// The audit entry of a view: the profile shown (its id) or the kind of search, never the query's text.
    static func auditSubject(_ content: Content) -> (subject: String?, detail: String) {
        switch content {
        case .form: (nil, "search form")
        case .matches(_, let ids): (nil, "search: \(ids.count) matches")
        case .profile(_, let shown): (shown.id, "profile shown")
        }
    }
}
