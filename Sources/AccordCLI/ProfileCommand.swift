import AccordModel
import AccordNode
import AccordStore
import Foundation

/// `accord profile show|search`: consolidated profiles.
enum ProfileCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: profile show or profile search") }
        switch sub {
        case "show": try show(Array(raw.dropFirst()))
        case "search": try search(Array(raw.dropFirst()))
        default: throw UsageError(message: "unknown subcommand profile \(sub)")
        }
    }

    private static func show(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "unit"], flags: ["json"])
        let subject = try arguments.positionals(exactly: ["profile-id|unit/local-id|email|phone"])[0]
        let node = try CLI.openNode(arguments)
        let asking = try arguments.unit("unit") ?? node.unit
        let lookup: ProfileLookup
        if subject.hasPrefix("p"), subject.utf8.count == 33, subject.dropFirst().allSatisfy(\.isHexDigit) {
            lookup = .id(subject)
        } else if let slash = subject.firstIndex(of: "/") {
            guard let unit = try? UnitID(String(subject[..<slash])),
                  let record = try? RecordKey(unit: unit, localId: String(subject[subject.index(after: slash)...])) else {
                throw UsageError(message: "a record is UNIT/LOCAL_ID, such as retail/C-1001")
            }
            lookup = .record(record)
        } else {
            let found = subject.contains("@") ? try node.searchProfiles(email: subject) : try node.searchProfiles(phone: subject)
            guard let first = found.first else { throw NodeError(.notFound, "no profile holds this \(subject.contains("@") ? "e-mail address" : "phone number")") }
            if found.count > 1 { Output.error("accord: \(found.count) profiles match; showing the first (see accord profile search)") }
            lookup = .id(first)
        }
        guard let body = try node.profileDocument(lookup) else { throw NodeError(.notFound, "no profile matches on this node") }
        if arguments.flag("json") && arguments.option("unit") == nil {
            // The stored document, byte for byte the same on every node.
            Output.line(String(decoding: body, as: UTF8.self))
            return
        }
        guard var document = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        let records = document["records"] as? [String] ?? []
        let keys = records.compactMap(RecordKey.init(described:))
        let consent = try node.profileConsent(records: keys, unit: asking)
        let interactions = try node.profileInteractions(records: keys)
        let lifecycle = try node.profileFacts(body: body, unit: asking).flatMap { node.lifecycle(of: $0) }
        if arguments.flag("json") {
            if let lifecycle { document["lifecycle"] = LifecycleJSON.object(lifecycle) }
            // The stored document (the same on every node) plus what depends on the asking unit and the time.
            document["consent"] = ["unit": asking.rawValue, "decisions": consent.map { item -> [String: Any] in
                var entry: [String: Any] = ["channel": item.channel, "purpose": item.purpose, "allowed": item.verdict.allowed, "reason": item.verdict.reason]
                if let deciding = item.verdict.deciding { entry["decidingRecord"] = deciding.record.description; entry["decidingAuthor"] = deciding.author.rawValue }
                return entry
            }] as [String: Any]
            document["interactions"] = interactions.map {
                ["record": $0.record.description, "author": $0.author.rawValue, "type": $0.event.type, "channel": $0.event.channel,
                 "at": Output.isoTime(millis: UInt64(max(0, $0.event.atMillis)))] as [String: Any]
            }
            try Output.json(document)
            return
        }
        Output.line("Profile \(document["id"] as? String ?? "") (anchor \(document["anchor"] as? String ?? ""))")
        Output.line("Records: \(records.joined(separator: ", "))")
        let rows: [[String]] = (document["values"] as? [[String: Any]] ?? []).map { value in
            let shown = (value["value"] as? String) ?? (value["value"] as? [String])?.joined(separator: ", ") ?? ""
            let lineage = value["lineage"] as? [[String: Any]] ?? []
            let sources = lineage.map { "\($0["record"] as? String ?? "") by \($0["author"] as? String ?? "")" }
            let written = lineage.compactMap { $0["writtenAtMillis"] as? Int }.max().map { Output.isoTime(millis: UInt64($0)) } ?? ""
            return [value["attribute"] as? String ?? "", shown, value["rule"] as? String ?? "", sources.joined(separator: "; "), written]
        }
        Output.table(["ATTRIBUTE", "VALUE", "RULE", "FROM", "WRITTEN"], rows)
        if let lifecycle { Output.line(LifecycleJSON.line(lifecycle)) }
        let decided = consent.filter { $0.verdict.deciding != nil }
        Output.line("Consent for \(asking) (over every record of the profile; \(consent.count - decided.count) channel/purpose pairs without a decision: not allowed):")
        if !decided.isEmpty {
            Output.table(["CHANNEL", "PURPOSE", "ALLOWED", "REASON"], decided.map { [$0.channel, $0.purpose, $0.verdict.allowed ? "yes" : "no", $0.verdict.reason] })
        }
        if !interactions.isEmpty {
            Output.line("Recent interactions:")
            Output.table(["AT", "TYPE", "CHANNEL", "RECORD"], interactions.map {
                [Output.isoTime(millis: UInt64(max(0, $0.event.atMillis))), $0.event.type, $0.event.channel, $0.record.description]
            })
        }
        let id = document["id"] as? String ?? ""
        for pair in try node.reviewPairs(ofProfile: id, refresh: false) {
            let other = pair.firstProfile == id ? "\(pair.second) (\(pair.secondProfile))" : "\(pair.first) (\(pair.firstProfile))"
            Output.line("To review: \(pair.id) with \(other), score \(String(format: "%.1f", pair.score)) (accord review accept|reject \(pair.id))")
        }
    }

    private static func search(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "email", "phone", "name", "limit"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let limit = try arguments.integer("limit", default: 100, range: 1...10_000)
        guard arguments.option("email") != nil || arguments.option("phone") != nil || arguments.option("name") != nil else {
            throw UsageError(message: "give --email, --phone or --name")
        }
        let node = try CLI.openNode(arguments)
        let ids = try node.searchProfiles(email: arguments.option("email"), phone: arguments.option("phone"), name: arguments.option("name"),
                                          limit: limit)
        var rows: [[String: Any]] = []
        for id in ids {
            guard let body = try node.profileDocument(.id(id)),
                  let document = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { continue }
            rows.append(["id": id, "records": document["records"] as? [String] ?? []])
        }
        if arguments.flag("json") {
            try Output.json(rows)
        } else if rows.isEmpty {
            Output.line("No profile matches")
        } else {
            Output.table(["PROFILE", "RECORDS"], rows.map { [$0["id"] as? String ?? "", ($0["records"] as? [String] ?? []).joined(separator: ", ")] })
        }
    }
}

/// `accord review list|accept|reject`: the steward review queue.
enum ReviewCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: review list, accept or reject") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "list": try list(rest)
        case "accept": try decide(rest, kind: .mustLink)
        case "reject": try decide(rest, kind: .cannotLink)
        case "withdraw": try decide(rest, kind: .withdrawn)
        default: throw UsageError(message: "unknown subcommand review \(sub)")
        }
    }

    private static func list(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "limit"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let limit = try arguments.integer("limit", default: 100, range: 1...10_000)
        let node = try CLI.openNode(arguments)
        let pairs = try node.reviewQueue(limit: limit)
        if arguments.flag("json") {
            try Output.json(pairs.map(json))
        } else if pairs.isEmpty {
            Output.line("The review queue is empty")
        } else {
            Output.table(["PAIR", "SCORE", "FIRST", "SECOND"], pairs.map {
                [$0.id, String(format: "%.1f", $0.score), "\($0.first) (\($0.firstProfile))", "\($0.second) (\($0.secondProfile))"]
            })
        }
    }

    static func json(_ pair: StoredReviewPair) -> [String: Any] {
        ["id": pair.id, "score": pair.score, "first": pair.first.description, "second": pair.second.description,
         "firstProfile": pair.firstProfile, "secondProfile": pair.secondProfile]
    }

    private static func decide(_ raw: [String], kind: StewardDecisionEntry.Kind) throws {
        let arguments = try Arguments(raw, options: ["node", "steward", "reason"], flags: ["json"])
        let pair = try arguments.positionals(exactly: ["pair"])[0]
        let node = try CLI.openNode(arguments)
        let entry = try node.decide(pair: pair, kind: kind, steward: arguments.option("steward") ?? Node.operatorName,
                                    reason: arguments.option("reason") ?? "")
        let profile = try node.profileDocument(.record(entry.first))
            .flatMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }?["id"] as? String
        if arguments.flag("json") {
            try Output.json(["pair": StewardDecisionEntry.pairID(entry.first, entry.second), "decision": kind.rawValue,
                             "first": entry.first.description, "second": entry.second.description, "profile": profile.map { $0 as Any } ?? NSNull()])
        } else {
            Output.line("Recorded \(kind.rawValue) for \(entry.first) and \(entry.second); it replicates to every node")
        }
    }
}

/// `accord match run|train`: recompute the profiles; train the model on the node's own data.
enum MatchCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: match run or match train") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "run":
            let arguments = try Arguments(rest, options: ["node"], flags: ["json"])
            _ = try arguments.positionals(exactly: [])
            let node = try CLI.openNode(arguments)
            let started = Date()
            guard let report = try node.refreshProfiles(force: true) else { return }
            let seconds = Date().timeIntervalSince(started)
            if arguments.flag("json") {
                try Output.json(["records": report.recordsTouched, "profiles": report.profiles, "reviewPairs": report.reviewPairs, "seconds": seconds])
            } else {
                Output.line("Resolved \(report.recordsTouched) records into \(report.profiles) profiles, \(report.reviewPairs) pairs to review "
                    + "(\(String(format: "%.2f", seconds)) s)")
            }
        case "train":
            let arguments = try Arguments(rest, options: ["node", "out", "random-pairs"], flags: ["json"])
            _ = try arguments.positionals(exactly: [])
            guard let out = arguments.option("out") else { throw UsageError(message: "give --out FILE for the policy proposal") }
            let randomPairs = try arguments.integer("random-pairs", default: 200_000, range: 1_000...10_000_000)
            let node = try CLI.openNode(arguments)
            let result = try node.trainMatchParameters(randomPairs: randomPairs)
            try Data(result.proposal).write(to: URL(fileURLWithPath: out))
            if arguments.flag("json") {
                try Output.json(["proposal": out, "version": result.version, "records": result.records, "pairs": result.pairs,
                                 "candidateMatchShare": result.candidateMatchShare, "iterations": result.iterations, "converged": result.converged])
            } else {
                Output.line("Trained on \(result.records) records (\(result.pairs) candidate pairs, \(result.iterations) iterations, "
                    + (result.converged ? "converged" : "not converged") + ")")
                Output.line("Wrote the proposal (policy v\(result.version), unsigned) to \(out); governance signs it with accord policy sign")
            }
        default:
            throw UsageError(message: "unknown subcommand match \(sub)")
        }
    }
}
