import AccordNode
import AccordStore
import Foundation
/// The dashboard's panels as HTML fragments (every value escaped by ``HTML``).
enum DashboardPanels {
    private typealias F = DashboardFormat

    static func tiles(_ items: [(value: String, label: String, bad: Bool)]) -> String {
        var html = HTML()
        html.raw("<div class=\"grid\">")
        for item in items {
            html.raw(item.bad ? "<div class=\"tile bad\">" : "<div class=\"tile\">")
            html.element("div", item.value, class: "n")
            html.element("div", item.label, class: "l")
            html.raw("</div>")
        }
        html.raw("</div>")
        return html.text
    }

    static func overview(_ figures: GovernanceFigures) -> String {
        let (online, peers) = figures.peersOnline
        let stale = figures.staleUnits, refused = figures.refusedBatches
        let pending = figures.pendingErasures, overdue = figures.accessRequestsPastDue
        var html = HTML()
        html.element("h1", "Overview")
        html.raw(tiles([
            ("\(online) / \(peers)", "peers online", online < peers),
            (F.count(figures.members.count), "member units", false),
            ("\(stale)", "units stale (no batch for \(figures.freshnessHours) h)", stale > 0),
            (F.count(refused), "refused batches", refused > 0),
            (F.count(figures.records), "records held", false),
            (F.count(figures.doNotContact), "company-wide do-not-contact", false),
            (F.count(figures.expiringWithin30Days), "consents expiring within 30 days", figures.expiringWithin30Days > 0),
            ("\(pending)", "erasure requests pending", pending > 0),
            (F.count(figures.accessRequests.count), "access requests, \(overdue) past due", overdue > 0),
        ]))
        html.raw(federation(figures, detailed: false))
        return html.text
    }

    static func federation(_ figures: GovernanceFigures, detailed: Bool) -> String {
        var html = HTML()
        html.raw(detailed ? "<h1>Federation</h1>" : "<h2>Federation</h2>")
        html.raw("<div class=\"panel\">")
        html.table(["Unit", "Name", "Online", "Policy", "Peer lacks", "We lack", "Last contact", "Last batch", "Refused"], figures.members.map { member in
            let online: (String, String?) = member.isSelf ? ("this node", "good") : member.connected.map { $0 ? ("online", "good") : ("offline", "bad") } ?? ("not a peer", "muted")
            let version = member.policyVersion.map { "v\($0)" } ?? "–"
            let behind = member.policyVersion.map { $0 != UInt64(figures.policyVersion) } ?? false
            let lastBatch = member.lastBatchMillis.map { F.age(figures.generatedAtMillis - $0) + " ago" } ?? "none"
            return [(member.unit, nil), (member.name, nil), online, (version, behind ? "bad" : nil),
                    (F.count(Int(member.peerLacks)), member.peerLacks > 0 ? "num bad" : "num"), (F.count(Int(member.weLack)), member.weLack > 0 ? "num bad" : "num"),
                    (member.lastContactMillis == 0 ? (member.isSelf ? "–" : "never") : F.time(Int64(member.lastContactMillis)), nil),
                    (lastBatch, figures.isStale(member) ? "bad" : nil), (F.count(member.refused), member.refused > 0 ? "num bad" : "num")]
        }, empty: "No members.")
        html.raw("</div>")
        guard detailed else { return html.text }
        html.raw("<div class=\"two\"><div class=\"panel\"><h2>Refused batches by reason</h2>")
        let classes = RefusalClass.allCases.map { (label: $0.rawValue, value: Double(figures.refusalsByClass[$0] ?? 0), text: F.count(figures.refusalsByClass[$0] ?? 0), bad: true) }
        html.raw(SVGChart.bars(classes, width: 420))
        html.raw("</div><div class=\"panel\"><h2>Most recent refusals</h2>")
        html.table(["Author", "Reason", "At"], figures.refusals.map { [($0.author, nil), ($0.reason.rawValue, "bad"), (F.time($0.atMillis), nil)] },
                   empty: "No batch was refused.")
        html.raw("<p class=\"muted\">Reasons in full: <code>accord rejected</code> or GET /v1/rejected.</p></div></div>")
        return html.text
    }

    static func quality(_ figures: GovernanceFigures) -> String {
        var html = HTML()
        html.element("h1", "Data quality")
        html.element("p", "Completeness: records of the unit holding a value. Validity: values passing the policy's rule in normalized form today "
                     + "(on an even sample of about \(GovernanceScan.validitySample) records per unit; Validated says how many). "
                     + "Freshness: time since the unit's newest batch reached this node; red past \(figures.freshnessHours) h (policy reporting.freshnessHours).", class: "muted")
        html.raw("<div class=\"panel\"><h2>Freshness</h2>")
        html.raw(SVGChart.bars(figures.members.map { member in
            let hours = member.lastBatchMillis.map { Double(figures.generatedAtMillis - $0) / 3_600_000 } ?? Double(figures.freshnessHours) * 2
            return (label: member.unit, value: hours, text: member.lastBatchMillis.map { F.age(figures.generatedAtMillis - $0) } ?? "no batch", bad: figures.isStale(member))
        }, maximum: Double(figures.freshnessHours) * 2))
        html.raw("</div>")
        for unit in figures.members.map(\.unit) {
            let rows = figures.quality.filter { $0.unit == unit }
            guard !rows.isEmpty else { continue }
            html.raw("<div class=\"panel\">")
            html.element("h2", "\(unit): \(F.count(rows[0].records)) records")
            if let join = figures.join(of: unit) {
                html.element("p", "Duplicate rate \(F.percent(join.duplicates, join.records)): \(F.count(join.duplicates)) of the unit's \(F.count(join.records)) records "
                             + "in profiles are in a profile with another record of the unit.", class: "muted")
            }
            html.table(["Attribute", "Present", "Completeness", "Validity", "Validated"], rows.map { row in
                let completeness = row.records == 0 ? 0 : Double(row.present) / Double(row.records)
                return [(row.attribute, nil), (F.count(row.present), "num"), (F.percent(row.present, row.records), completeness < 0.5 ? "num bad" : "num"),
                        (F.percent(row.valid, row.checked), row.valid < row.checked ? "num bad" : "num"), (F.count(row.checked), "num")]
            }, empty: "")
            html.raw("</div>")
        }
        if figures.quality.isEmpty { html.element("p", "No records held yet.", class: "muted") }
        return html.text
    }

    static func consent(_ figures: GovernanceFigures) -> String {
        var html = HTML()
        html.element("h1", "Consent")
        html.raw(tiles([
            (F.count(figures.doNotContact), "company-wide do-not-contact", false),
            (F.count(figures.expiringWithin30Days), "consents expiring within 30 days", figures.expiringWithin30Days > 0),
            (F.count(figures.consent.map(\.decisions).reduce(0, +)), "current decisions", false),
        ]))
        html.raw("<div class=\"two\"><div class=\"panel\"><h2>Rates per unit and channel</h2>")
        html.element("p", "Opt-out: share of current decisions that refuse. Opt-down: opt-ins limited to a frequency. Unit: where the customer decided.", class: "muted")
        html.table(["Unit", "Channel", "Decisions", "Opt-out", "Opt-down"], figures.consent.map {
            [($0.unit, nil), ($0.channel, nil), (F.count($0.decisions), "num"), (F.percent($0.optOuts, $0.decisions), "num"), (F.percent($0.optDowns, $0.decisions), "num")]
        }, empty: "No consent decisions held.")
        html.raw("</div><div class=\"panel\"><h2>Decisions per month (last 12)</h2>")
        html.raw(SVGChart.columns(figures.months.map { ($0.month, $0.optIns, $0.optOuts) }, legend: ("opt-in", "opt-out"), width: 500))
        html.raw("</div></div>")
        html.raw("<div class=\"panel\"><h2>Rates over time per unit and channel</h2>")
        html.element("p", "Opt-out / opt-down rate of the current decisions made in each month (– : none that month).", class: "muted")
        let lastYear = figures.months.map(\.month)
        let byMonth = Dictionary(grouping: figures.consentMonths, by: { "\($0.unit)\u{0}\($0.channel)" })
        let series = figures.consentMonths.reduce(into: [(unit: String, channel: String)]()) { list, row in
            if list.last.map({ $0 != (row.unit, row.channel) }) ?? true { list.append((row.unit, row.channel)) }
        }
        html.table(["Unit", "Channel"] + lastYear, series.map { item in
            let months = Dictionary((byMonth["\(item.unit)\u{0}\(item.channel)"] ?? []).map { ($0.month, $0) }, uniquingKeysWith: { $1 })
            return [(item.unit, nil), (item.channel, nil)] + lastYear.map { month -> (String, String?) in
                guard let row = months[month] else { return ("–", "num muted") }
                return ("\(F.percent(row.optOuts, row.decisions)) / \(F.percent(row.optDowns, row.decisions))", "num")
            }
        }, empty: "No decisions in the last 12 months.")
        html.raw("</div><div class=\"panel\"><h2>Channel shifts</h2>")
        html.element("p", "Records whose newest decision on one channel is an opt-out and on another an opt-in made at the same time or later.", class: "muted")
        html.table(["From (opted out)", "To (opted in)", "Records"], figures.channelShifts.map { [($0.from, nil), ($0.to, nil), (F.count($0.records), "num")] },
                   empty: "No channel shifts.")
        html.raw("</div>")
        return html.text
    }

    static func privacy(_ figures: GovernanceFigures) -> String {
        var html = HTML()
        html.element("h1", "Privacy requests")
        html.raw("<div class=\"panel\"><h2>Erasure requests</h2>")
        let units = figures.members.map(\.unit)
        html.table(["Request", "Reference", "Requested"] + units, figures.erasures.map { erasure in
            var row: [(String, String?)] = [(erasure.name, nil), (erasure.reference, nil), (F.time(erasure.requestedAtMillis), nil)]
            for unit in units {
                let acknowledged = erasure.acknowledgements.first { $0.unit == unit }?.erasedAtMillis
                row.append(acknowledged.map { ("erased \(F.time($0))", "good") } ?? ("pending", "bad"))
            }
            return row
        }, empty: "No erasure requests.")
        html.raw("</div><div class=\"panel\"><h2>Access requests (subject exports, from the audit log)</h2>")
        html.table(["Answered", "Unit", "By", "Due", "Status"], figures.accessRequests.map { access in
            let due = access.dueAtMillis
            let status: (String, String?) = due.map { $0 < figures.generatedAtMillis ? ("past due date", "bad") : ("due in \(F.age($0 - figures.generatedAtMillis))", nil) } ?? ("no due date", nil)
            return [(F.time(access.atMillis), nil), (access.unit, nil), (access.operatorName, nil), (due.map(F.time) ?? "–", nil), status]
        }, empty: "No access requests recorded.")
        html.raw("</div>")
        return html.text
    }

    static func consolidation(_ figures: GovernanceFigures) -> String {
        var html = HTML()
        html.element("h1", "Consolidation")
        guard let summary = figures.consolidation else {
            html.raw("<div class=\"panel marked\"><h2>Not wired yet</h2>")
            html.element("p", "This node's store holds no consolidated profiles (no profile tables in this build), so profiles, records per profile, "
                         + "each unit's match rate and the steward review backlog are not shown. What the store holds:", class: "notice")
            html.raw(tiles([(F.count(figures.records), "records (all owners)", false), (F.count(figures.recordStates), "record states (record × author)", false)]))
            html.raw("</div>")
            return html.text
        }
        let perProfile = summary.profiles == 0 ? "–" : String(format: "%.2f", Double(summary.members) / Double(summary.profiles))
        html.raw(tiles([
            (F.count(summary.profiles), "profiles", false), (F.count(summary.members), "records in profiles", false),
            (perProfile, "records per profile", false), (F.count(summary.reviewBacklog), "pairs waiting for review", summary.reviewBacklog > 0),
        ]))
        html.raw("<div class=\"two\"><div class=\"panel\"><h2>Match rate per unit</h2>")
        html.element("p", "Share of the unit's records in a profile that also holds another unit's records.", class: "muted")
        html.raw(SVGChart.bars(summary.units.map { (label: $0.unit, value: $0.records == 0 ? 0 : Double($0.linked) / Double($0.records),
                                                     text: F.percent($0.linked, $0.records), bad: false) }, maximum: 1))
        html.raw("</div><div class=\"panel\"><h2>Records per profile</h2>")
        html.table(["Records", "Profiles"], summary.sizes.map { [(F.count($0.records), "num"), (F.count($0.profiles), "num")] }, empty: "No profiles yet.")
        html.raw("</div></div>")
        html.raw("<div class=\"panel\"><h2>Match rate each unit added when it joined</h2>")
        html.element("p", "Units in the order they joined (the policy's member order). Matched: the unit's records in a profile that already held "
                     + "a record of an earlier unit, under today's profiles.", class: "muted")
        html.table(["#", "Unit", "Records", "Matched", "Match rate at join", "New profiles", "Profiles after"], figures.joins.map {
            [("\($0.position)", "num"), ($0.unit, nil), (F.count($0.records), "num"), (F.count($0.matchedEarlier), "num"),
             (F.percent($0.matchedEarlier, $0.records), "num"), (F.count($0.newProfiles), "num"), (F.count($0.profilesAfter), "num")]
        }, empty: "No members.")
        html.raw("</div>")
        return html.text
    }
}
