import AccordAPI
import AccordNode
import AccordStore
import Foundation

/// `accord report`: the governance dashboard's figures in the terminal (or as JSON), from the same
/// computation (``AccordAPI/GovernanceFigures``), on a node directory whether it is serving or not.
enum ReportCommand {
    private typealias F = DashboardFormat
    typealias Section = GovernanceFigures.Section

    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "section"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let sections = try chosenSections(arguments.option("section"))
        let node = try CLI.openNode(arguments)
        // A serving node keeps its profiles current and publishes its peers; otherwise bring the profiles up to date here.
        let serving = node.servingSnapshot()
        if serving == nil { _ = try node.refreshProfiles() }
        let figures = try GovernanceFigures.compute(node, peers: serving?.peers ?? [])
        if arguments.flag("json") {
            Output.line(String(decoding: figures.json(sections: sections), as: UTF8.self))
            return
        }
        Output.line("Governance report: federation \(figures.federation) · node \(figures.unit) · policy v\(figures.policyVersion) · figures of \(F.time(figures.generatedAtMillis))"
                    + (serving == nil ? " · not serving (no peer status)" : ""))
        if sections.count == Section.allCases.count { overview(figures) }
        for section in sections {
            Output.line()
            switch section {
            case .federation: federation(figures)
            case .quality: quality(figures)
            case .consent: consent(figures)
            case .consolidation: consolidation(figures)
            case .privacy: privacy(figures)
            }
        }
    }

    /// A table, or `(none)` under its heading when it has no rows.
    private static func table(_ header: [String], _ rows: [[String]]) {
        if rows.isEmpty { Output.line("(none)") } else { Output.table(header, rows) }
    }

    /// The sections named by `--section` (comma-separated), every one without it.
    static func chosenSections(_ option: String?) throws -> [Section] {
        guard let option else { return Section.allCases }
        let names = option.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let sections = names.compactMap(Section.init(rawValue:))
        guard !names.isEmpty, sections.count == names.count else {
            throw UsageError(message: "--section must be one or more of \(Section.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated), not \"\(option)\"")
        }
        return Section.allCases.filter(sections.contains)
    }

    private static func overview(_ figures: GovernanceFigures) {
        let peers = figures.peersOnline
        Output.line()
        Output.line("OVERVIEW")
        table(["FIGURE", "VALUE"], [
            ["peers online", "\(peers.online) / \(peers.peers)"], ["member units", F.count(figures.members.count)],
            ["units stale (no batch for \(figures.freshnessHours) h)", "\(figures.staleUnits)"], ["refused batches", F.count(figures.refusedBatches)],
            ["records held", F.count(figures.records)], ["company-wide do-not-contact", F.count(figures.doNotContact)],
            ["consents expiring within 30 days", F.count(figures.expiringWithin30Days)], ["erasure requests pending", "\(figures.pendingErasures)"],
            ["access requests", "\(F.count(figures.accessRequests.count)), \(figures.accessRequestsPastDue) past due"],
        ])
    }

    private static func federation(_ figures: GovernanceFigures) {
        Output.line("FEDERATION")
        table(["UNIT", "NAME", "ONLINE", "POLICY", "PEER LACKS", "WE LACK", "LAST CONTACT", "LAST BATCH", "REFUSED"], figures.members.map { member in
            let online = member.isSelf ? "this node" : member.connected.map { $0 ? "online" : "offline" } ?? "not a peer"
            let behind = member.policyVersion.map { $0 != UInt64(figures.policyVersion) } ?? false
            let lastBatch = member.lastBatchMillis.map { F.age(figures.generatedAtMillis - $0) + " ago" } ?? "none"
            return [member.unit, member.name, online, (member.policyVersion.map { "v\($0)" } ?? "–") + (behind ? " (differs)" : ""),
                    F.count(Int(member.peerLacks)), F.count(Int(member.weLack)),
                    member.lastContactMillis == 0 ? (member.isSelf ? "–" : "never") : F.time(Int64(member.lastContactMillis)),
                    lastBatch + (figures.isStale(member) ? " STALE" : ""), F.count(member.refused)]
        })
        Output.line()
        Output.line("Refused batches by reason: " + RefusalClass.allCases.map { "\($0.rawValue) \(F.count(figures.refusalsByClass[$0] ?? 0))" }.joined(separator: ", "))
        if !figures.refusals.isEmpty {
            table(["AUTHOR", "REASON", "AT"], figures.refusals.map { [$0.author, $0.reason.rawValue, F.time($0.atMillis)] })
        }
    }

    private static func quality(_ figures: GovernanceFigures) {
        Output.line("DATA QUALITY (validity on an even sample of about \(F.count(GovernanceFigures.validitySample)) records per unit; freshness STALE past \(figures.freshnessHours) h)")
        for member in figures.members {
            let freshness = member.lastBatchMillis.map { F.age(figures.generatedAtMillis - $0) } ?? "no batch"
            var heading = "\(member.unit): freshness \(freshness)" + (figures.isStale(member) ? " STALE" : "")
            if let join = figures.join(of: member.unit) {
                heading += " · duplicate rate \(F.percent(join.duplicates, join.records)) (\(F.count(join.duplicates)) of \(F.count(join.records)) records in profiles)"
            }
            let rows = figures.quality.filter { $0.unit == member.unit }
            if let first = rows.first { heading += " · \(F.count(first.records)) records" }
            Output.line()
            Output.line(heading)
            guard !rows.isEmpty else { continue }
            table(["ATTRIBUTE", "PRESENT", "COMPLETENESS", "VALIDITY", "VALIDATED"], rows.map {
                [$0.attribute, F.count($0.present), F.percent($0.present, $0.records), F.percent($0.valid, $0.checked), F.count($0.checked)]
            })
        }
    }

    private static func consent(_ figures: GovernanceFigures) {
        Output.line("CONSENT")
        Output.line("company-wide do-not-contact \(F.count(figures.doNotContact)) · consents expiring within 30 days \(F.count(figures.expiringWithin30Days))"
                    + " · current decisions \(F.count(figures.consent.map(\.decisions).reduce(0, +)))")
        Output.line()
        Output.line("Rates per unit and channel (unit: where the customer decided; opt-down: opt-ins limited to a frequency)")
        table(["UNIT", "CHANNEL", "DECISIONS", "OPT-OUT", "OPT-DOWN"], figures.consent.map {
            [$0.unit, $0.channel, F.count($0.decisions), F.percent($0.optOuts, $0.decisions), F.percent($0.optDowns, $0.decisions)]
        })
        Output.line()
        Output.line("Rates over time per unit and channel (current decisions by the month they were made, last 12 months)")
        table(["UNIT", "CHANNEL", "MONTH", "DECISIONS", "OPT-OUT", "OPT-DOWN"], figures.consentMonths.map {
            [$0.unit, $0.channel, $0.month, F.count($0.decisions), F.percent($0.optOuts, $0.decisions), F.percent($0.optDowns, $0.decisions)]
        })
        Output.line()
        Output.line("Decisions per month, company-wide (last 12)")
        table(["MONTH", "OPT-IN", "OPT-OUT"], figures.months.map { [$0.month, F.count($0.optIns), F.count($0.optOuts)] })
        Output.line()
        Output.line("Channel shifts (newest decision on one channel an opt-out, on another an opt-in made then or later)")
        table(["FROM", "TO", "RECORDS"], figures.channelShifts.map { [$0.from, $0.to, F.count($0.records)] })
    }

    private static func consolidation(_ figures: GovernanceFigures) {
        Output.line("CONSOLIDATION")
        guard let summary = figures.consolidation else {
            Output.line("not wired: this store holds no profile tables; records \(F.count(figures.records)), record states \(F.count(figures.recordStates))")
            return
        }
        let perProfile = summary.profiles == 0 ? "–" : String(format: "%.2f", Double(summary.members) / Double(summary.profiles))
        Output.line("profiles \(F.count(summary.profiles)) · records in profiles \(F.count(summary.members)) · records per profile \(perProfile)"
                    + " · pairs waiting for review \(F.count(summary.reviewBacklog))")
        Output.line()
        Output.line("Match rate per unit (its records in a profile that also holds another unit's records)")
        table(["UNIT", "RECORDS", "LINKED", "MATCH RATE"], summary.units.map { [$0.unit, F.count($0.records), F.count($0.linked), F.percent($0.linked, $0.records)] })
        Output.line()
        Output.line("Match rate each unit added when it joined (policy member order; matched: in a profile already holding an earlier unit's record)")
        table(["#", "UNIT", "RECORDS", "MATCHED", "MATCH RATE AT JOIN", "NEW PROFILES", "PROFILES AFTER"], figures.joins.map {
            ["\($0.position)", $0.unit, F.count($0.records), F.count($0.matchedEarlier), F.percent($0.matchedEarlier, $0.records),
             F.count($0.newProfiles), F.count($0.profilesAfter)]
        })
        Output.line()
        Output.line("Records per profile")
        table(["RECORDS", "PROFILES"], summary.sizes.map { [F.count($0.records), F.count($0.profiles)] })
    }

    private static func privacy(_ figures: GovernanceFigures) {
        Output.line("PRIVACY REQUESTS")
        Output.line()
        Output.line("Erasure requests")
        let units = figures.members.map(\.unit)
        table(["REQUEST", "REFERENCE", "REQUESTED"] + units.map { $0.uppercased() }, figures.erasures.map { erasure in
            [erasure.name, erasure.reference, F.time(erasure.requestedAtMillis)] + units.map { unit in
                erasure.acknowledgements.first { $0.unit == unit }?.erasedAtMillis.map { "erased \(F.time($0))" } ?? "pending"
            }
        })
        Output.line()
        Output.line("Access requests (subject exports, from the audit log)")
        table(["ANSWERED", "UNIT", "BY", "DUE", "STATUS"], figures.accessRequests.map { access in
            let status = access.dueAtMillis.map { $0 < figures.generatedAtMillis ? "past due date" : "due in \(F.age($0 - figures.generatedAtMillis))" } ?? "no due date"
            return [F.time(access.atMillis), access.unit, access.operatorName, access.dueAtMillis.map(F.time) ?? "–", status]
        })
    }
}
