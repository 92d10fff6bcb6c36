import AccordModel
import AccordNode
import AccordSampleData
import Foundation
import Testing

/// `accord report`: the dashboard's figures in the terminal and as JSON, on a two-unit federation
/// with sample customers and chosen consent decisions, while the node serves and after it stopped.
@Suite("accord report: the dashboard's figures on the command line", .serialized)
struct ReportCLITests {
    /// The report's JSON object.
    static func report(_ node: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try AccordBinary.run(["report", "--json", "--node", node] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    @Test func reportsTheFiguresOfASampleFederationServingOrNot() throws {
        try withTemporaryDirectory { directory in
            let federation = try LocalFederation(directory: directory, units: ["retail", "insurance"], logger: Logger(minimum: .error))
            let population = SamplePopulation(persons: 200, seed: 11)
            var rows: [String: Int] = [:]
            for unit in ["retail", "insurance"] {
                let csv = directory + "/\(unit).csv"
                rows[unit] = try population.writeCSV(unit: unit, coverage: 0.7, noise: 0.1, to: csv)
                let imported = try AccordBinary.run(["import", csv, "--node", federation.path(unit)])
                #expect(imported.status == 0, "\(imported.stderr)")
            }
            // Chosen consent decisions on four retail records (collected by retail).
            let retail = try federation.node("retail")
            let retailID = try UnitID("retail")
            let keys = try retail.recordKeys(owner: retailID, limit: 4)
            try #require(keys.count == 4)
            let now = Int64(Node.wallClock()), day: Int64 = 86_400_000
            let decisions: [(record: Int, channel: String, choice: ConsentDecision.Choice, frequency: String?, decided: Int64, expires: Int64?)] = [
                (0, "email", .optOut, nil, now - 2 * day, nil),          // then sms: a shift email -> sms
                (0, "sms", .optIn, nil, now - day, nil),
                (1, "email", .optIn, "monthly", now - 40 * day, now + 10 * day),  // an opt-down, expiring within 30 days
                (2, "all", .optOut, nil, now - 3 * day, nil),            // company-wide do-not-contact
                (3, "sms", .optOut, nil, now - 3 * day, nil),            // an opt-out, no shift
            ]
            for decision in decisions {
                let scope: ConsentScope = decision.channel == "all" ? .company : .unit(retailID)
                let topic = try ConsentTopic(channel: decision.channel, purpose: decision.channel == "all" ? "all" : "marketing", scope: scope)
                _ = try retail.recordConsent(localId: keys[decision.record].localId, topic: topic, decision: ConsentDecision(
                    choice: decision.choice, frequency: decision.frequency, expressed: true, decidedAtMillis: decision.decided, method: "web-form",
                    noticeVersion: "2026-01", noticeHash: [], expiresAtMillis: decision.expires, collectedBy: retailID))
            }

            // Serving: insurance dials retail, so its report shows retail online.
            defer { federation.stopAll() }
            _ = try federation.serve("retail", peers: [])
            _ = try federation.serve("insurance", peers: ["retail"])
            #expect(federation.waitForConvergence(timeout: 60), "the two nodes did not converge")
            let insurance = federation.path("insurance")
            var online: Bool?
            let deadline = Date().addingTimeInterval(20)
            while online != true && Date() < deadline {
                let members = try #require((try Self.report(insurance, ["--section", "federation"])["federation"] as? [String: Any])?["members"] as? [[String: Any]])
                online = members.first { $0["unit"] as? String == "retail" }?["connected"] as? Bool
                if online != true { Thread.sleep(forTimeInterval: 0.2) }
            }
            #expect(online == true, "a serving node's report shows its peer online")
            federation.stopAll()
            // As `accord serve` does when it stops (its status would otherwise count as fresh for 5 s).
            try FileManager.default.removeItem(atPath: try federation.node("insurance").snapshotPath)

            // Not serving: the same figures from the store, peers unknown.
            let object = try Self.report(insurance)
            #expect((object["context"] as? [String: Any])?["unit"] as? String == "insurance")
            for key in ["overview", "federation", "quality", "consent", "consolidation", "privacy"] {
                #expect(object[key] is [String: Any], "missing section \(key)")
            }
            let overview = try #require(object["overview"] as? [String: Any])
            let total = try #require(rows["retail"]) + (try #require(rows["insurance"]))
            #expect(overview["records"] as? Int == total)
            #expect(overview["doNotContact"] as? Int == 1)
            #expect(overview["expiringWithin30Days"] as? Int == 1)
            #expect(overview["memberUnits"] as? Int == 5)
            let members = try #require((object["federation"] as? [String: Any])?["members"] as? [[String: Any]])
            #expect(members.first { $0["unit"] as? String == "retail" }?["connected"] is NSNull)
            #expect(members.first { $0["unit"] as? String == "insurance" }?["self"] as? Bool == true)

            let quality = try #require((object["quality"] as? [String: Any])?["units"] as? [[String: Any]])
            for unit in ["retail", "insurance"] {
                let row = try #require(quality.first { $0["unit"] as? String == unit })
                #expect(row["records"] as? Int == rows[unit], "\(unit) records")
                #expect(row["recordsInProfiles"] as? Int == rows[unit], "\(unit): every record is in a profile")
                let attributes = try #require(row["attributes"] as? [[String: Any]])
                #expect(attributes.first { $0["attribute"] as? String == "given_name" }?["present"] as? Int == rows[unit])
                #expect(row["duplicateRate"] is Double)
            }

            let consent = try #require(object["consent"] as? [String: Any])
            let rates = try #require(consent["rates"] as? [[String: Any]])
            func rate(_ unit: String, _ channel: String) -> [String: Any]? { rates.first { $0["unit"] as? String == unit && $0["channel"] as? String == channel } }
            #expect(rate("retail", "email")?["decisions"] as? Int == 2 && rate("retail", "email")?["optOuts"] as? Int == 1 && rate("retail", "email")?["optDowns"] as? Int == 1)
            #expect(rate("retail", "sms")?["decisions"] as? Int == 2 && rate("retail", "sms")?["optOuts"] as? Int == 1 && rate("retail", "sms")?["optDownRate"] as? Double == 0)
            #expect(rate("retail", "all")?["optOutRate"] as? Double == 1)
            let shifts = try #require(consent["channelShifts"] as? [[String: Any]])
            #expect(shifts.count == 1 && shifts.first?["from"] as? String == "email" && shifts.first?["to"] as? String == "sms" && shifts.first?["records"] as? Int == 1)
            let overTime = try #require(consent["ratesOverTime"] as? [[String: Any]])
            #expect(overTime.map { $0["decisions"] as? Int ?? 0 }.reduce(0, +) == decisions.count)
            let month = { (millis: Int64) in String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000)).prefix(7)) }
            let downMonth = overTime.first { $0["channel"] as? String == "email" && $0["month"] as? String == month(now - 40 * day) }
            #expect(downMonth?["optDowns"] as? Int == 1 && downMonth?["optDownRate"] as? Double == 1.0 / Double(downMonth?["decisions"] as? Int ?? 1), "\(overTime)")

            let consolidation = try #require(object["consolidation"] as? [String: Any])
            #expect(consolidation["available"] as? Bool == true)
            let joins = try #require(consolidation["joins"] as? [[String: Any]])
            #expect(joins.map { $0["unit"] as? String } == ["governance", "retail", "insurance", "support", "webshop"])
            let first = try #require(joins.first { $0["unit"] as? String == "retail" }), second = try #require(joins.first { $0["unit"] as? String == "insurance" })
            #expect(first["matchedEarlier"] as? Int == 0 && first["records"] as? Int == rows["retail"])
            let linked = (consolidation["matchRate"] as? [[String: Any]])?.first { $0["unit"] as? String == "insurance" }?["linked"] as? Int
            #expect(second["matchedEarlier"] as? Int == linked, "with two units, insurance's matches at join are its links")
            #expect((second["matchedEarlier"] as? Int ?? 0) > 0, "sample customers overlap, so insurance matched some")
            #expect(joins.map { $0["newProfiles"] as? Int ?? 0 }.reduce(0, +) == consolidation["profiles"] as? Int)
            #expect(joins.last?["profilesAfter"] as? Int == consolidation["profiles"] as? Int)

            // One section, the text form, usage errors.
            let only = try Self.report(insurance, ["--section", "consent"])
            #expect(only["consent"] != nil && only["quality"] == nil && only["federation"] == nil)
            let text = try AccordBinary.run(["report", "--node", insurance])
            #expect(text.status == 0, "\(text.stderr)")
            for heading in ["OVERVIEW", "FEDERATION", "DATA QUALITY", "CONSENT", "CONSOLIDATION", "PRIVACY REQUESTS", "Match rate each unit added when it joined",
                            "Channel shifts", "Rates over time per unit and channel"] {
                #expect(text.stdout.contains(heading), "no \(heading) in the text report")
            }
            #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("email") && $0.contains("sms") && $0.hasSuffix("1") }, "\(text.stdout)")
            #expect(text.stdout.contains("company-wide do-not-contact 1"))
            #expect(!keys.contains { text.stdout.contains($0.localId) }, "a record key in the report")
            #expect(try AccordBinary.run(["report", "--section", "everything", "--node", insurance]).status == 64)
            #expect(try AccordBinary.run(["report", "extra", "--node", insurance]).status == 64)
            #expect(try AccordBinary.run(["report", "--help"]).stdout.contains("Usage: accord report"))
        }
    }
}
