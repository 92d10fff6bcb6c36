import AccordNode
import AccordStore
import Foundation

extension GovernanceFigures {
    /// A section of the dashboard's figures (its pages), as `accord report --section` names them.
    public enum Section: String, CaseIterable, Sendable {
        /// Units, online, lag, policy version, refused batches.
        case federation
        /// Completeness, validity, duplicate rate, freshness.
        case quality
        /// Consent rates (current and per month), do-not-contact, channel shifts, expiring consents.
        case consent
        /// Profiles, records per profile, match rates (now and at join), review backlog.
        case consolidation
        /// Erasure requests with acknowledgements, access requests with due dates.
        case privacy
    }

    /// How long ago the member's newest batch reached this node, milliseconds (`nil`: none held).
    public func freshnessMillis(_ member: Member) -> Int64? { member.lastBatchMillis.map { max(0, generatedAtMillis - $0) } }

    /// About how many records per unit the validity figures check (an even sample).
    public static var validitySample: Int { GovernanceScan.validitySample }

    /// Sync peers of this node (members with a link), and those with a session up.
    public var peersOnline: (online: Int, peers: Int) {
        let peers = members.filter { $0.connected != nil }
        return (peers.filter { $0.connected == true }.count, peers.count)
    }

    /// Members whose data is stale (see ``isStale(_:)``).
    public var staleUnits: Int { members.filter(isStale).count }

    /// Refused batches recorded.
    public var refusedBatches: Int { refusalsByClass.values.reduce(0, +) }

    /// Erasure requests some unit has not acknowledged yet.
    public var pendingErasures: Int { erasures.filter { $0.acknowledgements.contains { $0.erasedAtMillis == nil } }.count }

    /// Access requests past their due date.
    public var accessRequestsPastDue: Int { accessRequests.filter { ($0.dueAtMillis ?? .max) < generatedAtMillis }.count }

    /// The join figures of `unit` (`nil` without profile tables or for a unit outside the policy).
    public func join(of unit: String) -> UnitJoin? { joins.first { $0.unit == unit } }

    /// The figures as one JSON document (sorted keys): `context` (`unit`, `federation`,
    /// `policyVersion`, `generatedAt`), the overview's counts and an object per section asked for, aggregates only.
    public func json(sections: [Section] = Section.allCases) -> [UInt8] {
        var document: [String: Any] = [
            "context": ["unit": unit, "federation": federation, "policyVersion": policyVersion, "generatedAt": Self.iso(generatedAtMillis)] as [String: Any],
        ]
        document["overview"] = [
            "peers": peersOnline.peers, "peersOnline": peersOnline.online, "memberUnits": members.count, "staleUnits": staleUnits,
            "refusedBatches": refusedBatches, "records": records, "doNotContact": doNotContact, "expiringWithin30Days": expiringWithin30Days,
            "erasuresPending": pendingErasures, "accessRequests": accessRequests.count, "accessRequestsPastDue": accessRequestsPastDue,
        ] as [String: Any]
        for section in sections {
            switch section {
            case .federation: document["federation"] = federationJSON()
            case .quality: document["quality"] = qualityJSON()
            case .consent: document["consent"] = consentJSON()
            case .consolidation: document["consolidation"] = consolidationJSON()
            case .privacy: document["privacy"] = privacyJSON()
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return [UInt8](data)
    }

    private static func iso(_ millis: Int64?) -> Any { millis.map { Timestamp.iso(millis: $0) as Any } ?? NSNull() }
    private static func rate(_ part: Int, _ whole: Int) -> Any { whole == 0 ? NSNull() : Double(part) / Double(whole) }

    private func federationJSON() -> [String: Any] {
        let members: [[String: Any]] = members.map { member in
            ["unit": member.unit, "name": member.name, "self": member.isSelf, "connected": member.connected.map { $0 as Any } ?? NSNull(),
             "policyVersion": member.policyVersion.map { Int($0) as Any } ?? NSNull(), "peerLacks": Int(member.peerLacks), "weLack": Int(member.weLack),
             "lastContactAt": member.lastContactMillis == 0 ? NSNull() : Self.iso(Int64(member.lastContactMillis)),
             "lastBatchAt": Self.iso(member.lastBatchMillis), "stale": isStale(member), "batches": member.batches, "refused": member.refused]
        }
        return ["members": members, "peers": peersOnline.peers, "peersOnline": peersOnline.online, "refusedBatches": refusedBatches,
                "refusedByReason": Dictionary(RefusalClass.allCases.map { ($0.rawValue, refusalsByClass[$0] ?? 0) }, uniquingKeysWith: +),
                "recentRefusals": refusals.map { ["author": $0.author, "reason": $0.reason.rawValue, "at": Self.iso($0.atMillis)] as [String: Any] }]
    }

    private func qualityJSON() -> [String: Any] {
        let units: [[String: Any]] = members.map { member in
            let rows = quality.filter { $0.unit == member.unit }
            let join = join(of: member.unit)
            return ["unit": member.unit, "records": rows.first?.records ?? 0, "lastBatchAt": Self.iso(member.lastBatchMillis),
                    "freshnessSeconds": freshnessMillis(member).map { Int($0 / 1000) as Any } ?? NSNull(), "stale": isStale(member),
                    "recordsInProfiles": join.map { $0.records as Any } ?? NSNull(), "duplicates": join.map { $0.duplicates as Any } ?? NSNull(),
                    "duplicateRate": join.map { Self.rate($0.duplicates, $0.records) } ?? NSNull(),
                    "attributes": rows.map { row in
                        ["attribute": row.attribute, "present": row.present, "completeness": Self.rate(row.present, row.records),
                         "checked": row.checked, "valid": row.valid, "validity": Self.rate(row.valid, row.checked)] as [String: Any]
                    }]
        }
        return ["freshnessHours": freshnessHours, "validitySample": GovernanceScan.validitySample, "units": units]
    }

    private func consentJSON() -> [String: Any] {
        func rates(_ decisions: Int, _ optOuts: Int, _ optDowns: Int) -> [String: Any] {
            ["decisions": decisions, "optOuts": optOuts, "optDowns": optDowns,
             "optOutRate": Self.rate(optOuts, decisions), "optDownRate": Self.rate(optDowns, decisions)]
        }
        return [
            "doNotContact": doNotContact, "expiringWithin30Days": expiringWithin30Days,
            "currentDecisions": consent.map(\.decisions).reduce(0, +),
            "rates": consent.map { rates($0.decisions, $0.optOuts, $0.optDowns).merging(["unit": $0.unit, "channel": $0.channel]) { $1 } },
            "ratesOverTime": consentMonths.map {
                rates($0.decisions, $0.optOuts, $0.optDowns).merging(["unit": $0.unit, "channel": $0.channel, "month": $0.month]) { $1 }
            },
            "months": months.map { ["month": $0.month, "optIns": $0.optIns, "optOuts": $0.optOuts] as [String: Any] },
            "channelShifts": channelShifts.map { ["from": $0.from, "to": $0.to, "records": $0.records] as [String: Any] },
        ]
    }

    private func consolidationJSON() -> [String: Any] {
        guard let summary = consolidation else {
            return ["available": false, "records": records, "recordStates": recordStates]
        }
        return [
            "available": true, "profiles": summary.profiles, "recordsInProfiles": summary.members,
            "recordsPerProfile": summary.profiles == 0 ? NSNull() : Double(summary.members) / Double(summary.profiles),
            "reviewBacklog": summary.reviewBacklog,
            "sizes": summary.sizes.map { ["records": $0.records, "profiles": $0.profiles] as [String: Any] },
            "matchRate": summary.units.map { ["unit": $0.unit, "records": $0.records, "linked": $0.linked, "rate": Self.rate($0.linked, $0.records)] as [String: Any] },
            "joins": joins.map { join in
                ["unit": join.unit, "position": join.position, "records": join.records, "profiles": join.profiles, "duplicates": join.duplicates,
                 "matchedEarlier": join.matchedEarlier, "matchRateAtJoin": Self.rate(join.matchedEarlier, join.records),
                 "newProfiles": join.newProfiles, "profilesAfter": join.profilesAfter] as [String: Any]
            },
        ]
    }

    private func privacyJSON() -> [String: Any] {
        [
            "erasures": erasures.map { erasure in
                ["name": erasure.name, "reference": erasure.reference, "requestedAt": Self.iso(erasure.requestedAtMillis),
                 "pending": erasure.acknowledgements.contains { $0.erasedAtMillis == nil },
                 "acknowledgements": erasure.acknowledgements.map { ["unit": $0.unit, "erasedAt": Self.iso($0.erasedAtMillis)] as [String: Any] }] as [String: Any]
            },
            "accessRequests": accessRequests.map { access in
                ["answeredAt": Self.iso(access.atMillis), "unit": access.unit, "operator": access.operatorName, "dueAt": Self.iso(access.dueAtMillis),
                 "pastDue": (access.dueAtMillis ?? .max) < generatedAtMillis] as [String: Any]
            },
        ]
    }
}
